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
import io.lakeroute.testing.LocalH2;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route synapse end to end on the local cloud: PostgreSQL 15 source → CSV or Parquet → staged on
 * Azurite through Beam's azfs filesystem → the Synapse stand-in, H2 2.2 in {@code MODE=MSSQLServer}
 * ({@code --warehouseDialect=h2}) served over TCP on loopback ({@link LocalH2}), whose Synapse
 * {@code COPY INTO} is executed by the tests' driver ({@link CopyExecutingDriver}), reading each
 * listed blob from Azurite with the run's SAS token → the Databricks stand-in (Spark 3.5.4 Thrift
 * server, through the Databricks JDBC driver) reading the warehouse table through a {@code USING
 * JDBC} table over H2; the values compared in the warehouse and in Databricks. Real Databricks
 * reads Synapse through federation {@code TYPE sqldw}, golden-tested only.
 */
class SynapseRouteIT {
  private static final String CONTAINER = "lakeroute-synapse-it";
  private static final String DATABRICKS_SCHEMA = "lakeroute_synapse_it";
  private static RouteFixture fixture;
  private static LocalAzurite azurite;
  private static LocalDatabricks databricks;
  private static Path tokenFile;
  private static String h2Url;
  private static Path sasFile;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
    azurite = LocalAzurite.shared();
    azurite.createContainer(CONTAINER);
    // Over TCP, so that the Databricks stand-in's JVM reaches the tables too.
    h2Url = LocalH2.shared().synapseUrl("synapse");
    warehouse("CREATE SCHEMA IF NOT EXISTS [dbo]");
    sasFile = azurite.secretFile("sas", azurite.accountSas("rl"));
    databricks = LocalDatabricks.shared();
    databricks.execute("CREATE SCHEMA IF NOT EXISTS " + DATABRICKS_SCHEMA);
    tokenFile = Files.createTempFile("databricks", ".token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    tokenFile.toFile().deleteOnExit();
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

  /** Databricks (the stand-in) reads the loaded table as {@code table} in its test schema. */
  private static List<String> withDatabricks(List<String> args, String table) {
    args.addAll(
        List.of(
            "--databricksJdbcUrl=" + databricks.jdbcUrlWithoutCredentials(),
            "--databricksTokenFile=" + tokenFile,
            "--databricksDialect=spark",
            "--databricksCatalog=spark_catalog",
            "--databricksSchema=" + DATABRICKS_SCHEMA,
            "--databricksTable=" + table));
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
  void trickyRowsLandExactlyInTheSynapseStandInAndDatabricksReadsThem(
      String runner, String format, String codec) throws Exception {
    String table = "Tricky_" + runner + "_" + format;
    List<String> args =
        withDatabricks(
            args(
                runner,
                table,
                "--query=SELECT * FROM " + RouteFixture.TRICKY,
                "--compression=" + codec,
                "--runId=r1"),
            table);
    args.replaceAll(a -> a.equals("--format=csv") ? "--format=" + format : a);
    RouteResult result = run(args);
    long rows = TrickyRows.ROW_COUNT;
    assertThat(result.queryRows(), equalTo(rows));
    assertThat(result.manifest().rowCount(), equalTo(rows));
    assertThat(result.rowsInWarehouse(), equalTo(rows));
    assertThat(result.rowsInDatabricks(), equalTo(rows));
    // Every column's fingerprint in the H2 stand-in equals the files', except binary held as
    // base64 text (CSV), which H2 cannot decode: left out, and counted so.
    assertThat(
        result.valuesInWarehouse(),
        equalTo(TrickyRows.schema().getFieldCount() - (format.equals("csv") ? 1L : 0L)));
    assertSameRows(table, format);
    // The last hop: every value as Spark computes it, read from H2 through Spark's JDBC source.
    try (Connection connection = databricks.connect()) {
      DatabricksRows.assertTrickyRows(connection, DATABRICKS_SCHEMA + "." + table, format, "r1");
    }

    RouteResult again = run(args);
    assertThat(again.rowsInWarehouse(), equalTo(rows));
    assertThat(again.rowsInDatabricks(), equalTo(rows));
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

  /**
   * Merge on a key that is NULL in one row (id 1), which matches NULL, with a soft-delete column:
   * the first run deletes nothing (NULL), the later ones delete every tenth id of 501–1500.
   */
  @Test
  void mergeReplacesByKeyAndReplaceKeepsOnlyTheLast() throws Exception {
    String table = "customers_dispositions";
    String first = "CAST(NULL AS BOOLEAN) AS gone FROM customers WHERE id <= 1000";
    String later = "id % 10 = 0 AS gone FROM customers WHERE id = 1 OR id BETWEEN 501 AND 1500";
    List<Long> inWarehouse = new ArrayList<>();
    for (String rows : List.of(first, later, later)) {
      RouteResult merged =
          run(
              args(
                  "DirectRunner",
                  table,
                  "--query=SELECT NULLIF(id, 1) AS id, email, " + rows,
                  "--runId=" + inWarehouse.size(),
                  "--warehouseDisposition=merge",
                  "--warehouseMergeKeys=id",
                  "--softDeleteColumn=gone"));
      inWarehouse.add(merged.rowsInWarehouse());
      assertThat(merged.valuesInWarehouse(), equalTo(3L));
    }
    assertThat(inWarehouse, equalTo(List.of(1000L, 901L, 901L)));
    // NULL, 2–500, and 501–1500 less 100 deleted ids.
    assertThat(count(table), equalTo(1L + 499L + 900L));
    assertThat(
        warehouseLong("SELECT COUNT(*) FROM [dbo].[" + table + "] WHERE [id] IS NULL"),
        equalTo(1L));
    assertThat(
        warehouseLong("SELECT COUNT(*) FROM [dbo].[" + table + "] WHERE [gone]"), equalTo(0L));
    RouteResult replaced =
        run(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, email, FALSE AS gone FROM customers WHERE id <= 100",
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
   * Issue 14 item 6: Databricks goes away after the warehouse load committed, so the run exits 75;
   * the retry of the same command and a plain re-run end with one copy of the run's rows, every
   * value compared in the warehouse and in Databricks, in every disposition.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"append", "merge"})
  void aRunFailingRetryablyAfterTheLoadIsRetriedToOneCopy(String disposition) throws Exception {
    String table = "Retried_" + disposition;
    warehouse("DROP TABLE IF EXISTS [dbo].[" + table + "]");
    // Databricks names it in lower case.
    String inDatabricks = "synapse_retried_" + disposition;
    OneCopy.ofAWarehouseRoute(
        args("DirectRunner", table),
        disposition,
        DATABRICKS_SCHEMA,
        inDatabricks,
        () -> assertSameRows(table, "csv"));
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

  private static long warehouseLong(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
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
