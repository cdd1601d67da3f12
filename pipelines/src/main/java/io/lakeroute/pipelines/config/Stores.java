package io.lakeroute.pipelines.config;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import io.lakeroute.delivery.AzureBlobClientBuilderFactory;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.PathStyleS3ClientBuilderFactory;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.options.ServiceAccountKey;
import io.lakeroute.pipelines.routes.Destinations;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.extensions.gcp.auth.GcpCredentialFactory;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.common.HttpClientConfiguration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Readies Beam's filesystems for a destination; the stores differ only in options. */
public final class Stores {
  /** Google's application-default credentials; a seam so tests never reach a metadata server. */
  @FunctionalInterface
  interface CredentialLookup {
    GoogleCredentials find() throws IOException;
  }

  private Stores() {}

  /**
   * Sets Beam's filesystem options for {@code destination} and checks the store's credentials
   * before anything is read.
   *
   * @return what the run authenticates with, for messages (never a secret); null for stores whose
   *     credentials Beam resolves alone
   * @throws IllegalArgumentException for a destination or option that cannot work
   * @throws DeliveryException when no credentials can be found for the store
   */
  static String configure(RouteOptions options, String destination) {
    Function<String, String> env = System::getenv;
    return configure(options, destination, env);
  }

  public static String configure(
      RouteOptions options, String destination, Function<String, String> env) {
    return configure(options, destination, GoogleCredentials::getApplicationDefault, env);
  }

  static String configure(
      RouteOptions options, String destination, CredentialLookup applicationDefault) {
    return configure(options, destination, applicationDefault, System::getenv);
  }

  static String configure(
      RouteOptions options,
      String destination,
      CredentialLookup applicationDefault,
      Function<String, String> env) {
    String scheme = Destinations.schemeOf(destination);
    boundSilence(options, (int) RunConfig.stallTimeout(options).toMillis());
    if (options.getS3PathStyle()) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    if (options.getAwsCredentialsFile() != null) {
      options.setAwsCredentialsProvider(awsCredentials(options.getAwsCredentialsFile()));
    }
    String credentials = null;
    if (scheme.equals("gs")) {
      credentials = gcsCredentials(options, applicationDefault);
    } else if (scheme.equals("azfs")) {
      credentials = AzureCredentials.configure(options, destination, env);
    }
    FileSystems.setDefaultPipelineOptions(options);
    return credentials;
  }

  /**
   * Bounds how long the object stores' clients wait on a silent connection, unless the user
   * configured the client's timeouts through Beam's own options. The clients retry a timed-out call
   * a few times (S3: three retries), so a stalled store ends the run within a small multiple of the
   * bound. The Azure client reads the bound itself ({@link AzureBlobClientBuilderFactory}).
   */
  private static void boundSilence(RouteOptions options, int millis) {
    if (options.getHttpClientConfiguration() == null) {
      options.setHttpClientConfiguration(
          HttpClientConfiguration.builder()
              .connectionTimeout(millis)
              .socketTimeout(millis)
              .build());
    }
    if (options.getGcsHttpRequestReadTimeout() == null) {
      options.setGcsHttpRequestReadTimeout(millis);
    }
    if (options.getGcsHttpRequestWriteTimeout() == null) {
      options.setGcsHttpRequestWriteTimeout(millis);
    }
  }

