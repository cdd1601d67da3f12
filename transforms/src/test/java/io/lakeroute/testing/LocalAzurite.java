package io.lakeroute.testing;

import static io.lakeroute.testing.LocalProcesses.LOOPBACK;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Azure Blob Storage server on 127.0.0.1, in its own process, for tests that deliver to {@code
 * azfs://}: Azurite (npm {@code azurite}, version pinned in {@code
 * src/local-cloud/azure/package-lock.json}), started as {@code azurite-blob} on a free port with
 * its data in a temp dir.
 *
 * <p>Azurite serves one account, {@value #ACCOUNT}, with a well-known key, and ignores the account
 * part of {@code azfs://account/container/…}: requests go to {@link #blobEndpoint()}. It cannot
 * create containers on Beam's behalf (Beam never asks), so tests create them with {@link
 * #createContainer}. It needs Node.js 18+ and {@code npm ci --prefix src/local-cloud/azure}; {@code
 * .ci/run} does both. The install directory comes from system property {@value #DIR_PROPERTY} (the
 * build sets it).
 *
 * <pre>{@code
 * LocalAzurite azurite = LocalAzurite.shared();
 * azurite.createContainer("lake");
 * PipelineOptions options = PipelineOptionsFactory.fromArgs(azurite.beamArgs()).create();
 * FileSystems.setDefaultPipelineOptions(options); // azfs://devstoreaccount1/lake/… reaches it
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #start()} restart the server on the same port and data. A test that
 * stops the {@link #shared()} instance must start it again.
 */
public final class LocalAzurite implements AutoCloseable {
  public static final String DIR_PROPERTY = "lakeroute.azurite.dir";
  public static final String ACCOUNT = "devstoreaccount1";

  /** Azurite's documented development key; it protects nothing. */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Logger LOG = LoggerFactory.getLogger(LocalAzurite.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 3;

  /** One launcher thread for the JVM's lifetime: the parent-death signal follows that thread. */
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lakeroute-local-azurite-launcher");
            t.setDaemon(true);
            return t;
          });

  private static LocalAzurite shared;

  private final int wantedPort;
  private Path installDir;
  private Path baseDir;
  private Path logFile;
  private int port = -1;
  private Process process;
  private boolean closed;
  private Thread exitHook;
  private BlobServiceClient client;

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalAzurite shared() {
    if (shared == null || shared.closed) {
      LocalAzurite created = new LocalAzurite();
      created.start();
      shared = created;
    }
    return shared;
  }

  /**
   * The port of hadoop-azure's storage-emulator mode: its WASB driver reaches the emulator account
   * only at http://127.0.0.1:10000 (the legacy SDK's {@code
   * CloudStorageAccount.getDevelopmentStorageAccount()} has the port built in).
   */
  public static final int EMULATOR_PORT = 10000;

  private static LocalAzurite onEmulatorPort;

  /**
   * One server per JVM on {@value #EMULATOR_PORT}, for tests where the Databricks stand-in reads
   * what Beam wrote. Fails, saying why, when something else holds the port.
   */
  public static synchronized LocalAzurite onEmulatorPort() {
    if (onEmulatorPort == null || onEmulatorPort.closed) {
      try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
        probe.bind(new java.net.InetSocketAddress(LOOPBACK, EMULATOR_PORT));
      } catch (IOException e) {
        throw new IllegalStateException(
            "port "
                + EMULATOR_PORT
                + " on "
                + LOOPBACK
                + " is taken; the Databricks stand-in reads Azurite through hadoop-azure's"
                + " storage-emulator mode, which only connects to that port. Free it and re-run.",
            e);
      }
      LocalAzurite created = new LocalAzurite(EMULATOR_PORT);
      created.start();
      onEmulatorPort = created;
    }
    return onEmulatorPort;
  }

  /** A server of its own on a free port, started by {@link #start()}; close it when done. */
  public LocalAzurite() {
    this(0);
  }

  /** A server of its own on {@code port} (0: a free one). */
  public LocalAzurite(int port) {
    this.wantedPort = port;
  }

  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("LocalAzurite has not been started");
    }
    return port;
  }

  /** {@code http://127.0.0.1:port/devstoreaccount1}, Beam's {@code --blobServiceEndpoint}. */
  public String blobEndpoint() {
    return "http://" + LOOPBACK + ":" + port() + "/" + ACCOUNT;
  }

  /** A connection string with the account key, as the Azure portal shows one. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  /**
   * Flags that point Beam's azfs filesystem at this server with the account key. For tests that use
   * Beam directly; a lakeroute run takes the key from a file or the environment instead.
   */
  public String[] beamArgs() {
    List<String> args = new ArrayList<>(List.of(endpointArgs()));
    args.add("--accessKey=" + KEY);
    args.add("--blobstoreClientFactoryClass=io.lakeroute.delivery.AzureBlobClientBuilderFactory");
    return args.toArray(new String[0]);
  }

  /** The endpoint and account flags alone, for runs that bring their own credential. */
  public String[] endpointArgs() {
    return new String[] {"--blobServiceEndpoint=" + blobEndpoint(), "--accountName=" + ACCOUNT};
  }

  /** A file holding the account key, for {@code --azureAccountKeyFile}. */
  public Path keyFile() {
    return secretFile("account-key", KEY);
  }

  /** A file holding {@code secret}, in the server's temp dir (deleted with it). */
  public Path secretFile(String name, String secret) {
    try {
      Path file = Files.createTempFile(baseDir, name + "-", ".secret");
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An account SAS for the blob service with {@code permissions} (e.g. "racwdl"), valid 1 h. */
  public String accountSas(String permissions) {
    return client()
        .generateAccountSas(
            new AccountSasSignatureValues(
                OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse(permissions),
                AccountSasService.parse("b"),
                AccountSasResourceType.parse("co")));
  }

  /** Creates a container; one that exists already is fine. */
  public void createContainer(String container) {
    client().getBlobContainerClient(container).createIfNotExists();
  }

  public void deleteContainer(String container) {
    client().getBlobContainerClient(container).deleteIfExists();
  }

  /** Names of the blobs under the prefix, sorted. */
  public List<String> blobs(String container, String prefix) {
    BlobContainerClient blobs = client().getBlobContainerClient(container);
    List<String> names = new ArrayList<>();
    for (BlobItem item : blobs.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      names.add(item.getName());
    }
    names.sort(null);
    return names;
  }

  public byte[] get(String container, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client().getBlobContainerClient(container).getBlobClient(name).downloadStream(out);
    return out.toByteArray();
  }

  /**
   * Starts the server and returns once it accepts connections. The first call picks the port and
   * data directory; later calls restart on the same ones. Does nothing if it is running.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("LocalAzurite was closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    boolean created = baseDir == null;
    if (created) {
      prepare();
      exitHook = LocalProcesses.onExit("LocalAzurite", this::shutDownQuietly);
    }
    for (int attempt = 1; ; attempt++) {
      if (created) {
        port = wantedPort > 0 ? wantedPort : LocalProcesses.freePort();
      }
      process = launch();
      if (awaitListening(started)) {
        break;
      }
      boolean portTaken = LocalProcesses.logContains(logFile, "EADDRINUSE");
      LocalProcesses.terminate(process, Duration.ofSeconds(5));
      // Only a new server on a port of its choosing may move: restarts keep their port.
      if (!(created && wantedPort == 0 && portTaken && attempt < PORT_ATTEMPTS)) {
        throw failure(
            "Azurite did not listen on "
                + LOOPBACK
                + ":"
                + port
                + " within "
                + STARTUP_TIMEOUT.toSeconds()
                + " s"
                + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")"));
      }
      LOG.info("port {} was taken, retrying on another", port);
    }
    LOG.info(
        "Azurite {} on {} ({}) in {} ms",
        created ? "started" : "restarted",
        blobEndpoint(),
        baseDir,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stops the server; its containers and blobs stay on disk for {@link #start()}. */
  public synchronized void stop() {
    LocalProcesses.terminate(process, Duration.ofSeconds(20));
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (process != null && process.isAlive()) {
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

  private synchronized BlobServiceClient client() {
    if (client == null) {
      client = new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
    }
    return client;
  }

  private void shutDownQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("LocalAzurite: " + e.getMessage());
    }
  }

  private void prepare() {
    installDir = installDir();
    if (!Files.isRegularFile(installDir.resolve("node_modules/azurite/package.json"))) {
      throw new IllegalStateException(
          "Azurite is not installed in "
              + installDir
              + ": run `npm ci --prefix "
              + installDir
              + " --ignore-scripts` (Node.js 18+; .ci/run does this)");
    }
    try {
      baseDir = Files.createTempDirectory("lakeroute-azurite-");
      logFile = baseDir.resolve("azurite.log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for Azurite", e);
    }
  }

  private static Path installDir() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    // Outside Maven (an IDE run): the checkout's copy, found from the working directory up.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("src/local-cloud/azure");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "src/local-cloud/azure not found; set system property " + DIR_PROPERTY);
  }

  private Process launch() {
    List<String> cmd = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (Files.isExecutable(setpriv)) {
      // Dies with this JVM even when a kill -9 skips the shutdown hook.
      cmd.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--"));
    }
    cmd.addAll(
        List.of(
            System.getProperty(LocalGcs.NODE_PROPERTY, "node"),
            installDir.resolve("node_modules/azurite/dist/src/blob/main.js").toString(),
            "--blobHost",
            LOOPBACK,
            "--blobPort",
            String.valueOf(port),
            "--location",
            baseDir.resolve("data").toString(),
            "--skipApiVersionCheck",
            "--disableProductStyleUrl"));
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(baseDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      Process started = LAUNCHER.submit(builder::start).get();
      started.getOutputStream().close();
      return started;
    } catch (ExecutionException | IOException e) {
      throw new IllegalStateException("cannot start Azurite: " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Azurite", e);
    }
  }

  /** True once Azurite says it listens and accepts a connection; false if it died or timed out. */
  private boolean awaitListening(long startedNanos) {
    long deadline = startedNanos + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (LocalProcesses.logContains(logFile, "successfully listens")) {
        try (Socket socket = new Socket(LOOPBACK, port)) {
          return true;
        } catch (IOException notYet) {
          // Still starting.
        }
      }
      LocalProcesses.sleep(Duration.ofMillis(100));
    }
    return false;
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(
        message + "\n--- tail of " + logFile + " ---\n" + LocalProcesses.tail(logFile, 40));
  }
}
