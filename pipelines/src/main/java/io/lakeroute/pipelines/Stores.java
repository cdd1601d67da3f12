package io.lakeroute.pipelines;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.PathStyleS3ClientBuilderFactory;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.options.ServiceAccountKey;
import io.lakeroute.pipelines.routes.Route;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.Function;
import org.apache.beam.sdk.extensions.gcp.auth.GcpCredentialFactory;
import org.apache.beam.sdk.io.FileSystems;

/** Readies Beam's filesystems for a destination; the stores differ only in options. */
final class Stores {
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

  static String configure(RouteOptions options, String destination, Function<String, String> env) {
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
    String scheme = Route.schemeOf(destination);
    if (options.getS3PathStyle()) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
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
