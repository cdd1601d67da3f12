package io.lakeroute.testing;

import static io.lakeroute.testing.LocalProcesses.LOOPBACK;
import static io.lakeroute.testing.LocalProcesses.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL 15 cluster on 127.0.0.1, for integration tests.
 *
 * <p>The cluster lives in a fresh temp dir, listens on a free loopback port (no Unix socket), and
 * has one superuser, {@code lakeroute}, with a random password checked by scram-sha-256, owning a
 * database {@code lakeroute}. Durability is switched off (fsync, synchronous commit, full-page
 * writes) because a test cluster never survives a crash anyway.
 *
 * <pre>{@code
 * LocalPostgres pg = LocalPostgres.shared();
 * pg.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
 * try (Connection c = pg.connect()) { ... }
 * }</pre>
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (as CI does) the server binaries
 * run as the {@code postgres} OS user through {@code runuser}, otherwise as the current user.
 * Binaries come from {@code /usr/lib/postgresql/15/bin}, or from the directory in system property
 * {@value #BIN_PROPERTY}.
 *
 * <p>{@link #stop()} and {@link #start()} restart the same cluster on the same port with the same
 * data, for fault tests. A test that stops the {@link #shared()} instance must start it again.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String BIN_PROPERTY = "lakeroute.postgres.bin";
  public static final String USER = "lakeroute";
  public static final String DATABASE = "lakeroute";

  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final String OS_USER = "postgres";
  private static final int PORT_ATTEMPTS = 3;

  private static LocalPostgres shared;

  private final Path bin =
      Path.of(System.getProperty(BIN_PROPERTY, "/usr/lib/postgresql/15/bin")).toAbsolutePath();
  private final boolean viaRunuser = "root".equals(System.getProperty("user.name"));
  private final String password = randomPassword();
  private Path baseDir;
  private Path dataDir;
  private Path logFile;
  private int port = -1;
  private boolean running;
  private boolean closed;
  private Thread exitHook;

  /** One cluster per JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalPostgres shared() {
    if (shared == null || shared.closed) {
      LocalPostgres created = new LocalPostgres();
      created.start();
      shared = created;
    }
    return shared;
  }

  /** A cluster of its own, created by the first {@link #start()}; close it when done. */
  public LocalPostgres() {}

  public String jdbcUrl() {
    return "jdbc:postgresql://" + LOOPBACK + ":" + port() + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("LocalPostgres has not been started");
    }
    return port;
  }

  /** A new connection to database {@code lakeroute} as the superuser; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, password);
  }

  /** Runs each statement in turn, each committed on its own. */
  public void execute(String... sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on " + jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts the server and returns once it accepts connections. The first call creates the cluster;
   * later calls restart it on the same port and data. Does nothing if it is running.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("LocalPostgres was closed");
    }
    if (running) {
      return;
    }
    long started = System.nanoTime();
    boolean created = dataDir == null;
    if (created) {
      initCluster();
      exitHook = LocalProcesses.onExit("LocalPostgres", this::shutDownQuietly);
    }
    for (int attempt = 1; ; attempt++) {
      if (port < 0 || created && attempt > 1) {
        port = LocalProcesses.freePort();
      }
      writeSettings();
      LocalProcesses.Result result = pgCtl("start", "-l", logFile.toString());
      if (result.ok()) {
        break;
      }
      // Only a brand-new cluster may move: restarts keep their port for the tests' sake.
      boolean portTaken = LocalProcesses.logContains(logFile, "could not bind");
      if (!(created && portTaken && attempt < PORT_ATTEMPTS)) {
        // A start that timed out may have left a postmaster behind.
        pgCtl("stop", "-m", "immediate");
        throw failure("pg_ctl start failed (exit " + result.exitCode() + "): " + result.output());
      }
      LOG.info("port {} was taken, retrying on another", port);
    }
    running = true;
    awaitConnections(created ? "postgres" : DATABASE, started);
    if (created) {
      createDatabase();
    }
    LOG.info(
        "PostgreSQL {} on {}:{} ({}) in {} ms",
        created ? "started" : "restarted",
        LOOPBACK,
        port,
        dataDir,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stops the server (fast shutdown: open sessions are cut); data and port are kept. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    LocalProcesses.Result result = pgCtl("stop", "-m", "fast");
    if (!result.ok()) {
      result = pgCtl("stop", "-m", "immediate");
    }
    if (!result.ok()) {
      throw failure("pg_ctl stop failed: " + result.output());
    }
    running = false;
  }

  /** Stops the server and deletes its data. */
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
      System.err.println("LocalPostgres: " + e.getMessage());
    }
  }

  private void initCluster() {
    if (!Files.isExecutable(bin.resolve("postgres"))) {
      throw new IllegalStateException(
          "no PostgreSQL server in "
              + bin
              + " (install Debian package postgresql-15, or set -D"
              + BIN_PROPERTY
              + "=<dir with initdb, pg_ctl, postgres>)");
    }
    try {
      baseDir = Files.createTempDirectory("lakeroute-pg-");
      dataDir = baseDir.resolve("data");
      logFile = baseDir.resolve("postgres.log");
      Path passwordFile = baseDir.resolve("password");
      Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
      if (viaRunuser) {
        giveToServerUser(baseDir);
        giveToServerUser(passwordFile);
      }
      LocalProcesses.Result result =
          LocalProcesses.run(
              baseDir,
              STARTUP_TIMEOUT,
              asServerUser(
                  command(
                      bin.resolve("initdb").toString(),
                      "--pgdata=" + dataDir,
                      "--username=" + USER,
                      "--pwfile=" + passwordFile,
                      "--auth-host=scram-sha-256",
                      "--auth-local=scram-sha-256",
                      "--encoding=UTF8",
                      "--locale=C",
                      "--no-sync",
                      "--no-instructions")));
      Files.deleteIfExists(passwordFile);
      if (!result.ok()) {
        LocalProcesses.deleteRecursively(baseDir);
        throw new IllegalStateException(
            "initdb failed in "
                + baseDir
                + " (exit "
                + result.exitCode()
                + "; the "
                + (viaRunuser ? OS_USER : "current")
                + " user must be able to write there):\n"
                + result.output());
      }
      Files.writeString(
          dataDir.resolve("postgresql.conf"),
          "\ninclude 'lakeroute.conf'\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a PostgreSQL cluster", e);
    }
  }

  /** Settings live in the data dir so a restart comes back exactly as the first start. */
  private void writeSettings() {
    String settings =
        String.join(
            "\n",
            "listen_addresses = '" + LOOPBACK + "'",
            "port = " + port,
            // No socket file: nothing to collide with a system cluster in /var/run/postgresql.
            "unix_socket_directories = ''",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 100",
            "logging_collector = off",
            "");
    Path file = dataDir.resolve("lakeroute.conf");
    try {
      Files.writeString(file, settings, StandardCharsets.UTF_8);
      if (viaRunuser) {
        giveToServerUser(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private LocalProcesses.Result pgCtl(String action, String... options) {
    List<String> cmd =
        command(
            bin.resolve("pg_ctl").toString(),
            action,
            "--pgdata=" + dataDir,
            "--wait",
            "--timeout=" + STARTUP_TIMEOUT.toSeconds(),
            "--silent");
    cmd.addAll(List.of(options));
    return LocalProcesses.run(baseDir, STARTUP_TIMEOUT.plusSeconds(10), asServerUser(cmd));
  }

  /**
   * pg_ctl reports "started" once the postmaster is up; the first connection can still be refused
   * while recovery finishes, so a real login decides.
   */
  private void awaitConnections(String database, long startedNanos) {
    String url = "jdbc:postgresql://" + LOOPBACK + ":" + port + "/" + database;
    long deadline = startedNanos + STARTUP_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection ignored = DriverManager.getConnection(url, USER, password)) {
        return;
      } catch (SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("28")) {
          throw failure("the server rejected the test login: " + e.getMessage());
        }
        last = e;
      }
      LocalProcesses.sleep(Duration.ofMillis(100));
    }
    throw failure(
        "PostgreSQL did not accept connections on "
            + url
            + " within "
            + STARTUP_TIMEOUT.toSeconds()
            + " s (last error: "
            + (last == null ? "none" : last.getMessage())
            + ")");
  }

  private void createDatabase() {
    String url = "jdbc:postgresql://" + LOOPBACK + ":" + port + "/postgres";
    try (Connection connection = DriverManager.getConnection(url, USER, password);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw failure("cannot create database " + DATABASE + ": " + e.getMessage());
    }
  }

  private List<String> asServerUser(List<String> cmd) {
    if (!viaRunuser) {
      return cmd;
    }
    List<String> wrapped = command(runuser(), "-u", OS_USER, "--");
    wrapped.addAll(cmd);
    return wrapped;
  }

  private static String runuser() {
    return Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")
        .filter(p -> Files.isExecutable(Path.of(p)))
        .findFirst()
        .orElse("runuser");
  }

  private static void giveToServerUser(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = users.lookupPrincipalByName(OS_USER);
    GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(
        message + "\n--- tail of " + logFile + " ---\n" + LocalProcesses.tail(logFile, 40));
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
