package io.lakeroute.pipelines.config;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.lakeroute.delivery.AzureBlobClientBuilderFactory;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.pipelines.options.RouteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;

/**
 * Chooses the credential of an {@code azfs://} destination and sets Beam's Blobstore options from
 * it. The secret is read from a file or an environment variable, never taken from a flag, and
 * handed to Beam's options in memory (Beam's workers build their clients from those options).
 */
final class AzureCredentials {
  private enum Kind {
    KEY("account key", "--azureAccountKeyFile"),
    SAS("SAS token", "--azureSasTokenFile"),
    CONNECTION_STRING("connection string", "--azureConnectionStringFile");

    final String label;
    final String fileFlag;

    Kind(String label, String fileFlag) {
      this.label = label;
      this.fileFlag = fileFlag;
    }
  }

  private record Secret(Kind kind, String value, String source) {}

  /**
   * Issues a SAS for one container with Beam's {@code --azureCredentialsProvider}; a seam so tests
   * never reach Azure AD or a metadata endpoint.
   */
  @FunctionalInterface
  interface DelegationSas {
    String issue(RouteOptions options, String container, Duration validity);
  }

  /** How long a user-delegation SAS lasts: a day's run, well within Azure's 7-day key limit. */
  static final Duration DELEGATION_VALIDITY = Duration.ofHours(24);

  private AzureCredentials() {}

  static String configure(RouteOptions options, String destination, Function<String, String> env) {
    return configure(options, destination, env, AzureCredentials::userDelegationSas);
  }

  /**
   * @return what the run authenticates with, for messages: the kind of secret and where it came
   *     from, never the secret
   */
  static String configure(
      RouteOptions options,
      String destination,
      Function<String, String> env,
      DelegationSas delegation) {
    refuseFlagSecrets(options);
    String account = accountOf(destination);
    if (options.getAccountName() == null || options.getAccountName().isEmpty()) {
      options.setAccountName(account);
    }
    if (options.getBlobstoreClientFactoryClass() == DefaultBlobstoreClientBuilderFactory.class) {
      options.setBlobstoreClientFactoryClass(AzureBlobClientBuilderFactory.class);
    }
    Secret secret = find(options, env);
    // A connection string names its own endpoint.
    boolean noEndpoint =
        options.getBlobServiceEndpoint() == null || options.getBlobServiceEndpoint().isEmpty();
    if (noEndpoint && (secret == null || secret.kind() != Kind.CONNECTION_STRING)) {
      options.setBlobServiceEndpoint("https://" + account + ".blob.core.windows.net");
    }
    String where = " for storage account " + options.getAccountName();
    if (secret == null) {
      return delegate(options, destination, delegation) + where;
    }
    switch (secret.kind()) {
      case KEY -> options.setAccessKey(secret.value());
        // Beam appends the token to blob URLs when it copies (renames), so it must start with ?.
      case SAS ->
          options.setSasToken(
              secret.value().startsWith("?") ? secret.value() : "?" + secret.value());
      case CONNECTION_STRING -> options.setAzureConnectionString(secret.value());
    }
    return secret.kind().label + " from " + secret.source() + where;
  }

  /**
   * Beam's azfs filesystem renames by copying, and authorizes the copy's source with a SAS it
   * derives from a key or connection string; with a token credential alone it cannot rename at all.
   * So the token credential is used once, here, to issue a user-delegation SAS for the
   * destination's container, and Beam works with that SAS.
   */
  private static String delegate(
      RouteOptions options, String destination, DelegationSas delegation) {
    String container = destination.substring("azfs://".length()).split("/", 3)[1];
    String sas;
    try {
      sas = delegation.issue(options, container, DELEGATION_VALIDITY);
    } catch (RuntimeException e) {
      throw new DeliveryException(
          "No Azure credentials for --destination="
              + destination
              + ": the default Azure credential chain (DefaultAzureCredential: environment,"
              + " workload or managed identity, Azure CLI) could not get a user-delegation key ("
              + firstLine(e)
              + "). Give an account key, SAS token or connection string (--azureAccountKeyFile,"
              + " --azureSasTokenFile, --azureConnectionStringFile or their environment"
              + " variables), or sign in with an identity that has the role Storage Blob Data"
              + " Contributor on the container. Nothing was read.",
          null);
    }
    options.setSasToken(sas.startsWith("?") ? sas : "?" + sas);
    return "a user-delegation SAS for container "
        + container
        + " ("
        + DELEGATION_VALIDITY.toHours()
        + " h), issued with the default Azure credential chain";
  }

