package io.lakeroute.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A private PostgreSQL 15 cluster on 127.0.0.1, for integration tests.
 *
 * <p>The cluster lives in a fresh temp dir, listens on a free loopback port (no Unix socket), and
 * runs in the foreground as a child of the tests' JVM. It has one superuser, {@code lakeroute},
 * with a random password checked by scram-sha-256, owning a database {@code lakeroute}. Durability
 * is switched off (fsync, synchronous commit, full-page writes) because a test cluster never
 * survives a crash anyway.
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
public final class LocalPostgres extends LocalServer {
  public static final String BIN_PROPERTY = "lakeroute.postgres.bin";
  public static final String USER = "lakeroute";
  public static final String DATABASE = "lakeroute";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final String OS_USER = "postgres";

  private final Path bin =
      Path.of(System.getProperty(BIN_PROPERTY, "/usr/lib/postgresql/15/bin")).toAbsolutePath();
  private final boolean viaRunuser = "root".equals(System.getProperty("user.name"));
  private final String password = randomPassword();

  /** One cluster per JVM, started on first use and stopped when the JVM exits. */
  public static LocalPostgres shared() {
    return shared(LocalPostgres.class, LocalPostgres::new);
  }

  /** A cluster of its own, created by the first {@link #start()}; close it when done. */
  public LocalPostgres() {
    super("PostgreSQL", STARTUP_TIMEOUT, Duration.ofSeconds(30), 0);
  }

  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
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

  /** Creates the cluster with initdb. */
  @Override
  protected void prepare() throws IOException {
    if (!Files.isExecutable(bin.resolve("postgres"))) {
      throw new IllegalStateException(
          "no PostgreSQL server in "
              + bin
              + " (install Debian package postgresql-15, or set -D"
              + BIN_PROPERTY
              + "=<dir with initdb, pg_ctl, postgres>)");
    }
    Path passwordFile = dir().resolve("password");
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
    if (viaRunuser) {
      giveToServerUser(dir());
      giveToServerUser(passwordFile);
    }
    Result result =
        run(
            STARTUP_TIMEOUT,
            asServerUser(
                List.of(
                    bin.resolve("initdb").toString(),
                    "--pgdata=" + dataDir(),
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
      throw new IllegalStateException(
          "initdb failed in "
              + dir()
              + " (exit "
              + result.exitCode()
              + "; the "
              + (viaRunuser ? OS_USER : "current")
              + " user must be able to write there):\n"
              + result.output());
    }
  }

  /**
   * The postmaster in the foreground, its settings on the command line so that a restart comes back
   * exactly as the first start. Durability is off: a test cluster never survives a crash.
   */
  @Override
  protected List<String> command() {
    List<String> postgres = new ArrayList<>();
    if (viaRunuser) {
      // The parent-death signal of the launch is cleared where runuser changes user: set it again
      // for the postmaster. TERM: its sessions died with the tests' JVM, so it stops at once.
      postgres.addAll(dyingWithParent("TERM"));
    }
    postgres.addAll(
        List.of(
            bin.resolve("postgres").toString(),
            "-D",
            dataDir().toString(),
            "-p",
            Integer.toString(port()),
            "-c",
            "listen_addresses=" + LOOPBACK,
            // No socket file: nothing to collide with a system cluster in /var/run/postgresql.
            "-c",
            "unix_socket_directories=",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=100"));
    return asServerUser(postgres);
  }

  /** PGDATA, PGPORT and friends would steer initdb, pg_ctl and the server to another cluster. */
  @Override
  protected void environment(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("PG"));
  }

  /**
   * Ready once a login succeeds: the postmaster listens before recovery ends and refuses the first
   * connections until then. A refused password is final.
   */
  @Override
  protected boolean ready() {
    try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, password)) {
      return true;
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (state != null && state.startsWith("28")) {
        throw new IllegalStateException("the server rejected the test login: " + e.getMessage(), e);
      }
      return false;
    }
  }

  @Override
  protected void started(boolean created) {
    if (created) {
      try (Connection connection =
              DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + DATABASE);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot create database " + DATABASE + ": " + e.getMessage(), e);
      }
    }
  }

  /** A fast shutdown: open sessions are cut, as when a database goes down under a running job. */
  @Override
  protected void shutDown(Process postmaster) {
    pgCtlStop("fast");
    super.shutDown(postmaster);
  }

  /** Stops politely even though the data goes next: a SIGKILL leaves its shared memory behind. */
  @Override
  protected void discard(Process postmaster) {
    pgCtlStop("immediate");
    super.discard(postmaster);
  }

  private void pgCtlStop(String mode) {
    run(
        STARTUP_TIMEOUT,
        asServerUser(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "stop",
                "--pgdata=" + dataDir(),
                "--mode=" + mode,
                "--wait",
                "--timeout=" + STARTUP_TIMEOUT.toSeconds(),
                "--silent")));
  }

  private Path dataDir() {
    return dir().resolve("data");
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://" + LOOPBACK + ":" + port() + "/" + database;
  }

  private List<String> asServerUser(List<String> cmd) {
    if (!viaRunuser) {
      return cmd;
    }
    List<String> wrapped = new ArrayList<>(List.of(runuser(), "-u", OS_USER, "--"));
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

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
