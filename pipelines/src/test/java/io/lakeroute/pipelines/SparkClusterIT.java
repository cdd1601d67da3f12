package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalSparkCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes on a real multi-JVM Spark: a standalone master and two single-core workers on loopback,
 * each executor a JVM of its own loading the Spark distribution's jars before lakeroute's. Every
 * run is submitted as on an edge node: a copy of runners-config/spark-submit.sh with only {@code
 * SPARK_HOME} and the jar beside it, Spark options before {@code --}. Route 1 to S3Mock in Parquet
 * and CSV, route redshift on its PostgreSQL stand-in (its COPY executed in an executor by the
 * tests' driver), and a worker killed while a partition streams.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(SparkClusterIT.class);
  private static final long ROWS = 2_000;
  private static final String WAREHOUSE_DB = "cluster_warehouse";
  private static final Pattern EXECUTOR = Pattern.compile("Granted executor ID (\\S+) on hostPort");

  private static RouteFixture fixture;
  private static LocalSparkCluster cluster;
  private static Path edgeScript;

  @TempDir static Path edge;
  @TempDir Path temp;

  @BeforeAll
  static void startCluster() throws Exception {
    fixture = RouteFixture.get();
    cluster = LocalSparkCluster.start(2);
    // An edge node: the script and the jar, no build output of this checkout beside them.
    edgeScript = edge.resolve("runners-config/spark-submit.sh");
    Files.createDirectories(edgeScript.getParent());
    Files.copy(repo("runners-config", "spark-submit.sh"), edgeScript);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private record Run(int exit, String output) {}

  /** The submitted process, still running; its output goes to {@code log}. */
  private Process submit(List<String> lakerouteArgs, Path log) throws IOException {
    return submit(List.of(), lakerouteArgs, Map.of(), log);
  }

  private Process submit(
      List<String> sparkOptions, List<String> lakerouteArgs, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", edgeScript.toString()));
    // Spark's options: executors of 512 MiB, so that both fit the workers' 1 GiB with room.
    command.addAll(List.of("--driver-memory", "512m", "--conf", "spark.executor.memory=512m"));
    command.addAll(sparkOptions);
    command.add("--");
    for (String arg : lakerouteArgs) {
      if (!arg.startsWith("--runner=") && !arg.startsWith("--sparkMaster=")) {
        command.add(arg);
      }
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(temp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(cluster.submitEnvironment());
    builder.environment().put("SPARK_MASTER", cluster.masterUrl());
    builder.environment().put("LAKEROUTE_JAR", System.getProperty("lakeroute.jar"));
    builder.environment().putAll(env);
    return builder.start();
  }

  private Run await(Process process, Path log) throws Exception {
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("no exit in 5 minutes\n" + output + "\n" + cluster.logs());
    }
    return new Run(process.exitValue(), output + "\n" + cluster.logs());
  }

  private Run run(List<String> lakerouteArgs) throws Exception {
    Path log = temp.resolve("submit.log");
    return await(submit(lakerouteArgs, log), log);
  }

  /** Route 1 arguments for {@code ROWS} customers into {@code prefix}. */
  private static List<String> route1(String prefix, String format, String query) {
    return fixture.args(
        "SparkRunner",
        "--query=" + query,
        "--partitionColumn=id",
        "--partitions=2",
        "--format=" + format,
        "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix,
        "--runId=r1");
  }

  @Test
  @Order(1)
  void everyClusterProcessListensOnLoopbackOnly() throws Exception {
    Set<Long> pids =
        cluster.processes().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
    String listening = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ss.waitFor(10, TimeUnit.SECONDS);
    Pattern pid = Pattern.compile("pid=(\\d+),");
    List<String> ours = new ArrayList<>();
    for (String line : listening.split("\n")) {
      Matcher m = pid.matcher(line);
      if (m.find() && pids.contains(Long.parseLong(m.group(1)))) {
        ours.add(line);
      }
    }
    // Master: RPC and web UI; each worker: RPC and web UI.
    assertThat(listening, ours.size(), is(6));
    for (String line : ours) {
      String local = line.trim().split("\\s+")[3];
      assertThat(line, local.startsWith("127.0.0.1:") || local.startsWith("[::ffff:127.0.0.1]:"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "csv"})
  @Order(2)
  void route1DeliversAcrossTwoExecutors(String format) throws Exception {
    String prefix = "cluster/" + format;
    Run run = run(route1(prefix, format, "SELECT * FROM customers WHERE id <= " + ROWS));
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, containsString("on SparkRunner"));
    assertThat(
        run.output, containsString(String.format("%,d returned by the query = %,d", ROWS, ROWS)));
    assertThat(run.output, executors(run.output), hasSize(2));
    assertThat(run.output, containsString("512.0 MiB RAM"));

    Manifest manifest = manifest(prefix);
    assertThat(manifest.rowCount(), equalTo(ROWS));
    List<String> expected = new ArrayList<>();
    for (Manifest.FileEntry file : manifest.files()) {
      expected.add(prefix + "/r1/" + file.name());
    }
    expected.add(prefix + "/r1/_manifest.json");
    expected.add(prefix + "/r1/_SUCCESS");
    expected.add(prefix + "/r1/_COMPLETE");
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, prefix + "/r1/"),
        containsInAnyOrder(expected.toArray()));
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, prefix + "/_lakeroute_staging/"), empty());
  }

  /**
   * The load runs in an executor, whose JVM gets the tests' COPY driver from the transforms
   * test-jar (shipped with {@code --jars}, found through its service file), as the Redshift
   * stand-in needs.
   */
  @Test
  @Order(3)
  void redshiftRouteLoadsItsStandInFromTheCluster() throws Exception {
    String warehouseUrl = fixture.database(WAREHOUSE_DB);
    Path testJar =
        Path.of(
            CopyExecutingDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(
        "the transforms test-jar, not a class folder: " + testJar, Files.isRegularFile(testJar));
    List<String> args =
        fixture.args(
            "SparkRunner",
            "--route=redshift",
            "--format=csv",
            "--query=SELECT * FROM customers WHERE id <= " + ROWS,
            "--partitionColumn=id",
            "--partitions=2",
            "--destination=s3://" + RouteFixture.BUCKET + "/cluster/redshift",
            "--runId=r1",
            "--warehouseDialect=postgres",
            "--warehouseJdbcUrl=" + CopyExecutingDriver.redshift(warehouseUrl, fixture.s3),
            "--redshiftIamRole=arn:aws:iam::123456789012:role/lakeroute-load",
            "--warehouseUser=" + fixture.postgres.user(),
            "--warehousePasswordFile=" + fixture.passwordFile,
            "--warehouseSchema=public",
            "--warehouseTable=customers");
    Path log = temp.resolve("submit.log");
    Run run = await(submit(List.of("--jars", testJar.toString()), args, Map.of(), log), log);
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, executors(run.output), hasSize(2));
    assertThat(manifest("cluster/redshift").rowCount(), equalTo(ROWS));
    try (Connection warehouse =
            DriverManager.getConnection(
                warehouseUrl, fixture.postgres.user(), fixture.postgres.password());
        ResultSet rs =
            warehouse
                .createStatement()
                .executeQuery(
                    "SELECT COUNT(*), COUNT(DISTINCT id) FROM public.customers"
                        + " WHERE _lakeroute_run_id = 'r1'")) {
      rs.next();
      assertThat(rs.getLong(1), equalTo(ROWS));
      assertThat(rs.getLong(2), equalTo(ROWS));
    }
  }

  /**
   * The Jobs JAR task as Databricks runs it: its main class, in a driver whose Spark context exists
   * before lakeroute starts, with the task's parameters. Those that name the workspace's world
   * (database, bucket, dates, paths) point at the local cloud; the Databricks step's are left out,
   * as no workspace is reachable (DatabricksRouteIT proves that step on the stand-in).
   */
  @Test
  @Order(4)
  void theDatabricksJobsTaskRunsOnTheContextItIsGiven() throws Exception {
    JsonNode task =
        new ObjectMapper()
            .readTree(
                repo("runners-config", "databricks-jobs", "lakeroute-customers-daily.json")
                    .toFile())
            .get("tasks")
            .get(0);
    String mainClass = task.get("spark_jar_task").get("main_class_name").asText();
    assertThat(mainClass, equalTo(DatabricksJobMain.class.getName()));
    Path summary = temp.resolve("summary.json");
    List<String> args = new ArrayList<>();
    for (JsonNode parameter : task.get("spark_jar_task").get("parameters")) {
      String arg = parameter.asText();
      String flag = arg.substring(0, arg.indexOf('=') + 1);
      switch (flag) {
        case "--jdbcUrl=" -> args.add(flag + fixture.postgres.jdbcUrl());
        case "--jdbcUser=" -> args.add(flag + fixture.postgres.user());
        case "--destination=" -> args.add(flag + "s3://" + RouteFixture.BUCKET + "/cluster/jobs");
        case "--awsRegion=" -> args.addAll(List.of(fixture.s3.launcherArgs()));
        case "--logicalDate=" -> args.add(flag + "2026-11-21");
        case "--summaryPath=" -> args.add(flag + summary);
        default -> {
          if (!flag.startsWith("--databricks")) {
            args.add(arg);
          }
        }
      }
    }
    // The task's password arrives as its spark_env_vars give it: an environment variable.
    String passwordEnv = "LAKEROUTE_JDBC_PASSWORD";
    assertThat(task.get("new_cluster").get("spark_env_vars").has(passwordEnv), is(true));
    Path log = temp.resolve("jobs.log");
    Run run =
        await(
            submit(
                List.of("--class", mainClass),
                args,
                Map.of(passwordEnv, fixture.postgres.password()),
                log),
            log);
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, containsString("lakeroute: OK"));
    // Beam's runner took the context that existed, as on Databricks, and created none.
    assertThat(run.output, containsString("Using a provided Spark Context"));
    assertThat(run.output, executors(run.output), hasSize(2));
    Manifest manifest =
        Manifest.fromJson(
            new String(
                fixture.s3.get(RouteFixture.BUCKET, "cluster/jobs/2026-11-21/_manifest.json"),
                StandardCharsets.UTF_8));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(
        new ObjectMapper().readTree(summary.toFile()).get("status").asText(), equalTo("succeeded"));
  }

  /** Last: the cluster has one worker left afterwards. */
  @Test
  @Order(5)
  void aWorkerKilledMidPartitionLeavesTheRunWholeOrNothingVisible() throws Exception {
    String prefix = "cluster/killed";
    // Each row of a partition's read (not of the planner's counts) waits 5 ms at the source, so
    // a partition streams for seconds.
    String query =
        "SELECT c.*, CASE WHEN current_query() LIKE 'SELECT * FROM (%' THEN pg_sleep(0.005)::text"
            + " END AS pause FROM customers c WHERE id <= "
            + ROWS;
    Path log = temp.resolve("killed.log");
    Process process = submit(route1(prefix, "csv", query), log);
    Run run;
    try {
      // Minutes: a busy machine takes that long to start a driver and two executor JVMs.
      try {
        fixture.awaitSourceQuery(
            "SELECT * FROM (SELECT c.*, CASE%) lakeroute_q WHERE%", Duration.ofMinutes(5));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Files.readString(log) + cluster.logs(), e);
      }
      assertThat(Files.readString(log), cluster.hasExecutor(0), is(true));
      cluster.killWorker(0);
      run = await(process, log);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    LOG.info("with worker 0 killed mid-partition, the run exited {}", run.exit);
    assertThat(run.output, run.exit, oneOf(0, ExitCode.TRANSIENT.code()));
    // The driver saw the executor go while the run was under way.
    assertThat(run.output, containsString("Lost executor"));
    List<String> visible = fixture.s3.keys(RouteFixture.BUCKET, prefix + "/r1/");
    if (run.exit == 0) {
      // Spark ran the lost tasks again on the other worker.
      assertThat(manifest(prefix).rowCount(), equalTo(ROWS));
      // The files, the manifest, _SUCCESS and _COMPLETE.
      assertThat(visible, hasSize(manifest(prefix).fileCount() + 3));
    } else {
      assertThat(visible, empty());
    }
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, prefix + "/_lakeroute_staging/"), empty());
  }

  private static Manifest manifest(String prefix) throws IOException {
    return Manifest.fromJson(
        new String(
            fixture.s3.get(RouteFixture.BUCKET, prefix + "/r1/_manifest.json"),
            StandardCharsets.UTF_8));
  }

  /** The executors the driver was granted: one per worker when both ran. */
  private static Set<String> executors(String output) {
    Set<String> ids = new java.util.TreeSet<>();
    Matcher m = EXECUTOR.matcher(output);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static Path repo(String... parts) {
    return Path.of("..", parts).toAbsolutePath().normalize();
  }
}
