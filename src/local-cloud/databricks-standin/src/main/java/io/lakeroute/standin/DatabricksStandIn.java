package io.lakeroute.standin;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hive.service.cli.thrift.ThriftCLIService;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for a Databricks SQL warehouse, run in a JVM of its own by integration tests.
 *
 * <p>Spark (local[2]) with Delta and a Derby metastore, served by Spark's Thrift server over HTTP,
 * behind a {@link ThriftHttpAdapter} that the real Databricks JDBC driver accepts. Everything
 * listens on 127.0.0.1 only. Once both endpoints answer, it prints one line to stdout:
 *
 * <pre>READY &lt;databricks port&gt; &lt;hive port&gt;</pre>
 *
 * <p>It stops on SIGTERM and when its stdin closes, so it dies with the test JVM that started it
 * through a pipe. Started again with the same {@code --dir}, it finds the same metastore and
 * warehouse.
 *
 * <pre>
 * java &lt;jdk17 opens&gt; -cp &lt;standin.classpath&gt;:&lt;this jar&gt; io.lakeroute.standin.DatabricksStandIn
 *   --dir DIR [--port P] [--hive-port H] [--http-path cliservice] [--max-rows-per-fetch N]
 *   [--s3-endpoint http://127.0.0.1:9090 --s3-access-key K --s3-secret-key S [--s3-region R]]
 *   [--token PAT] [--oauth-client-id ID --oauth-client-secret SECRET] [--trace]
 * </pre>
 *
 * <p>With {@code --oauth-client-id}, the adapter also serves OAuth machine-to-machine for that
 * service principal (see {@link OAuthEndpoint}).
 */
public final class DatabricksStandIn {
  static {
    // Before any logger exists. Not a plain log4j2.properties: the jar would configure whatever
    // JVM has it on its classpath.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "io/lakeroute/standin/log4j2.properties");
    }
  }

  static final String LOOPBACK = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(DatabricksStandIn.class);
  private static final List<String> FLAGS = List.of("--trace");

  private DatabricksStandIn() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Path dir = Path.of(require(options, "--dir")).toAbsolutePath();
    int port = Integer.parseInt(options.getOrDefault("--port", "0"));
    int hivePort = Integer.parseInt(options.getOrDefault("--hive-port", "0"));
    if (hivePort == 0) {
      hivePort = freePort();
    }
    String httpPath = options.getOrDefault("--http-path", "cliservice");
    int maxRowsPerFetch = Integer.parseInt(options.getOrDefault("--max-rows-per-fetch", "5000"));
    boolean trace = options.containsKey("--trace");

    long started = System.nanoTime();
    // Hive logs an error on every session close if its local scratch dir is missing.
    Files.createDirectories(dir.resolve("tmp/hive-local-scratch"));
    // Derby writes its log to the working directory unless told otherwise.
    System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());

    // USING JDBC tables over the Synapse stand-in read H2's dates and timestamps as they are.
    H2LegacyTypes.register();
    SparkSession spark = session(dir, hivePort, options);
    // The metastore is created on first use (~10 s): pay for it before READY, not in a test.
    spark.sql("SHOW DATABASES").collect();
    HiveThriftServer2 hive = HiveThriftServer2.startWithContext(spark.sqlContext());
    ThriftCLIService service =
        hive.getServices().stream()
            .filter(ThriftCLIService.class::isInstance)
            .map(ThriftCLIService.class::cast)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Spark's Thrift server has no service"));
    ThriftHttpAdapter adapter =
        new ThriftHttpAdapter(
            port,
            httpPath,
            ThriftHttpAdapter.inProcess(service),
            maxRowsPerFetch,
            trace,
            options.get("--token"),
            options.containsKey("--oauth-client-id")
                ? new OAuthEndpoint(
                    options.get("--oauth-client-id"), require(options, "--oauth-client-secret"))
                : null);
    adapter.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  adapter.close();
                  hive.stop();
                },
                "stop databricks stand-in"));
    awaitListening(hivePort);
    LOG.info(
        "Databricks stand-in on {}:{} (Hive binary transport on {}), {} in {} ms",
        LOOPBACK,
        adapter.port(),
        hivePort,
        dir,
        (System.nanoTime() - started) / 1_000_000);
    System.out.println("READY " + adapter.port() + " " + hivePort);
    System.out.flush();

    waitForStdinToClose();
    LOG.info("stdin closed, stopping");
    System.exit(0);
  }

  private static SparkSession session(Path dir, int hivePort, Map<String, String> options) {
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.driver.host", LOOPBACK);
    conf.put("spark.driver.bindAddress", LOOPBACK);
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.local.dir", dir.resolve("tmp").toString());
    conf.put("spark.sql.shuffle.partitions", "2");
    // A Databricks warehouse works in UTC unless the session says otherwise.
    conf.put("spark.sql.session.timeZone", "UTC");
    conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.put("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString());
    conf.put(
        "spark.hadoop.javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true");

    Map<String, String> hive = new HashMap<>();
    hive.put("hive.exec.scratchdir", dir.resolve("tmp/hive-scratch").toString());
    hive.put("hive.exec.local.scratchdir", dir.resolve("tmp/hive-local-scratch").toString());
    hive.put("hive.downloaded.resources.dir", dir.resolve("tmp/hive-resources").toString());
    hive.put("hive.querylog.location", dir.resolve("tmp/hive-querylog").toString());
    hive.put(
        "hive.server2.logging.operation.log.location", dir.resolve("tmp/hive-oplog").toString());
    // Binary, not HTTP: Hive's HTTP connector ignores the bind host and listens everywhere. The
    // adapter reaches the service in-process; the binary port serves Hive JDBC clients only.
    hive.put("hive.server2.transport.mode", "binary");
    hive.put("hive.server2.thrift.bind.host", LOOPBACK);
    hive.put("hive.server2.thrift.port", Integer.toString(hivePort));
    hive.put("hive.server2.authentication", "NONE");
    hive.put("hive.server2.enable.doAs", "false");
    // Both the SQL conf (which the Thrift server reads) and the Hadoop conf (the metastore client).
    hive.forEach(
        (k, v) -> {
          conf.put(k, v);
          conf.put("spark.hadoop." + k, v);
        });

    String endpoint = options.get("--s3-endpoint");
    if (endpoint != null) {
      Map<String, String> s3 = new HashMap<>();
      s3.put("fs.s3a.endpoint", endpoint);
      s3.put("fs.s3a.endpoint.region", options.getOrDefault("--s3-region", "us-east-1"));
      s3.put("fs.s3a.path.style.access", "true");
      s3.put("fs.s3a.connection.ssl.enabled", Boolean.toString(endpoint.startsWith("https:")));
      s3.put(
          "fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      s3.put("fs.s3a.access.key", require(options, "--s3-access-key"));
      s3.put("fs.s3a.secret.key", require(options, "--s3-secret-key"));
      // Databricks reads s3:// paths; here the same connector serves both schemes.
      s3.put("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
      s3.put("fs.AbstractFileSystem.s3.impl", "org.apache.hadoop.fs.s3a.S3A");
      s3.forEach((k, v) -> conf.put("spark.hadoop." + k, v));
    }

    // wasb://container@devstoreaccount1/… goes to Azurite: hadoop-azure's storage-emulator mode,
    // whose endpoint (the legacy SDK's development account) is always http://127.0.0.1:10000.
    conf.put("spark.hadoop.fs.azure.storage.emulator.account.name", "devstoreaccount1");

    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("lakeroute-databricks-standin")
            .enableHiveSupport();
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }

  /** Hive's transport opens its socket on a thread of its own, after startWithContext returns. */
  private static void awaitListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1000);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Spark's Thrift server never listened on " + port);
        }
        Thread.sleep(100);
      }
    }
  }

  private static void waitForStdinToClose() {
    byte[] buffer = new byte[256];
    try (InputStream in = System.in) {
      while (in.read(buffer) >= 0) {
        // Input means nothing; only its end does.
      }
    } catch (IOException e) {
      LOG.warn("stdin failed: {}", e.toString());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (FLAGS.contains(arg)) {
        options.put(arg, "true");
      } else if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else if (arg.startsWith("--") && i + 1 < args.length) {
        options.put(arg, args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
    }
    return options;
  }

  private static String require(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
