package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalAzurite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret planted where users put secrets (the environment, a file) never shows anywhere else: not
 * in stdout or stderr (the logs included: the jar logs to stderr), not in the JSON summary, and not
 * in the process list while the run lasts, on a failure path of every route. Each case is the
 * shaded jar in a process of its own, as users run it, failing at the service the secret is for.
 */
class SecretsIT {
  private static final String SECRET = "PLANTED-s3cr3t-Zq81x";

  /** Where nothing listens: a service that is down. */
  private static final String CLOSED = "127.0.0.1:9";

  private static RouteFixture fixture;

  @TempDir Path temp;

  /** What the latest run printed, for the messages of assertions on its exit code. */
  private String output = "";

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  /** Runs the jar with {@code env}, watching the process list until it ends; returns its exit. */
  private int runWatched(List<String> args, Map<String, String> env) throws Exception {
    Path summary = temp.resolve("summary-" + System.nanoTime() + ".json");
    Path log = temp.resolve("run-" + System.nanoTime() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("lakeroute.jar"));
    command.addAll(args);
    command.add("--summaryPath=" + summary);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
      assertThat("the process list", processList(), not(containsString(SECRET)));
    }
    output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(output, not(containsString(SECRET)));
    assertThat(output, containsString("lakeroute: FAILED"));
    assertThat(output, not(containsString("\tat ")));
    String json = Files.readString(summary, StandardCharsets.UTF_8);
    assertThat(json, not(containsString(SECRET)));
    assertThat(json, containsString("\"status\" : \"failed\""));
    return process.exitValue();
  }

  /** Runs as {@link #runWatched} and checks the exit code, showing the output when it differs. */
  private void assertExit(List<String> args, Map<String, String> env, int expected)
      throws Exception {
    int exit = runWatched(args, env);
    assertThat(output, exit, equalTo(expected));
  }

  private static String processList() throws IOException, InterruptedException {
    Process ps = new ProcessBuilder("ps", "-eo", "args", "ww").redirectErrorStream(true).start();
    String list = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor();
    return list;
  }

  private static List<String> source(String route, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--route=" + route);
    args.add("--jdbcUrl=" + fixture.postgres.jdbcUrl());
    args.add("--jdbcUser=" + fixture.postgres.user());
    args.add("--query=SELECT * FROM " + RouteFixture.CUSTOMERS + " WHERE id <= 10");
    args.addAll(List.of(more));
    return args;
  }

  private static final String DATABRICKS_DOWN =
      "--databricksJdbcUrl=jdbc:databricks://" + CLOSED + "/default;ssl=0;httpPath=cliservice";

  @Test
  void s3WithAWrongSourcePasswordAndADatabricksToken() throws Exception {
    List<String> args = source("s3", "--destination=" + temp.resolve("lake"));
    assertExit(args, Map.of("LAKEROUTE_JDBC_PASSWORD", SECRET), ExitCode.SOURCE.code());
    args.add("--databricksTable=customers");
    args.add(DATABRICKS_DOWN);
    assertExit(
        args,
        Map.of("LAKEROUTE_JDBC_PASSWORD", SECRET, "DATABRICKS_TOKEN", SECRET),
        ExitCode.DATABRICKS.code());
  }

  @Test
  void azureBlobWithAWrongAccountKey() throws Exception {
    String key = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    List<String> args =
        source(
            "azure-blob",
            "--destination=azfs://devstoreaccount1/secrets/x",
            "--blobServiceEndpoint=" + LocalAzurite.shared().blobEndpoint(),
            "--accountName=devstoreaccount1");
    int exit =
        runWatched(
            args,
            Map.of(
                "LAKEROUTE_JDBC_PASSWORD", fixture.postgres.password(), "AZURE_STORAGE_KEY", key));
    assertThat(exit, equalTo(ExitCode.DELIVERY.code()));
  }

  @Test
  void gcsWithAKeyFileThatIsNotAKey() throws Exception {
    Path key = Files.writeString(temp.resolve("key.json"), "{\"private_key\": \"" + SECRET + "\"");
    List<String> args =
        source("gcs", "--destination=gs://bucket/x", "--gcsServiceAccountKeyFile=" + key);
    assertExit(args, Map.of(), ExitCode.USAGE.code());
  }

  @Test
  void warehouseRoutesWithTheirPasswordsAndTokens() throws Exception {
    Map<String, String> env =
        Map.of(
            "LAKEROUTE_JDBC_PASSWORD",
            fixture.postgres.password(),
            "LAKEROUTE_WAREHOUSE_PASSWORD",
            SECRET,
            "LAKEROUTE_SYNAPSE_SAS_TOKEN",
            SECRET,
            "DATABRICKS_TOKEN",
            SECRET);
    List<String> redshift =
        source(
            "redshift",
            "--format=csv",
            "--destination=s3://" + RouteFixture.BUCKET + "/secrets",
            "--warehouseDialect=postgres",
            "--warehouseJdbcUrl=" + fixture.postgres.jdbcUrl(),
            "--redshiftIamRole=arn:aws:iam::123456789012:role/lakeroute-load",
            "--warehouseUser=" + fixture.postgres.user(),
            "--warehouseTable=customers_copy");
    redshift.addAll(List.of(fixture.s3.launcherArgs()));
    // The stand-in's own server refuses the wrong password.
    assertExit(redshift, env, ExitCode.LOAD.code());
    LocalAzurite.shared().createContainer("secrets-synapse");
    List<String> synapse =
        source(
            "synapse",
            "--format=csv",
            "--destination=azfs://devstoreaccount1/secrets-synapse/x",
            "--blobServiceEndpoint=" + LocalAzurite.shared().blobEndpoint(),
            "--accountName=devstoreaccount1",
            "--azureAccountKeyFile=" + LocalAzurite.shared().keyFile(),
            "--warehouseDialect=h2",
            "--warehouseJdbcUrl=jdbc:h2:tcp://" + CLOSED + "/x",
            "--warehouseTable=customers_copy",
            "--synapseCredential=sas",
            "--databricksTable=customers",
            DATABRICKS_DOWN);
    assertExit(synapse, env, ExitCode.LOAD.code());
  }

  @Test
  void bigQueryWithADatabricksToken() throws Exception {
    List<String> args =
        source(
            "bigquery",
            "--format=csv",
            "--destination=gs://" + RouteFixture.GCS_BUCKET + "/secrets",
            "--bigQueryTable=my-project:sales.customers",
            "--databricksForeignCatalog=bq",
            "--databricksKeySecret=scope/key",
            DATABRICKS_DOWN);
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(fixture.gcs().beamArgs()));
    assertExit(
        all,
        Map.of("LAKEROUTE_JDBC_PASSWORD", fixture.postgres.password(), "DATABRICKS_TOKEN", SECRET),
        ExitCode.DATABRICKS.code());
  }

  @Test
  void secretsOnTheCommandLineAreRefusedWithoutBeingRepeated() throws Exception {
    List<String> args =
        source(
            "s3",
            "--destination=" + temp.resolve("lake"),
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"a\","
                + "\"secretAccessKey\":\""
                + SECRET
                + "\"}");
    Path log = temp.resolve("refused.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("lakeroute.jar"));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES), equalTo(true));
    assertThat(process.exitValue(), equalTo(ExitCode.USAGE.code()));
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(output, containsString("AWS_SECRET_ACCESS_KEY"));
    assertThat(output, not(containsString(SECRET)));
  }
}
