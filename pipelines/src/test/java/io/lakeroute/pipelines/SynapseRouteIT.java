package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalAzurite;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.WarehouseRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Route synapse end to end on the local cloud: PostgreSQL 15 source → CSV or Parquet → staged on
 * Azurite through Beam's azfs filesystem → the Synapse stand-in, H2 2.2 in {@code MODE=MSSQLServer}
 * ({@code --warehouseDialect=h2}), whose Synapse {@code COPY INTO} is executed by the tests' driver
 * ({@link CopyExecutingDriver}), reading each listed blob from Azurite with the run's SAS token.
 * The Databricks stand-in cannot reach an embedded H2, so Databricks reading Synapse is proven as
 * text only (federation, golden).
 */
class SynapseRouteIT {
  private static final String CONTAINER = "lakeroute-synapse-it";
  private static RouteFixture fixture;
  private static LocalAzurite azurite;
  private static String h2Url;
  private static Path sasFile;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
    azurite = LocalAzurite.shared();
    azurite.createContainer(CONTAINER);
    Path dir = Files.createTempDirectory("lakeroute-synapse");
    h2Url = "jdbc:h2:file:" + dir.resolve("synapse") + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE";
    warehouse("CREATE SCHEMA IF NOT EXISTS [dbo]");
    sasFile = azurite.secretFile("sas", azurite.accountSas("rl"));
  }

  /** Staged on Azurite, as route 4 stages on Azure Blob Storage. */
  private static List<String> args(String runner, String table, String... more) {
    List<String> args = fixture.sourceArgs(runner);
    args.addAll(List.of(azurite.endpointArgs()));
    args.addAll(
        List.of(
            "--azureAccountKeyFile=" + azurite.keyFile(),
            "--route=synapse",
            "--format=csv",
            "--destination=azfs://" + LocalAzurite.ACCOUNT + "/" + CONTAINER + "/" + table,
            "--warehouseDialect=h2",
            "--warehouseJdbcUrl=" + CopyExecutingDriver.synapse(h2Url, azurite),
            "--synapseCredential=sas",
            "--synapseSasTokenFile=" + sasFile,
            "--warehouseUser=sa",
            "--warehouseTable=" + table));
    args.addAll(Arrays.asList(more));
    return args;
  }

  private static RouteResult run(List<String> args) {
    return Lakeroute.run(Lakeroute.parse(RouteFixture.array(args)));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "DirectRunner, csv, gzip",
    "SparkRunner, csv, none",
    "DirectRunner, parquet, snappy",
  })
  void trickyRowsLandExactlyInTheSynapseStandIn(String runner, String format, String codec)
      throws Exception {
    String table = "Tricky_" + runner + "_" + format;
    List<String> args =
        args(
            runner,
            table,
            "--query=SELECT * FROM " + RouteFixture.TRICKY,
            "--compression=" + codec,
            "--runId=r1");
    args.replaceAll(a -> a.equals("--format=csv") ? "--format=" + format : a);
    RouteResult result = run(args);
    long rows = TrickyRows.ROW_COUNT;
    assertThat(result.queryRows(), equalTo(rows));
    assertThat(result.manifest().rowCount(), equalTo(rows));
    assertThat(result.rowsInWarehouse(), equalTo(rows));
    // Every column's fingerprint in the H2 stand-in equals the files', except binary held as
    // base64 text (CSV), which H2 cannot decode: left out, and counted so.
    assertThat(
        result.valuesInWarehouse(),
        equalTo(TrickyRows.schema().getFieldCount() - (format.equals("csv") ? 1L : 0L)));
    assertSameRows(table, format);

    assertThat(run(args).rowsInWarehouse(), equalTo(rows));
    assertThat(count(table), equalTo(rows));
  }

  /**
   * Binary held as base64 text in the H2 stand-in's table (CSV files): the warehouse leaves it out
   * of its values comparison and the summary names it with why; --verifyStrict refuses the same run
   * before anything is read.
   */
  @Test
  void aColumnTheWarehouseCannotFingerprintIsNamedOrRefusedWithVerifyStrict() {
    String table = "tricky_left_out";
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT id, c_text, c_bytea FROM " + RouteFixture.TRICKY,
            "--runId=l1");

    RouteFixture.Outcome run = RouteFixture.launch(args);
    assertThat(run.err(), run.code(), equalTo(ExitCode.OK));
    assertThat(
        run.out(),
        containsString(
            "the warehouse left out c_bytea (H2 cannot render a bytes held as text canonically),"
                + " which --verifyStrict refuses"));

    List<String> strict = new ArrayList<>(args);
    strict.add("--verifyStrict");
    strict.replaceAll(a -> a.equals("--runId=l1") ? "--runId=l2" : a);
    RouteFixture.Outcome refused = RouteFixture.launch(strict);
    assertThat(refused.err(), refused.code(), equalTo(ExitCode.USAGE));
    assertThat(
        refused.err(),
        containsString(
            "--verifyStrict: the warehouse cannot fingerprint c_bytea (H2 cannot render a bytes"
                + " held as text canonically) with --format=csv. Nothing was delivered."));
  }

  @Test
  void mergeReplacesByKeyAndReplaceKeepsOnlyTheLast() throws Exception {
    String table = "customers_dispositions";
    for (String ids : List.of("id <= 1000", "id BETWEEN 501 AND 1500", "id BETWEEN 501 AND 1500")) {
      run(
          args(
              "DirectRunner",
              table,
              "--query=SELECT * FROM customers WHERE " + ids,
              "--runId=" + ids.length(),
              "--warehouseDisposition=merge",
              "--warehouseMergeKeys=id"));
    }
    assertThat(count(table), equalTo(1500L));
    RouteResult replaced =
        run(
            args(
                "DirectRunner",
                table,
                "--query=SELECT * FROM customers WHERE id <= 100",
                "--runId=last",
                "--warehouseDisposition=replace"));
    assertThat(replaced.rowsInWarehouse(), equalTo(100L));
    assertThat(count(table), equalTo(100L));
  }

  @Test
  void aRejectedLoadLeavesTheTableAndKeepsTheFiles() throws Exception {
    String table = "too_narrow";
    warehouse(
        "DROP TABLE IF EXISTS [dbo].[" + table + "]",
        "CREATE TABLE [dbo].["
            + table
            + "] ([id] INT, [c_varchar] NVARCHAR(5), [_lakeroute_run_id] NVARCHAR(128))",
        "INSERT INTO [dbo].[" + table + "] VALUES (-1, N'kept', N'before')");
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, c_varchar FROM " + RouteFixture.TRICKY + " ORDER BY id",
                "--runId=r1",
                "--warehouseDisposition=replace"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
    assertThat(outcome.err(), containsString("Value too long for column"));
    assertThat(outcome.err(), containsString("part-00000"));
    assertThat(count(table), equalTo(1L));
    assertThat(azurite.blobs(CONTAINER, table + "/r1/"), hasItem(table + "/r1/_SUCCESS"));
  }

  /**
   * Issue 14 item 6: a run that fails after its warehouse load (here: the Databricks stand-in
   * cannot reach the embedded H2), the same run again, and retries of it after it succeeded end
   * with exactly one copy of the run's rows in the warehouse.
   */
  @Test
  void aRunFailingAfterTheLoadItsRerunAndRetriesAfterSuccessLeaveOneCopy() throws Exception {
    String table = "Rerun";
    warehouse("DROP TABLE IF EXISTS [dbo].[" + table + "]");
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM " + RouteFixture.TRICKY,
            "--format=parquet",
            "--runId=r1");
    args.remove("--format=csv");
    LocalDatabricks databricks = LocalDatabricks.shared();
    Path token = Files.createTempFile("databricks", ".token");
    Files.writeString(token, LocalDatabricks.TOKEN + "\n");
    List<String> withDatabricks = new ArrayList<>(args);
    withDatabricks.addAll(
        List.of(
            "--databricksJdbcUrl=" + databricks.jdbcUrlWithoutCredentials(),
            "--databricksTokenFile=" + token,
            "--databricksDialect=spark",
            "--databricksCatalog=spark_catalog",
            "--databricksSchema=default",
            "--databricksTable=synapse_rerun"));
    for (int attempt = 0; attempt < 2; attempt++) {
      RouteFixture.Outcome failed = RouteFixture.launch(withDatabricks);
      assertThat(failed.err(), failed.code(), equalTo(ExitCode.DATABRICKS));
      assertThat(count(table), equalTo((long) TrickyRows.ROW_COUNT));
    }
    Files.delete(token);
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(run(args).rowsInWarehouse(), equalTo((long) TrickyRows.ROW_COUNT));
      assertSameRows(table, "parquet");
    }
  }

  private static void assertSameRows(String table, String format) throws Exception {
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT * FROM [dbo].[" + table + "] ORDER BY [id] NULLS LAST")) {
      WarehouseRows.assertTrickyRows(rs, format, "r1", table);
    }
  }

  private static void warehouse(String... sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }

  private static long count(String table) throws Exception {
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT COUNT(*) FROM [dbo].[" + table.replace("]", "]]") + "]")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
