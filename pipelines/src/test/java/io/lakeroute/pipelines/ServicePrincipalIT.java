package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.pipelines.launch.Launcher;
import io.lakeroute.pipelines.lineage.RunEvents;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.TrickyRows;
import io.openlineage.client.OpenLineage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Databricks service principal runs route 1: the real Databricks JDBC driver performs OAuth
 * machine-to-machine (discovery, then the client-credentials grant) against the stand-in's token
 * endpoint, and the stand-in lets in only the bearer token it issued. No personal access token is
 * anywhere in the environment these runs see.
 */
class ServicePrincipalIT {
  private static RouteFixture fixture;
  private static LocalDatabricks databricks;
  private static Path summaries;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
    databricks = LocalDatabricks.shared();
    databricks.execute("CREATE SCHEMA IF NOT EXISTS " + DatabricksRouteIT.SCHEMA);
    summaries = Files.createTempDirectory("sp-summaries");
  }

  private record Outcome(ExitCode code, String out, String err, String summary) {}

  /** Runs the launcher with {@code env} as the whole environment. */
  private static Outcome launch(List<String> args, Map<String, String> env) throws Exception {
    Path summary = Files.createTempFile(summaries, "summary", ".json");
    List<String> all = new ArrayList<>(args);
    all.add("--summaryPath=" + summary);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitCode code =
        Launcher.launch(
            RouteFixture.array(all),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env::get);
    return new Outcome(
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        Files.readString(summary));
  }

  private static List<String> args(String table, String destination) {
    return fixture.args(
        "DirectRunner",
        "--query=SELECT * FROM " + RouteFixture.TRICKY,
        "--format=parquet",
        "--destination=s3://" + RouteFixture.BUCKET + "/service-principal/" + destination,
        "--databricksJdbcUrl=" + databricks.oauthJdbcUrlWithoutCredentials(),
        "--databricksDialect=spark",
        "--databricksMode=delta",
        "--databricksCatalog=spark_catalog",
        "--databricksSchema=" + DatabricksRouteIT.SCHEMA,
        "--databricksTable=" + table);
  }

  @Test
  void servicePrincipalFromTheEnvironmentLoadsEveryValue() throws Exception {
    Path lineage = summaries.resolve("lineage.jsonl");
    List<String> args = args("by_service_principal", "env");
    args.add("--openLineageFile=" + lineage);
    Outcome outcome =
        launch(
            args,
            Map.of(
                "DATABRICKS_CLIENT_ID", LocalDatabricks.CLIENT_ID,
                "DATABRICKS_CLIENT_SECRET", LocalDatabricks.CLIENT_SECRET));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    DatabricksRouteIT.assertSameRows("by_service_principal", FileFormat.PARQUET);
    assertThat(
        outcome.out() + outcome.summary(), not(containsString(LocalDatabricks.CLIENT_SECRET)));
    // The lineage of the run names the Databricks table with the rows Databricks showed.
    List<String> events = Files.readAllLines(lineage);
    assertThat(
        RunEvents.checked(events.get(0)).getEventType(),
        equalTo(OpenLineage.RunEvent.EventType.START));
    OpenLineage.RunEvent complete = RunEvents.checked(events.get(1));
    OpenLineage.OutputDataset table = complete.getOutputs().get(1);
    assertThat(
        table.getName(),
        equalTo("spark_catalog." + DatabricksRouteIT.SCHEMA + ".by_service_principal"));
    assertThat(table.getNamespace(), equalTo("databricks://127.0.0.1:" + databricks.port()));
    assertThat(
        table.getOutputFacets().getOutputStatistics().getRowCount(),
        equalTo((long) TrickyRows.rows().size()));
    assertThat(String.join("\n", events), not(containsString(LocalDatabricks.CLIENT_SECRET)));
  }

  @Test
  void servicePrincipalWithTheSecretInAFile() throws Exception {
    Path secret = Files.createTempFile("sp", ".secret");
    Files.writeString(secret, LocalDatabricks.CLIENT_SECRET + "\n");
    List<String> args = args("by_service_principal_file", "file");
    args.add("--databricksClientId=" + LocalDatabricks.CLIENT_ID);
    args.add("--databricksClientSecretFile=" + secret);
    Outcome outcome = launch(args, Map.of());
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    DatabricksRouteIT.assertSameRows("by_service_principal_file", FileFormat.PARQUET);
  }

  @Test
  void wrongSecretNamesThePrincipalNeverTheSecret() throws Exception {
    String wrong = "dose-not-the-secret-4711";
    List<String> args = args("never_loaded", "wrong-secret");
    args.add("--databricksClientId=" + LocalDatabricks.CLIENT_ID);
    Outcome outcome = launch(args, Map.of("DATABRICKS_CLIENT_SECRET", wrong));
    assertThat(outcome.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(outcome.err(), containsString("service principal " + LocalDatabricks.CLIENT_ID));
    assertThat(outcome.err(), containsString("invalid_client"));
    String everything = outcome.out() + outcome.err() + outcome.summary();
    assertThat(everything, not(containsString(wrong)));
    assertThat(everything, not(containsString(LocalDatabricks.CLIENT_SECRET)));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "service-principal/wrong-secret/").size(), equalTo(0));
  }

  @Test
  void clientIdWithoutSecretNamesWhereTheSecretGoes() throws Exception {
    List<String> args = args("never_loaded", "no-secret");
    args.add("--databricksClientId=" + LocalDatabricks.CLIENT_ID);
    Outcome outcome = launch(args, Map.of());
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString("DATABRICKS_CLIENT_SECRET"));
    assertThat(outcome.err(), containsString("--databricksClientSecretFile"));
  }

  @Test
  void secretAsAFlagIsRefused() throws Exception {
    List<String> args = args("never_loaded", "flag");
    args.add("--databricksClientSecret=" + LocalDatabricks.CLIENT_SECRET);
    Outcome outcome = launch(args, Map.of());
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString("--databricksClientSecretFile"));
    assertThat(outcome.err(), not(containsString(LocalDatabricks.CLIENT_SECRET)));
  }
}