  /**
   * The access key in {@code path}, an AWS credentials file: its first profile's {@code
   * aws_access_key_id}, {@code aws_secret_access_key} and optional {@code aws_session_token}. Beam
   * hands the provider to every worker with the pipeline's options.
   */
  static AwsCredentialsProvider awsCredentials(String path) {
    Map<String, String> keys = new HashMap<>();
    boolean secondProfile = false;
    int profiles = 0;
    for (String line : Secrets.file(path, "--awsCredentialsFile").split("\\R")) {
      String stripped = line.strip();
      if (stripped.startsWith("[")) {
        secondProfile = ++profiles > 1;
      } else if (!secondProfile && stripped.contains("=") && !stripped.startsWith("#")) {
        String[] pair = stripped.split("=", 2);
        keys.put(pair[0].strip().toLowerCase(Locale.ROOT), pair[1].strip());
      }
    }
    String id = keys.get("aws_access_key_id");
    String secret = keys.get("aws_secret_access_key");
    if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "--awsCredentialsFile="
              + path
              + " has no aws_access_key_id and aws_secret_access_key in its first profile");
    }
    String session = keys.get("aws_session_token");
    return StaticCredentialsProvider.create(
        session == null
            ? AwsBasicCredentials.create(id, secret)
            : AwsSessionCredentials.create(id, secret, session));
  }

  private static String gcsCredentials(RouteOptions options, CredentialLookup applicationDefault) {
    String keyFile = options.getGcsServiceAccountKeyFile();
    boolean defaultFactory = options.getCredentialFactoryClass() == GcpCredentialFactory.class;
    if (keyFile != null) {
      if (!defaultFactory
          && options.getCredentialFactoryClass() != GcsKeyFileCredentialFactory.class) {
        throw new IllegalArgumentException(
            "Give either --gcsServiceAccountKeyFile or --credentialFactoryClass, not both");
      }
      ServiceAccountKey content = readKeyFile(keyFile);
      ServiceAccountCredentials key = parseKey(keyFile, content);
      options.setGcsServiceAccountKey(content);
      options.setCredentialFactoryClass(GcsKeyFileCredentialFactory.class);
      return "service-account key --gcsServiceAccountKeyFile="
          + keyFile
          + " ("
          + key.getClientEmail()
          + ")";
    }
    if (!defaultFactory) {
      return "--credentialFactoryClass=" + options.getCredentialFactoryClass().getName();
    }
    GoogleCredentials found;
    try {
      found = applicationDefault.find();
    } catch (IOException | RuntimeException e) {
      throw new DeliveryException(
          "No Google credentials for --destination="
              + options.getDestination()
              + ": application-default credentials were not found ("
              + e.getClass().getSimpleName()
              + "). Give --gcsServiceAccountKeyFile=/path/key.json, set"
              + " GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`."
              + " Nothing was read.",
          e);
    }
    // The launcher keeps what it found; workers look it up again through the default factory.
    options.setGcpCredential(found.createScoped(options.getGcpOauthScopes()));
    return "application-default credentials, " + describe(found);
  }

  private static ServiceAccountKey readKeyFile(String keyFile) {
    try {
      return GcsKeyFileCredentialFactory.read(keyFile);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "--gcsServiceAccountKeyFile=" + keyFile + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "--gcsServiceAccountKeyFile=" + keyFile + " cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--gcsServiceAccountKeyFile=" + keyFile + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static ServiceAccountCredentials parseKey(String keyFile, ServiceAccountKey key) {
    try {
      return GcsKeyFileCredentialFactory.parse(key);
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote the file, which holds a private key: never shown.
      throw new IllegalArgumentException(
          "--gcsServiceAccountKeyFile="
              + keyFile
              + " is not a service-account key: expected the JSON key file the Google Cloud"
              + " console downloads (\"type\": \"service_account\", client_email, private_key)",
          null);
    }
  }

  private static String describe(GoogleCredentials credentials) {
    String file = System.getenv("GOOGLE_APPLICATION_CREDENTIALS");
    if (credentials instanceof ServiceAccountCredentials account) {
      return "service account "
          + account.getClientEmail()
          + (file == null ? "" : " from GOOGLE_APPLICATION_CREDENTIALS=" + file);
    }
    if (credentials instanceof UserCredentials) {
      return "the gcloud user of `gcloud auth application-default login`";
    }
    if (credentials instanceof ComputeEngineCredentials) {
      return "the service account of this GCP VM (metadata server)";
    }
    return credentials.getClass().getSimpleName()
        + (file == null ? "" : " from GOOGLE_APPLICATION_CREDENTIALS=" + file);
  }
}
