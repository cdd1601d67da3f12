package io.lakeroute.testing;

import static io.lakeroute.testing.LocalProcesses.LOOPBACK;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * #createServiceAccountKey}. It needs Node.js 20+ and {@code npm ci --prefix src/local-cloud/gcs};
 * {@code .ci/run} does both. The server's directory comes from system property {@value
 * #DIR_PROPERTY} (the build sets it), the Node binary from {@value #NODE_PROPERTY} (default: {@code
 * node} on the PATH).
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
public final class LocalGcs implements AutoCloseable {
  public static final String DIR_PROPERTY = "lakeroute.gcs.dir";
  public static final String NODE_PROPERTY = "lakeroute.node";

  /** A {@code demo-} project keeps the emulator from looking the project up at Google. */
  public static final String PROJECT = "demo-lakeroute";

  private static final Logger LOG = LoggerFactory.getLogger(LocalGcs.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /** stop() lets the server export its data; 300 MB objects take a few seconds to copy. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private static final int PORT_ATTEMPTS = 3;
  private static final int EXIT_PORT_IN_USE = 3;
  private static final int MIN_NODE_MAJOR = 18;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Firebase emulator's admin credential; the server accepts it like an issued token. */
  private static final String ADMIN = "Bearer owner";

  /** One launcher thread for the JVM's lifetime: the parent-death signal follows that thread. */
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lakeroute-local-gcs-launcher");
            t.setDaemon(true);
            return t;
          });

  private static LocalGcs shared;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private Path serverDir;
  private String node;
  private Path baseDir;
  private Path logFile;
  private int port = -1;
  private Process process;
  private boolean closed;
  private Thread exitHook;

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalGcs shared() {
    if (shared == null || shared.closed) {
      LocalGcs created = new LocalGcs();
      created.start();
      shared = created;
    }
    return shared;
  }

  /** A server of its own, started by {@link #start()}; close it when done. */
  public LocalGcs() {}

  /**
   * {@code http://127.0.0.1:port}; Beam's {@code --gcsEndpoint} is this plus {@code /storage/v1/}.
   */
  public String endpoint() {
    return "http://" + LOOPBACK + ":" + port();
  }

  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("LocalGcs has not been started");
    }
    return port;
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

  /**
   * Starts the server and returns once it answers HTTP. The first call picks the port and data
   * directory; later calls restart on the same ones. Does nothing if it is running.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("LocalGcs was closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    boolean created = baseDir == null;
    if (created) {
      prepare();
      exitHook = LocalProcesses.onExit("LocalGcs", this::shutDownQuietly);
    }
    for (int attempt = 1; ; attempt++) {
      if (created) {
        port = LocalProcesses.freePort();
      }
      process = launch();
      if (awaitHttp(started)) {
        break;
      }
      boolean portTaken = !process.isAlive() && process.exitValue() == EXIT_PORT_IN_USE;
      LocalProcesses.terminate(process, Duration.ofSeconds(5));
      // Only a new server may move: restarts keep their port for the tests' sake.
      if (!(created && portTaken && attempt < PORT_ATTEMPTS)) {
        throw failure(
            "the GCS server did not answer on "
                + endpoint()
                + " within "
                + STARTUP_TIMEOUT.toSeconds()
                + " s"
                + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")"));
      }
      LOG.info("port {} was taken, retrying on another", port);
    }
    LOG.info(
        "GCS server {} on {} ({}) in {} ms",
        created ? "started" : "restarted",
        endpoint(),
        baseDir,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stops the server; it saves its buckets and objects for {@link #start()} on the same port. */
  public synchronized void stop() {
    LocalProcesses.terminate(process, STOP_GRACE);
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (process != null && process.isAlive()) {
        // SIGKILL: a SIGTERM would make the server save data that is deleted next.
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closed = true;
      LocalProcesses.removeExitHook(exitHook);
      LocalProcesses.deleteRecursively(baseDir);
    }
  }

  /** The server's log: one line per request, for tests that assert what Beam sent. */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void shutDownQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("LocalGcs: " + e.getMessage());
    }
  }

  private void prepare() {
    serverDir = serverDir();
    node = System.getProperty(NODE_PROPERTY, "node");
    checkNode();
    if (!Files.isRegularFile(serverDir.resolve("node_modules/firebase-tools/package.json"))) {
      throw new IllegalStateException(
          "firebase-tools is not installed in "
              + serverDir
              + ": run `npm ci --prefix "
              + serverDir
              + "` (Node.js "
              + MIN_NODE_MAJOR
              + "+; .ci/run does this)");
    }
    try {
      baseDir = Files.createTempDirectory("lakeroute-gcs-");
      logFile = baseDir.resolve("server.log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for the GCS server", e);
    }
  }

  private static Path serverDir() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    // Outside Maven (an IDE run): the checkout's copy, found from the working directory up.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("src/local-cloud/gcs");
      if (Files.isRegularFile(candidate.resolve("server.js"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "src/local-cloud/gcs/server.js not found; set system property " + DIR_PROPERTY);
  }

  private void checkNode() {
    LocalProcesses.Result version =
        LocalProcesses.run(
            Path.of("").toAbsolutePath(), Duration.ofSeconds(20), List.of(node, "--version"));
    String text = version.output().strip();
    int major = -1;
    if (version.ok() && text.matches("v\\d+\\..*")) {
      major = Integer.parseInt(text.substring(1, text.indexOf('.')));
    }
    if (major < MIN_NODE_MAJOR) {
      throw new IllegalStateException(
          "The GCS test server needs Node.js "
              + MIN_NODE_MAJOR
              + "+ ("
              + node
              + " --version: "
              + (version.ok() ? text : "not runnable")
              + "); install it or set system property "
              + NODE_PROPERTY
              + " to its binary");
    }
  }

  private Process launch() {
    List<String> cmd = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (Files.isExecutable(setpriv)) {
      // Dies with this JVM even when a kill -9 skips the shutdown hook; KILL, as in close().
      cmd.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--"));
    }
    cmd.addAll(
        List.of(
            node,
            serverDir.resolve("server.js").toString(),
            "--port",
            String.valueOf(port),
            "--data",
            baseDir.resolve("data").toString(),
            "--project",
            PROJECT));
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(serverDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      Process started = LAUNCHER.submit(builder::start).get();
      started.getOutputStream().close();
      return started;
    } catch (ExecutionException | IOException e) {
      throw new IllegalStateException("cannot start the GCS server: " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the GCS server", e);
    }
  }

  /** True once the server answers its health check; false if it died or the deadline passed. */
  private boolean awaitHttp(long startedNanos) {
    long deadline = startedNanos + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(api("/_lakeroute/health"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // Still starting.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      LocalProcesses.sleep(Duration.ofMillis(100));
    }
    return false;
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
      Path file = Files.createTempFile(baseDir, "service-account-", ".json");
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

  private IllegalStateException failure(String message) {
    return new IllegalStateException(
        message + "\n--- tail of " + logFile + " ---\n" + LocalProcesses.tail(logFile, 40));
  }
}
