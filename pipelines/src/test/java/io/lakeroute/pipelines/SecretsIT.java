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
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(output, not(containsString(SECRET)));
    assertThat(output, containsString("lakeroute: FAILED"));
    assertThat(output, not(containsString("\tat ")));
    String json = Files.readString(summary, StandardCharsets.UTF_8);
    assertThat(json, not(containsString(SECRET)));
    assertThat(json, containsString("\"status\" : \"failed\""));
    return process.exitValue();
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
    assertThat(
        runWatched(args, Map.of("LAKEROUTE_JDBC_PASSWORD", SECRET)),
        equalTo(ExitCode.SOURCE.code()));
    args.add("--databricksTable=customers");
    args.add(DATABRICKS_DOWN);
    assertThat(
        runWatched(args, Map.of("LAKEROUTE_JDBC_PASSWORD", SECRET, "DATABRICKS_TOKEN", SECRET)),
        equalTo(ExitCode.DATABRICKS.code()));
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
    assertThat(runWatched(args, Map.of()), equalTo(ExitCode.USAGE.code()));
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
            "--destination=" + temp.resolve("staged"),
            "--warehouseDialect=postgres",
            "--warehouseJdbcUrl=" + fixture.postgres.jdbcUrl(),
            "--warehouseUser=" + fixture.postgres.user(),
            "--warehouseTable=customers_copy");
    // The stand-in's own server refuses the wrong password.
    assertThat(runWatched(redshift, env), equalTo(ExitCode.LOAD.code()));
    List<String> synapse =
        source(
            "synapse",
            "--format=csv",
            "--destination=" + temp.resolve("staged"),
            "--warehouseDialect=h2",
            "--warehouseJdbcUrl=jdbc:h2:tcp://" + CLOSED + "/x",
            "--warehouseTable=customers_copy",
            "--synapseCredential=sas",
            "--databricksTable=customers",
            DATABRICKS_DOWN);
    assertThat(runWatched(synapse, env), equalTo(ExitCode.LOAD.code()));
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
    assertThat(
        runWatched(
            all,
            Map.of(
                "LAKEROUTE_JDBC_PASSWORD",
                fixture.postgres.password(),
                "DATABRICKS_TOKEN",
                SECRET)),
        equalTo(ExitCode.DATABRICKS.code()));
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
