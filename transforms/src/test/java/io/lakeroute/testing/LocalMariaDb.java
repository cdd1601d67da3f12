package io.lakeroute.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A private MariaDB server on 127.0.0.1, for integration tests: Debian's {@code mariadb-server}
 * (10.11 on Debian 12), not the system's instance.
 *
 * <p>{@code mariadb-install-db} creates the data dir in a fresh temp dir; {@code mariadbd} runs in
 * the foreground as a child of the tests' JVM, on a free loopback port, with its socket in that dir
 * and no option file read ({@code --no-defaults}). An init file run at every start creates user
 * {@code lakeroute} with a random password, allowed from 127.0.0.1 only, and database {@code
 * lakeroute} in utf8mb4. Durability is relaxed (no flush per commit): a test server never survives
 * a crash anyway. The server's own time zone is left as the machine's, so a test shows that the
 * session time zone the source sets is what counts.
 *
 * <pre>{@code
 * LocalMariaDb db = LocalMariaDb.shared();
 * db.execute("CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1)");
 * }</pre>
 *
 * <p>Binaries come from {@code /usr/sbin/mariadbd} and {@code /usr/bin/mariadb-install-db}, or from
 * the directory in system property {@value #BIN_PROPERTY} (both there).
 */
public final class LocalMariaDb extends LocalServer {
  public static final String BIN_PROPERTY = "lakeroute.mariadb.bin";
  public static final String USER = "lakeroute";
  public static final String DATABASE = "lakeroute";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final String password = randomPassword();

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static LocalMariaDb shared() {
    return shared(LocalMariaDb.class, LocalMariaDb::new);
  }

  /** A server of its own, created by the first {@link #start()}; close it when done. */
  public LocalMariaDb() {
    super("MariaDB", STARTUP_TIMEOUT, Duration.ofSeconds(30), 0);
  }

  public String jdbcUrl() {
    return "jdbc:mariadb://" + LOOPBACK + ":" + port() + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** A new connection to database {@code lakeroute}; the caller closes it. */
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

  private static Path binary(String name, String debianDir) {
    String dir = System.getProperty(BIN_PROPERTY);
    return Path.of(dir != null ? dir : debianDir).resolve(name).toAbsolutePath();
  }

  /** Creates the data dir and the init file that sets up the test user and database. */
  @Override
  protected void prepare() throws IOException {
    Path server = binary("mariadbd", "/usr/sbin");
    Path installDb = binary("mariadb-install-db", "/usr/bin");
    if (!Files.isExecutable(server) || !Files.isExecutable(installDb)) {
      throw new IllegalStateException(
          "no MariaDB server at "
              + server
              + " (install Debian package mariadb-server, or set -D"
              + BIN_PROPERTY
              + "=<dir with mariadbd and mariadb-install-db>)");
    }
    Path init = dir().resolve("init.sql");
    Files.createFile(
        init, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        init,
        String.join(
            "\n",
            "CREATE USER IF NOT EXISTS '"
                + USER
                + "'@'"
                + LOOPBACK
                + "' IDENTIFIED BY '"
                + password
                + "';",
            "GRANT ALL ON *.* TO '" + USER + "'@'" + LOOPBACK + "';",
            "CREATE DATABASE IF NOT EXISTS "
                + DATABASE
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;",
            ""),
        StandardCharsets.UTF_8);
    Result result =
        run(
            STARTUP_TIMEOUT,
            List.of(
                installDb.toString(),
                "--no-defaults",
                "--datadir=" + dataDir(),
                "--user=" + System.getProperty("user.name"),
                "--auth-root-authentication-method=socket",
                "--skip-test-db"));
    if (!result.ok()) {
      throw new IllegalStateException(
          "mariadb-install-db failed in "
              + dir()
              + " (exit "
              + result.exitCode()
              + "):\n"
              + result.output());
    }
  }

  @Override
  protected List<String> command() {
    return List.of(
        binary("mariadbd", "/usr/sbin").toString(),
        "--no-defaults",
        "--datadir=" + dataDir(),
        "--port=" + port(),
        "--bind-address=" + LOOPBACK,
        "--socket=" + dir().resolve("mariadbd.sock"),
        "--pid-file=" + dir().resolve("mariadbd.pid"),
        // mariadbd refuses to run as root unless told to.
        "--user=" + System.getProperty("user.name"),
        "--init-file=" + dir().resolve("init.sql"),
        "--skip-name-resolve",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_bin",
        "--innodb-buffer-pool-size=64M",
        "--innodb-flush-log-at-trx-commit=0",
        "--max-connections=100");
  }

  /** Ready once the test user logs in: the init file has run by then. */
  @Override
  protected boolean ready() {
    try (Connection ignored = connect()) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private Path dataDir() {
    return dir().resolve("data");
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
