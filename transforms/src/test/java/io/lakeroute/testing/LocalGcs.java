package io.lakeroute.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Google Cloud Storage server on 127.0.0.1, in its own process, for tests that deliver to {@code
 * gs://}.
 *
 * <p>The server is Firebase's Cloud Storage emulator (npm {@code firebase-tools}, version pinned in
 * {@code src/local-cloud/gcs/package-lock.json}) behind a small adapter, {@code
 * src/local-cloud/gcs/server.js}. The emulator stores and serves the objects; the adapter adds the
 * parts of the GCS JSON API that Beam's client uses and the emulator lacks: bucket insert/get and
 * 404 for unknown buckets, JSON batch requests, multi-chunk resumable uploads, {@code
 * ifGenerationMatch}, and an OAuth token endpoint for service-account keys made by {@link
 * #createServiceAccountKey}. It needs Node.js and {@code npm ci --prefix src/local-cloud/gcs},
 * which the build runs (see {@link LocalNodeServer}); the server's directory comes from system
 * property {@value #DIR_PROPERTY}.
 *
 * <pre>{@code
 * LocalGcs gcs = LocalGcs.shared();
 * gcs.createBucket("lake");
 * PipelineOptions options = PipelineOptionsFactory.fromArgs(gcs.beamArgs()).create();
 * FileSystems.setDefaultPipelineOptions(options); // gs://lake/… now reaches this server
 * }</pre>
 *
 * <p>Buckets made by {@link #createBucket} serve requests without credentials (Beam's {@code
 * NoopCredentialFactory} sends none); those made by {@link #createPrivateBucket} answer them with
 * 401, like a bucket without public access. A bearer token the server did not issue is refused with
 * 401 everywhere. The helpers here ({@link #objects}, {@link #get}, {@link #put}) use the
 * emulator's admin token. {@link #stop()} and {@link #start()} restart the server on the same port
 * and data. A test that stops the {@link #shared()} instance must start it again.
 */
public final class LocalGcs extends LocalNodeServer {
  public static final String DIR_PROPERTY = "lakeroute.gcs.dir";

  /** A {@code demo-} project keeps the emulator from looking the project up at Google. */
  public static final String PROJECT = "demo-lakeroute";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Firebase emulator's admin credential; the server accepts it like an issued token. */
  private static final String ADMIN = "Bearer owner";

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static LocalGcs shared() {
    return shared(LocalGcs.class, LocalGcs::new);
  }

  /**
   * A server of its own, started by {@link #start()}; close it when done. {@link #stop()} lets it
   * export its data for the restart: 300 MB objects take a few seconds to copy.
   */
  public LocalGcs() {
    super(
        "the GCS server",
        DIR_PROPERTY,
        "src/local-cloud/gcs",
        "firebase-tools",
        Duration.ofSeconds(60),
        0);
  }

  /**
   * {@code http://127.0.0.1:port}; Beam's {@code --gcsEndpoint} is this plus {@code /storage/v1/}.
   */
  public String endpoint() {
    return "http://" + LOOPBACK + ":" + port();
  }

  /**
   * Pipeline flags that point Beam's GCS filesystem at this server, without credentials. The GCS
   * options are registered by Beam's own options registrar, so nothing has to be registered first.
   */
  public String[] beamArgs() {
    return new String[] {
      "--gcsEndpoint=" + endpoint() + "/storage/v1/",
      "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
      "--project=" + PROJECT
    };
  }

  /**
   * The endpoint and project flags alone, for runs that bring credentials of their own (a key file
   * from {@link #createServiceAccountKey}). Never run Beam against this server without either: its
   * default credentials would look for Google's metadata server.
   */
  public String[] endpointArgs() {
    return new String[] {"--gcsEndpoint=" + endpoint() + "/storage/v1/", "--project=" + PROJECT};
  }

  /** Creates a bucket that serves anonymous requests; one that exists already is fine. */
  public void createBucket(String bucket) {
    insertBucket(bucket, false);
  }

  /** Creates a bucket that refuses anonymous requests with 401; one that exists already is fine. */
  public void createPrivateBucket(String bucket) {
    insertBucket(bucket, true);
  }

  private void insertBucket(String bucket, boolean requireCredentials) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    api(
                        "/storage/v1/b?project="
                            + PROJECT
                            + (requireCredentials ? "&lakeroutePrivate=true" : "")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + bucket + "\"}")),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 409) {
      throw new IllegalStateException(
          "cannot create bucket " + bucket + ": " + response.statusCode() + " " + response.body());
    }
  }

  /** Names of the objects under the prefix, sorted. */
  public List<String> objects(String bucket, String prefix) {
    List<String> names = new ArrayList<>();
    String pageToken = null;
    do {
      String query =
          "prefix="
              + encode(prefix)
              + "&maxResults=1000"
              + (pageToken == null ? "" : "&pageToken=" + encode(pageToken));
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(api("/storage/v1/b/" + encode(bucket) + "/o?" + query)).GET(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode page = json(response, "list gs://" + bucket + "/" + prefix);
      for (JsonNode item : page.path("items")) {
        names.add(item.get("name").asText());
      }
      pageToken = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asText() : null;
    } while (pageToken != null);
    names.sort(null);
    return names;
  }

  public byte[] get(String bucket, String name) {
    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(
                    api("/storage/v1/b/" + encode(bucket) + "/o/" + encode(name) + "?alt=media"))
                .GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "cannot read gs://" + bucket + "/" + name + ": " + response.statusCode());
    }
    return response.body();
  }

  public void put(String bucket, String name, byte[] content) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    api(
                        "/upload/storage/v1/b/"
                            + encode(bucket)
                            + "/o?uploadType=media&name="
                            + encode(name)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)),
            HttpResponse.BodyHandlers.ofString());
    json(response, "write gs://" + bucket + "/" + name);
  }

  /**
   * Writes a service-account key file (the JSON a GCP console download holds) whose account this
   * server knows: its token endpoint, named in the file's {@code token_uri}, grants a bearer token
   * for a JWT signed with the key, and the server accepts that token.
   */
  public Path createServiceAccountKey(String clientEmail) {
    KeyPair pair = rsaKeyPair();
    ObjectNode account = JSON.createObjectNode();
    account.put("clientEmail", clientEmail);
    account.put("publicKeyPem", pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(api("/_lakeroute/service-accounts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(account.toString())),
            HttpResponse.BodyHandlers.ofString());
    json(response, "register service account " + clientEmail);
    return writeKeyFile(clientEmail, pair);
  }

  /**
   * A well-formed key file for an account the server knows, signed by a key it does not: the token
   * endpoint refuses it with {@code invalid_grant}, as Google does for a deleted key.
   */
  public Path forgedServiceAccountKey(String clientEmail) {
    createServiceAccountKey(clientEmail);
    return writeKeyFile(clientEmail, rsaKeyPair());
  }

  /** The server's own entry point; SIGTERM makes it export its data for the next start. */
  @Override
  protected List<String> command() {
    return node(
        "server.js",
        "--port",
        String.valueOf(port()),
        "--data",
        dir().resolve("data").toString(),
        "--project",
        PROJECT);
  }

  @Override
  protected boolean ready() {
    return answers200(endpoint() + "/_lakeroute/health");
  }

  private URI api(String pathAndQuery) {
    return URI.create(endpoint() + pathAndQuery);
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(
          request.header("Authorization", ADMIN).timeout(Duration.ofMinutes(2)).build(), body);
    } catch (IOException e) {
      throw new UncheckedIOException("GCS server at " + endpoint() + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode json(HttpResponse<String> response, String what) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "cannot " + what + ": " + response.statusCode() + " " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path writeKeyFile(String clientEmail, KeyPair pair) {
    ObjectNode key = JSON.createObjectNode();
    key.put("type", "service_account");
    key.put("project_id", PROJECT);
    key.put("private_key_id", Long.toHexString(System.nanoTime()));
    key.put("private_key", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    key.put("client_email", clientEmail);
    key.put("client_id", "100000000000000000000");
    key.put("auth_uri", endpoint() + "/auth");
    key.put("token_uri", endpoint() + "/token");
    try {
      Path file = Files.createTempFile(dir(), "service-account-", ".json");
      Files.writeString(file, key.toPrettyString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
