package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.testing.LocalAzurite;
import io.lakeroute.testing.TrickyRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route synapse end to end on the local cloud: PostgreSQL 15 source → CSV → staged on Azurite
 * through Beam's azfs filesystem (the stand-in reads the manifest's files through Beam's
 * filesystems) → the Synapse stand-in, H2 2.2 in {@code MODE=MSSQLServer}, loaded with {@code
 * INSERT … SELECT … FROM CSVREAD} as {@code --warehouseDialect=h2} does. The COPY INTO itself is
 * proven as text only (SynapseSqlTest). The Databricks stand-in cannot reach an embedded H2, so
 * Databricks reading Synapse is proven as text only (federation, golden).
 */
class SynapseRouteIT {
  private static final String CONTAINER = "lakeroute-synapse-it";
  private static RouteFixture fixture;
  private static LocalAzurite azurite;
  private static String h2Url;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
    azurite = LocalAzurite.shared();
    azurite.createContainer(CONTAINER);
    Path dir = Files.createTempDirectory("lakeroute-synapse");
    h2Url = "jdbc:h2:file:" + dir.resolve("synapse") + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE";
    warehouse("CREATE SCHEMA IF NOT EXISTS [dbo]");
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
            "--warehouseJdbcUrl=" + h2Url,
            "--warehouseUser=sa",
            "--warehouseTable=" + table));
    args.addAll(Arrays.asList(more));
    return args;
  }

  private static RouteResult run(List<String> args) {
    return Lakeroute.run(Lakeroute.parse(RouteFixture.array(args)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner"})
  void trickyRowsLandExactlyInTheSynapseStandIn(String runner) throws Exception {
    String table = "Tricky_" + runner;
    List<String> args =
        args(
            runner,
            table,
            "--query=SELECT * FROM " + RouteFixture.TRICKY,
            "--compression=" + (runner.equals("DirectRunner") ? "gzip" : "none"),
            "--runId=r1");
    RouteResult result = run(args);
    long rows = TrickyRows.ROW_COUNT;
    assertThat(result.queryRows(), equalTo(rows));
    assertThat(result.manifest().rowCount(), equalTo(rows));
    assertThat(result.rowsInWarehouse(), equalTo(rows));
    assertSameRows(table);

    assertThat(run(args).rowsInWarehouse(), equalTo(rows));
    assertThat(count(table), equalTo(rows));
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

  private static void assertSameRows(String table) throws Exception {
    Schema schema = TrickyRows.schema();
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT * FROM [dbo].[" + table + "] ORDER BY [id] NULLS LAST")) {
      for (Row row : TrickyRows.rows()) {
        assertThat("row count", rs.next(), equalTo(true));
        for (int i = 0; i < schema.getFieldCount(); i++) {
          Schema.Field field = schema.getField(i);
          Kind kind = SqlTypeMapping.kindOf(field.getType());
          Object want = row.getValue(i);
          assertThat(
              table + " id=" + row.getValue("id") + " " + field.getName(),
              WarehouseRows.read(rs, field.getName(), kind),
              equalTo(want == null ? null : WarehouseRows.expected(kind, want)));
        }
      }
      assertThat("no extra rows", rs.next(), equalTo(false));
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