  /** Asks Azure for a user-delegation key with the token credential and signs a container SAS. */
  static String userDelegationSas(RouteOptions options, String container, Duration validity) {
    BlobServiceClient client =
        new BlobServiceClientBuilder()
            .endpoint(options.getBlobServiceEndpoint())
            .credential(options.getAzureCredentialsProvider())
            .buildClient();
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
    OffsetDateTime expiry = start.plus(validity);
    UserDelegationKey key = client.getUserDelegationKey(start, expiry);
    return client
        .getBlobContainerClient(container)
        .generateUserDelegationSas(
            new BlobServiceSasSignatureValues(expiry, BlobContainerSasPermission.parse("racwdl"))
                .setStartTime(start),
            key);
  }

  /** The start of an SDK message, which may go on for pages; never a secret (there is none). */
  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).strip().split("\\R", 2)[0];
    return root.getClass().getSimpleName()
        + ": "
        + (message.length() > 200 ? message.substring(0, 200) + "…" : message);
  }

  /** Beam's own secret flags would put the secret in the process list and the shell history. */
  private static void refuseFlagSecrets(RouteOptions options) {
    List<String> given = new ArrayList<>();
    if (options.getAccessKey() != null) {
      given.add("--accessKey");
    }
    if (options.getSasToken() != null) {
      given.add("--sasToken");
    }
    if (options.getAzureConnectionString() != null) {
      given.add("--azureConnectionString");
    }
    if (!given.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(", ", given)
              + " would show the secret in the process list: give it in a file"
              + " (--azureAccountKeyFile, --azureSasTokenFile, --azureConnectionStringFile) or in"
              + " the environment (--azureAccountKeyEnv, default AZURE_STORAGE_KEY;"
              + " --azureSasTokenEnv, default AZURE_STORAGE_SAS_TOKEN; --azureConnectionStringEnv,"
              + " default AZURE_STORAGE_CONNECTION_STRING)");
    }
  }

  /** A file given on the command line wins; environment variables count only without one. */
  private static Secret find(RouteOptions options, Function<String, String> env) {
    List<Secret> files = new ArrayList<>();
    addFile(files, Kind.KEY, options.getAzureAccountKeyFile());
    addFile(files, Kind.SAS, options.getAzureSasTokenFile());
    addFile(files, Kind.CONNECTION_STRING, options.getAzureConnectionStringFile());
    if (files.size() > 1) {
      throw new IllegalArgumentException(
          "Give one Azure secret file, not "
              + String.join(" and ", files.stream().map(s -> s.kind().fileFlag).toList()));
    }
    if (files.size() == 1) {
      return files.get(0);
    }
    List<Secret> vars = new ArrayList<>();
    addEnv(vars, Kind.KEY, options.getAzureAccountKeyEnv(), env);
    addEnv(vars, Kind.SAS, options.getAzureSasTokenEnv(), env);
    addEnv(vars, Kind.CONNECTION_STRING, options.getAzureConnectionStringEnv(), env);
    if (vars.size() > 1) {
      throw new IllegalArgumentException(
          "More than one Azure secret is set in the environment ("
              + String.join(", ", vars.stream().map(Secret::source).toList())
              + "): unset all but one, or name the one to use with its --azure…File flag");
    }
    return vars.isEmpty() ? null : vars.get(0);
  }

  private static void addFile(List<Secret> found, Kind kind, String path) {
    if (path == null) {
      return;
    }
    String value;
    try {
      value = Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(kind.fileFlag + "=" + path + " does not exist", null);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          kind.fileFlag + "=" + path + " cannot be read: permission denied", null);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          kind.fileFlag + "=" + path + " cannot be read: " + e.getClass().getSimpleName(), null);
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(kind.fileFlag + "=" + path + " is empty");
    }
    found.add(new Secret(kind, value, kind.fileFlag + "=" + path));
  }

  private static void addEnv(
      List<Secret> found, Kind kind, String variable, Function<String, String> env) {
    if (variable == null || variable.isEmpty()) {
      return;
    }
    String value = env.apply(variable);
    if (value != null && !value.strip().isEmpty()) {
      found.add(new Secret(kind, value.strip(), "environment variable " + variable));
    }
  }

  /** {@code azfs://account/container/path}: Beam needs all three parts. */
  static String accountOf(String destination) {
    String rest = destination.substring("azfs://".length());
    String[] parts = rest.split("/", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "--destination="
              + destination
              + " names no container: use azfs://<storage account>/<container>/<prefix>");
    }
    return parts[0];
  }
}
