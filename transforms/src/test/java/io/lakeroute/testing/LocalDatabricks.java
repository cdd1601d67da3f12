package io.lakeroute.testing;

import java.io.File;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

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
public final class LocalDatabricks extends LocalServer {
  public static final String CLASSPATH_PROPERTY = "lakeroute.databricks.classpath";

  /** The personal access token the stand-in accepts; any other is refused as a workspace would. */
  public static final String TOKEN = "dapi-lakeroute-local";

  /**
   * The service principal the stand-in serves OAuth machine-to-machine for: its client id (an
   * application id, as in a workspace) and OAuth secret.
   */
  public static final String CLIENT_ID = "7f3c2a9e-lakeroute-sp";

  public static final String CLIENT_SECRET = "dose-lakeroute-local-oauth-secret";

  /** Where the stand-in module writes its classpath, from the root of the source tree. */
  static final Path CLASSPATH_FILE =
      Path.of("src", "local-cloud", "databricks-standin", "target", "standin.classpath");

  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final String HTTP_PATH = "cliservice";
  private static final String MAIN_CLASS = "io.lakeroute.standin.DatabricksStandIn";

  /** An S3-compatible store the stand-in reads and writes {@code s3a://} and {@code s3://} in. */
  public record S3Access(String endpoint, String accessKey, String secretKey, String region) {
    public static S3Access of(LocalS3 s3) {
      return new S3Access(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region());
    }
  }

  private final S3Access s3;
  private List<String> java;

  /**
   * One stand-in per JVM, started on first use and stopped when the JVM exits. It reads and writes
   * {@code s3a://} paths in {@link LocalS3#shared()}, which it starts too.
   */
  public static LocalDatabricks shared() {
    return shared(LocalDatabricks.class, () -> new LocalDatabricks(S3Access.of(LocalS3.shared())));
  }

  /** A stand-in of its own without S3, started by {@link #start()}; close it when done. */
  public LocalDatabricks() {
    this(null);
  }

  /** A stand-in of its own reading {@code s3a://} from {@code s3}; close it when done. */
  public LocalDatabricks(S3Access s3) {
    // Two ports: the Databricks endpoint, then Spark's Thrift server behind it.
    super("the Databricks stand-in", Duration.ofSeconds(120), STOP_GRACE, 0, 0);
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

  /**
   * The URL for OAuth machine-to-machine, without credentials: the driver finds the token endpoint
   * through the stand-in's discovery document (on a workspace it asks https://host/oidc/…).
   */
  public String oauthJdbcUrlWithoutCredentials() {
    return jdbcUrlWithoutCredentials().replace(";AuthMech=3", ";AuthMech=11;Auth_Flow=1")
        + ";OAuthDiscoveryMode=1;OAuthDiscoveryURL=http://"
        + LOOPBACK
        + ":"
        + port()
        + "/oidc/.well-known/oauth-authorization-server";
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

  /** The port of Spark's Thrift server; {@link #port()} is the Databricks endpoint's. */
  public int hivePort() {
    return port(1);
  }

  /** The directory of managed tables ({@code spark.sql.warehouse.dir}), a local path. */
  public String warehouse() {
    return dir().resolve("data").resolve("warehouse").toString();
  }

  /** Fails, naming the build step, when the stand-in is not built. */
  @Override
  protected void prepare() throws IOException {
    java = javaCommand();
    Files.createDirectories(dir().resolve("data"));
  }

  @Override
  protected List<String> command() {
    List<String> cmd = new ArrayList<>(java);
    cmd.addAll(
        List.of(
            "--dir",
            dir().resolve("data").toString(),
            "--port",
            Integer.toString(port()),
            "--hive-port",
            Integer.toString(hivePort()),
            "--http-path",
            HTTP_PATH,
            "--token",
            TOKEN,
            "--oauth-client-id",
            CLIENT_ID,
            "--oauth-client-secret",
            CLIENT_SECRET));
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
    return cmd;
  }

  @Override
  protected void environment(Map<String, String> env) {
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
  }

  /** The stand-in prints {@code READY <port> <hive port>} once both accept connections. */
  @Override
  protected boolean ready() {
    return logSinceLaunch().contains("READY " + port() + " " + hivePort() + "\n");
  }

  /**
   * Closing stdin is the stand-in's signal to shut down (so it also goes when this JVM dies);
   * SIGTERM and SIGKILL follow if need be.
   */
  @Override
  protected void shutDown(Process standIn) {
    try {
      standIn.getOutputStream().close();
      standIn.waitFor(STOP_GRACE.toMillis() / 2, TimeUnit.MILLISECONDS);
    } catch (IOException alreadyGone) {
      // The pipe closed with the process.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.shutDown(standIn);
  }

  /** The java command of the stand-in's JVM, from its build output. */
  private static List<String> javaCommand() {
    Path classpathFile;
    try {
      classpathFile = sourceTree(CLASSPATH_PROPERTY, CLASSPATH_FILE);
    } catch (IllegalStateException notFound) {
      throw notBuilt(CLASSPATH_FILE);
    }
    Path target = classpathFile.getParent();
    Path classes = target.resolve("classes");
    Path opens = target.resolve("jvm-opens.txt");
    if (!Files.isRegularFile(classpathFile)
        || !Files.isDirectory(classes)
        || !Files.isRegularFile(opens)) {
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
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + System.getProperty("lakeroute.databricks.xmx", "1g"));
    cmd.add("-XX:+UseParallelGC");
    cmd.addAll(jvmOpens);
    cmd.addAll(List.of("-cp", dependencies + File.pathSeparator + classes, MAIN_CLASS));
    return cmd;
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
}
