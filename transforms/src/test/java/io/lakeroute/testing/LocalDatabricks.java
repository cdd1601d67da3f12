package io.lakeroute.testing;

import static io.lakeroute.testing.LocalProcesses.LOOPBACK;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for a Databricks SQL warehouse on 127.0.0.1, reached through the real Databricks
 * JDBC driver, for integration tests.
 *
 * <p>It is module {@code src/local-cloud/databricks-standin}: Spark 3.5 with Delta 3.3 and a Derby
 * metastore, served by Spark's Thrift server, behind an adapter that makes the Databricks driver
 * accept it. It runs in a JVM of its own, so Spark, Hive and Delta stay off the test classpath. Its
 * classpath is read from the file named by system property {@value #CLASSPATH_PROPERTY}, which the
 * build sets for surefire and failsafe; the stand-in module is built before this one.
 *
 * <pre>{@code
 * LocalDatabricks databricks = LocalDatabricks.shared();
 * databricks.execute("CREATE SCHEMA lake", "CREATE TABLE lake.t (id INT) USING DELTA");
 * try (Connection c = databricks.connect()) { ... }   // com.databricks.client.jdbc.Driver
 * }</pre>
 *
 * <p>What it has: Delta, Parquet, Avro, CSV and JSON tables (managed, or external with {@code
 * LOCATION}), reading and writing {@code s3a://} and {@code s3://} paths in the S3 server given at
 * construction. What it lacks, as open-source Spark does: {@code COPY INTO}, {@code read_files},
 * Unity Catalog (three-part names beyond {@code spark_catalog}), volumes. The session time zone is
 * UTC, like a warehouse's.
 *
 * <p>{@link #stop()} and {@link #start()} restart it on the same ports with the same metastore and
 * warehouse, for "Databricks is down" tests. A test that stops the {@link #shared()} instance must
 * start it again.
 */
public final class LocalDatabricks implements AutoCloseable {
  public static final String CLASSPATH_PROPERTY = "lakeroute.databricks.classpath";

  /** The personal access token the stand-in accepts; any other is refused as a workspace would. */
  public static final String TOKEN = "dapi-lakeroute-local";

  /** Where the stand-in module writes its classpath, from the root of the source tree. */
  static final Path CLASSPATH_FILE =
      Path.of("src", "local-cloud", "databricks-standin", "target", "standin.classpath");

  private static final Logger LOG = LoggerFactory.getLogger(LocalDatabricks.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 3;
  private static final String HTTP_PATH = "cliservice";
  private static final String MAIN_CLASS = "io.lakeroute.standin.DatabricksStandIn";
  private static final Pattern READY = Pattern.compile("^READY (\\d+) (\\d+)$", Pattern.MULTILINE);

  /** See {@link LocalS3}: the thread that forks a child must outlive it, for pdeathsig. */
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lakeroute-local-databricks-launcher");
            t.setDaemon(true);
            return t;
          });

  private static LocalDatabricks shared;

  /** An S3-compatible store the stand-in reads and writes {@code s3a://} and {@code s3://} in. */
  public record S3Access(String endpoint, String accessKey, String secretKey, String region) {
    public static S3Access of(LocalS3 s3) {
      return new S3Access(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region());
    }
  }

  private final S3Access s3;
  private Path baseDir;
  private Path logFile;
  private int port = -1;
  private int hivePort = -1;
  private Process process;
  private OutputStream stdin;
  private boolean closed;
  private Thread exitHook;

  /**
   * One stand-in per JVM, started on first use and stopped when the JVM exits. It reads and writes
   * {@code s3a://} paths in {@link LocalS3#shared()}, which it starts too.
   */
  public static synchronized LocalDatabricks shared() {
    if (shared == null || shared.closed) {
      LocalDatabricks created = new LocalDatabricks(S3Access.of(LocalS3.shared()));
      created.start();
      shared = created;
    }
    return shared;
  }

  /** A stand-in of its own without S3, started by {@link #start()}; close it when done. */
  public LocalDatabricks() {
    this(null);
  }

  /** A stand-in of its own reading {@code s3a://} from {@code s3}; close it when done. */
  public LocalDatabricks(S3Access s3) {
    this.s3 = s3;
  }

  /** The URL for the Databricks JDBC driver; no call leaves loopback (telemetry is off). */
  public String jdbcUrl() {
    return jdbcUrlWithoutCredentials() + ";UID=token;PWD=" + TOKEN;
  }

  /** The URL without the token, as lakeroute's --databricksJdbcUrl takes it. */
  public String jdbcUrlWithoutCredentials() {
    return "jdbc:databricks://"
        + LOOPBACK
        + ":"
        + port()
        + "/default;ssl=0;httpPath="
        + HTTP_PATH
        + ";AuthMech=3;EnableTelemetry=0";
  }

  /** Spark's Thrift server itself (binary transport, no authentication), for Hive JDBC. */
  public String hiveJdbcUrl() {
    return "jdbc:hive2://" + LOOPBACK + ":" + hivePort() + "/default";
  }

  /** A new connection through the Databricks JDBC driver; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /** Runs each statement in turn through the Databricks driver. */
  public void execute(String... sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "SQL failed on the Databricks stand-in: " + e.getMessage(), e);
    }
  }

  /** The port of the Databricks endpoint. */
  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("LocalDatabricks has not been started");
    }
    return port;
  }

  public synchronized int hivePort() {
    port();
    return hivePort;
  }

  /** The directory of managed tables ({@code spark.sql.warehouse.dir}), a local path. */
  public synchronized String warehouse() {
    if (baseDir == null) {
      throw new IllegalStateException("LocalDatabricks has not been started");
    }
    return baseDir.resolve("data").resolve("warehouse").toString();
  }

  /** The stand-in's log (Spark's warnings and errors, the adapter's lines). */
  public synchronized Path logFile() {
    return logFile;
  }

  /**
   * Starts the stand-in and returns once it accepts connections. The first call picks the ports and
   * directories; later calls restart on the same ones. Does nothing if it is running.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("LocalDatabricks was closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    boolean created = baseDir == null;
    List<String> command = command();
    if (created) {
      prepare();
      exitHook = LocalProcesses.onExit("LocalDatabricks", this::shutDownQuietly);
    }
    for (int attempt = 1; ; attempt++) {
      if (created) {
        port = LocalProcesses.freePort();
        hivePort = LocalProcesses.freePort();
      }
      long logOffset = logSize();
      launch(command);
      Optional<String> failure = awaitReady(started, logOffset);
      if (failure.isEmpty()) {
        break;
      }
      boolean portTaken =
          LocalProcesses.logContains(logFile, "Address already in use")
              || LocalProcesses.logContains(logFile, "BindException");
      stopProcess();
      // Only a new stand-in may move: restarts keep their ports for the tests' sake.
      if (!(created && portTaken && attempt < PORT_ATTEMPTS)) {
        throw failure(failure.get());
      }
      LOG.info("port {} or {} was taken, retrying on others", port, hivePort);
    }
    LOG.info(
        "Databricks stand-in {} on {}:{} ({}) in {} ms",
        created ? "started" : "restarted",
        LOOPBACK,
        port,
        baseDir,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stops the stand-in; metastore, warehouse and ports are kept for {@link #start()}. */
  public synchronized void stop() {
    stopProcess();
  }

  /** Stops the stand-in and deletes its metastore and warehouse. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      LocalProcesses.removeExitHook(exitHook);
      LocalProcesses.deleteRecursively(baseDir);
    }
  }

  private void shutDownQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("LocalDatabricks: " + e.getMessage());
    }
  }

  private void stopProcess() {
    if (process == null || !process.isAlive()) {
      return;
    }
    // Closing stdin is the stand-in's signal to shut down; SIGTERM and SIGKILL follow if need be.
    try {
      stdin.close();
    } catch (IOException ignored) {
      // Already gone.
    }
    try {
      process.waitFor(STOP_GRACE.toMillis() / 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LocalProcesses.terminate(process, STOP_GRACE);
  }

  private void prepare() {
    try {
      baseDir = Files.createTempDirectory("lakeroute-databricks-");
      logFile = baseDir.resolve("standin.log");
      Files.createDirectories(baseDir.resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for the Databricks stand-in", e);
    }
  }

  /** The java command; fails early, naming the build step, when the stand-in is not built. */
  private List<String> command() {
    Path classpathFile = classpathFile();
    Path target = classpathFile.getParent();
    Path classes = target.resolve("classes");
    Path opens = target.resolve("jvm-opens.txt");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(opens)) {
      throw notBuilt(classpathFile);
    }
    String dependencies;
    List<String> jvmOpens;
    try {
      dependencies = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
      jvmOpens =
          Arrays.asList(Files.readString(opens, StandardCharsets.UTF_8).strip().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Databricks stand-in's build output", e);
    }
    List<String> cmd = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (Files.isExecutable(setpriv)) {
      // Dies with this JVM even when a kill -9 skips the shutdown hook (stdin closing covers that
      // too; this also covers a stand-in stuck before it reads stdin).
      cmd.addAll(List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + System.getProperty("lakeroute.databricks.xmx", "1g"));
    cmd.add("-XX:+UseParallelGC");
    cmd.addAll(jvmOpens);
    cmd.addAll(List.of("-cp", dependencies + File.pathSeparator + classes, MAIN_CLASS));
    return cmd;
  }

  private static Path classpathFile() {
    String property = System.getProperty(CLASSPATH_PROPERTY);
    if (property != null && Files.isRegularFile(Path.of(property))) {
      return Path.of(property);
    }
    // Run outside Maven (an IDE): look upwards from the working directory for the source tree.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(CLASSPATH_FILE))) {
        return dir.resolve(CLASSPATH_FILE);
      }
    }
    throw notBuilt(property == null ? CLASSPATH_FILE : Path.of(property));
  }

  private static IllegalStateException notBuilt(Path where) {
    return new IllegalStateException(
        "the Databricks stand-in is not built ("
            + where
            + " is missing; system property "
            + CLASSPATH_PROPERTY
            + " names it): run `mvn -o -pl src/local-cloud/databricks-standin process-classes`,"
            + " or build with -am");
  }

  private void launch(List<String> javaCommand) {
    List<String> cmd = new ArrayList<>(javaCommand);
    cmd.addAll(
        List.of(
            "--dir",
            baseDir.resolve("data").toString(),
            "--port",
            Integer.toString(port),
            "--hive-port",
            Integer.toString(hivePort),
            "--http-path",
            HTTP_PATH,
            "--token",
            TOKEN));
    if (s3 != null) {
      cmd.addAll(
          List.of(
              "--s3-endpoint",
              s3.endpoint(),
              "--s3-access-key",
              s3.accessKey(),
              "--s3-secret-key",
              s3.secretKey(),
              "--s3-region",
              s3.region()));
    }
    if (Boolean.getBoolean("lakeroute.databricks.trace")) {
      cmd.add("--trace");
    }
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(baseDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Map<String, String> env = builder.environment();
    // Spark would otherwise advertise the host's first non-loopback address.
    env.put("SPARK_LOCAL_IP", LOOPBACK);
    // Configuration from the developer's machine must not leak into the stand-in.
    env.keySet()
        .removeIf(
            k ->
                k.equals("SPARK_HOME")
                    || k.endsWith("_CONF_DIR")
                    || k.startsWith("AWS_")
                    || k.equals("HADOOP_HOME"));
    try {
      process = LAUNCHER.submit(builder::start).get();
      stdin = process.getOutputStream();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot start the Databricks stand-in: " + String.join(" ", cmd), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Databricks stand-in", e);
    }
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Empty once the stand-in printed READY; else why it did not. */
  private Optional<String> awaitReady(long startedNanos, long logOffset) {
    long deadline = startedNanos + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher ready = READY.matcher(logSince(logOffset));
      if (ready.find()) {
        int readyPort = Integer.parseInt(ready.group(1));
        if (readyPort != port || Integer.parseInt(ready.group(2)) != hivePort) {
          return Optional.of("the stand-in reported other ports: " + ready.group());
        }
        return Optional.empty();
      }
      if (!process.isAlive()) {
        return Optional.of(
            "the Databricks stand-in exited with " + process.exitValue() + " before it was ready");
      }
      LocalProcesses.sleep(Duration.ofMillis(200));
    }
    return Optional.of(
        "the Databricks stand-in was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s");
  }

  private String logSince(long offset) {
    try {
      byte[] all = Files.readAllBytes(logFile);
      return new String(
          all,
          (int) Math.min(offset, all.length),
          all.length - (int) Math.min(offset, all.length),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(
        message + "\n--- tail of " + logFile + " ---\n" + LocalProcesses.tail(logFile, 60));
  }
}
