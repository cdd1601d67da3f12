package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalDatabricks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A daily job of two tables from PostgreSQL 15 over three days, route redshift (S3Mock → the
 * PostgreSQL stand-in of Redshift, loaded by the executed COPY) ending in Delta tables on the
 * Databricks stand-in: orders change and arrive late (cursor {@code updated_at} with a lag, merged
 * on {@code id}), events are only ever added (cursor {@code id}, appended). After every run the
 * warehouse and Delta tables hold exactly the source's values — the fingerprints of the source
 * table, the warehouse table and the Delta table, each computed in its own engine, are equal. On
 * day three the orders' Databricks step fails after the publish: events are delivered, the job
 * exits non-zero, and the job's re-run skips the complete table and replays the failed one's range,
 * losing no row and duplicating none.
 */
class IncrementalIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/lakeroute-load";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RouteFixture fixture;
  private static LocalDatabricks databricks;
  private static String warehouseUrl;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    databricks = LocalDatabricks.shared();
    warehouseUrl = fixture.database("incremental");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner"})
  void threeDaysOfChangesArriveExactlyOnceAndAFailedTableIsRedoneAlone(String runner)
      throws Exception {
    String tag = runner.equals("DirectRunner") ? "direct" : "spark";
    String orders = "inc_orders_" + tag;
    String events = "inc_events_" + tag;
    String schema = "incremental_" + tag;
    fixture.postgres.execute(
        "DROP TABLE IF EXISTS " + orders,
        "DROP TABLE IF EXISTS " + events,
        "CREATE TABLE "
            + orders
            + " (id bigint PRIMARY KEY, customer text, amount numeric(38,6), status text,"
            + " updated_at timestamp(6) NOT NULL)",
        "CREATE TABLE " + events + " (id bigint PRIMARY KEY, kind text, at timestamptz)",
        "INSERT INTO "
            + orders
            + " VALUES (1, 'Zoë \"Z\" O''Neil', 10.500000, 'new', '2026-12-01 09:00:00'),"
            + " (2, 'Ana, Lima', 99999999999999999999999999999999.999999, NULL,"
            + " '2026-12-01 10:00:00.000001'),"
            + " (3, E'multi\\nline', -0.000001, 'new', '2026-12-01 11:30:00')",
        "INSERT INTO "
            + events
            + " VALUES (1, 'signup', '2026-12-01 08:00:00+01'), (2, E'say \"hi\",\\nok', NULL),"
            + " (3, '日本語', '1900-01-01 00:00:00+00')");
    try (Connection warehouse = warehouse();
        Statement statement = warehouse.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS public." + orders);
      statement.execute("DROP TABLE IF EXISTS public." + events);
    }
    databricks.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    Path job = jobFile(orders, events, schema);

    // Day 1: the first run reads every row.
    JsonNode day1 = runJob(runner, job, schema, "2026-12-01", ExitCode.OK);
    assertThat(cursor(day1, "orders").get("mode").asText(), equalTo("first"));
    assertThat(cursor(day1, "orders").get("markAfter").asText(), equalTo("2026-12-01T11:30"));
    assertThat(run(day1, "orders").get("counts").get("query").asLong(), equalTo(3L));
    assertSameValues(orders, schema, "day 1");
    assertSameValues(events, schema, "day 1");

    // Between day 1 and day 2: an order changes, one is new, one arrives late (its updated_at is
    // below the mark, within the lag); two events are added.
    fixture.postgres.execute(
        "UPDATE "
            + orders
            + " SET status = 'paid', amount = 11.000001, updated_at = '2026-12-02 08:00:00'"
            + " WHERE id = 1",
        "INSERT INTO " + orders + " VALUES (4, NULL, 4.000000, 'new', '2026-12-02 09:15:00')",
        "INSERT INTO " + orders + " VALUES (5, 'late', 5.000000, 'new', '2026-12-01 11:00:00')",
        "INSERT INTO "
            + events
            + " VALUES (4, 'logout', '2026-12-02 23:59:59.999999+00'), (5, NULL, NULL)");
    JsonNode day2 = runJob(runner, job, schema, "2026-12-02", ExitCode.OK);
    JsonNode ordersDay2 = cursor(day2, "orders");
    assertThat(ordersDay2.get("mode").asText(), equalTo("incremental"));
    assertThat(ordersDay2.get("markRun").asText(), equalTo("2026-12-01"));
    assertThat(ordersDay2.get("from").asText(), equalTo("2026-12-01T10:30"));
    // Rows 1 (changed), 3 (within the lag), 4 (new) and 5 (late): not row 2.
    assertThat(run(day2, "orders").get("counts").get("query").asLong(), equalTo(4L));
    assertThat(run(day2, "events").get("counts").get("query").asLong(), equalTo(2L));
    assertThat(cursor(day2, "events").get("from").asText(), equalTo("3"));
    assertSameValues(orders, schema, "day 2");
    assertSameValues(events, schema, "day 2");

    // Day 3: the orders' Delta table has been replaced by one of other columns, so their
    // Databricks step fails after the files were published and the warehouse merged them.
    fixture.postgres.execute(
        "UPDATE "
            + orders
            + " SET status = 'shipped', updated_at = '2026-12-03 07:00:00'"
            + " WHERE id = 2",
        "INSERT INTO " + orders + " VALUES (6, 'six', 6.000000, 'new', '2026-12-03 08:00:00')",
        "INSERT INTO " + events + " VALUES (6, 'purchase', '2026-12-03 12:00:00+00')");
    databricks.execute(
        "ALTER TABLE " + schema + "." + orders + " RENAME TO " + schema + ".orders_aside",
        "CREATE TABLE " + schema + "." + orders + " (id BIGINT) USING delta");
    JsonNode failed = runJob(runner, job, schema, "2026-12-03", ExitCode.DATABRICKS);
    assertThat(run(failed, "orders").get("status").asText(), equalTo("failed"));
    assertThat(run(failed, "events").get("status").asText(), equalTo("succeeded"));
    assertSameValues(events, schema, "day 3, events delivered despite the orders' failure");

    databricks.execute(
        "DROP TABLE " + schema + "." + orders,
        "ALTER TABLE " + schema + ".orders_aside RENAME TO " + schema + "." + orders);
    JsonNode rerun = runJob(runner, job, schema, "2026-12-03", ExitCode.OK);
    assertThat(run(rerun, "events").get("status").asText(), equalTo("already-complete"));
    JsonNode replay = cursor(rerun, "orders");
    assertThat(replay.get("mode").asText(), equalTo("replay"));
    assertThat(replay.get("markAfter").asText(), equalTo("2026-12-03T08:00"));
    assertSameValues(orders, schema, "day 3 re-run");
    assertSameValues(events, schema, "day 3 re-run");

    // A change after day 3's mark reaches Delta on day 4; nothing new for events is no row.
    fixture.postgres.execute(
        "UPDATE "
            + orders
            + " SET status = 'late change', updated_at = '2026-12-03 09:00:00' WHERE id = 3");

    JsonNode day4 = runJob(runner, job, schema, "2026-12-04", ExitCode.OK);
    assertThat(cursor(day4, "orders").get("markRun").asText(), equalTo("2026-12-03"));
    assertThat(run(day4, "events").get("counts").get("query").asLong(), equalTo(0L));
    assertSameValues(orders, schema, "day 4");
    assertSameValues(events, schema, "day 4");
  }

  private Path jobFile(String orders, String events, String schema) throws Exception {
    Path tokenFile = temp.resolve("databricks.token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    Path job = temp.resolve("daily.yaml");
    Files.writeString(
        job,
        String.join(
            "\n",
            "defaults:",
            "  route: redshift",
            "  destination: s3://" + RouteFixture.BUCKET + "/incremental/" + schema + "/{table}",
            "  warehouseDialect: postgres",
            "  warehouseJdbcUrl: '" + CopyExecutingDriver.redshift(warehouseUrl, fixture.s3) + "'",
            "  redshiftIamRole: " + ROLE,
            "  warehouseUser: " + fixture.postgres.user(),
            "  warehousePasswordFile: " + fixture.passwordFile,
            "  warehouseSchema: public",
            "  databricksJdbcUrl: '" + databricks.jdbcUrlWithoutCredentials() + "'",
            "  databricksTokenFile: " + tokenFile,
            "  databricksDialect: spark",
            "  databricksCatalog: spark_catalog",
            "  databricksSchema: " + schema,
            "  databricksMode: delta",
            "tables:",
            "  - name: orders",
            "    table: " + orders,
            "    format: parquet",
            "    partitionColumn: id",
            "    cursorColumn: updated_at",
            "    cursorLag: PT1H",
            "    warehouseTable: " + orders,
            "    warehouseDisposition: merge",
            "    warehouseMergeKeys: id",
            "    databricksTable: " + orders,
            "    databricksDisposition: merge",
            "    databricksMergeKeys: id",
            "  - name: events",
            "    table: " + events,
            "    format: csv",
            "    cursorColumn: id",
            "    warehouseTable: " + events,
            "    warehouseDisposition: append",
            "    databricksTable: " + events,
            "    databricksDisposition: append",
            ""),
        StandardCharsets.UTF_8);
    return job;
  }

  /** Runs the job for {@code date}; returns its summary. */
  private JsonNode runJob(String runner, Path job, String schema, String date, ExitCode expected)
      throws Exception {
    Path summary = temp.resolve("summary-" + date + "-" + System.nanoTime() + ".json");
    List<String> args = new ArrayList<>(fixture.args(runner));
    args.add("--job=" + job);
    args.add("--logicalDate=" + date);
    args.add("--summaryPath=" + summary);
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.out() + outcome.err(), outcome.code(), equalTo(expected));
    return JSON.readTree(Files.readString(summary, StandardCharsets.UTF_8));
  }

  private static JsonNode run(JsonNode summary, String table) {
    for (JsonNode run : summary.get("runs")) {
      if (table.equals(run.path("table").asText())) {
        return run;
      }
    }
    throw new AssertionError("no run of table " + table + " in " + summary);
  }

  private static JsonNode cursor(JsonNode summary, String table) {
    return run(summary, table).get("cursor");
  }

  /**
   * The source table's rows, fingerprinted by PostgreSQL, equal the warehouse table's,
   * fingerprinted by PostgreSQL, and the Delta table's, fingerprinted by Spark: same rows, same
   * values, none twice.
   */
  private void assertSameValues(String table, String schema, String when) throws Exception {
    List<FingerprintColumn> columns =
        columns(table.startsWith("inc_orders") ? "orders" : "events", schema);
    Fingerprint source;
    try (Connection connection = fixture.postgres.connect()) {
      source = fingerprint(connection, FingerprintSql.postgres(), table, columns);
    }
    Fingerprint inWarehouse;
    try (Connection connection = warehouse()) {
      inWarehouse = fingerprint(connection, FingerprintSql.postgres(), table, columns);
    }
    Fingerprint inDelta;
    try (Connection connection = databricks.connect()) {
      inDelta = fingerprint(connection, FingerprintSql.spark(), schema + "." + table, columns);
    }
    assertThat(when + ": warehouse " + table, inWarehouse.differences(source), equalTo(List.of()));
    assertThat(when + ": Delta " + table, inDelta.differences(source), equalTo(List.of()));
    assertThat(when + ": " + table + " is not empty", source.rows() > 0, equalTo(true));
  }

  /** The columns of the job table's latest complete run, as its manifest names their types. */
  private List<FingerprintColumn> columns(String name, String schema) throws Exception {
    String prefix = "incremental/" + schema + "/" + name + "/";
    String latest =
        fixture.s3.keys(RouteFixture.BUCKET, prefix).stream()
            .filter(k -> k.endsWith("/_COMPLETE"))
            .sorted()
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no complete run of " + name));
    Manifest manifest =
        Manifest.fromJson(
            new String(
                fixture.s3.get(
                    RouteFixture.BUCKET, latest.replace("/_COMPLETE", "/" + Layout.MANIFEST)),
                StandardCharsets.UTF_8));
    return manifest.columns().stream()
        .map(c -> FingerprintColumn.inTable(c, manifest.format()))
        .toList();
  }

  private static Fingerprint fingerprint(
      Connection connection, FingerprintSql sql, String table, List<FingerprintColumn> columns)
      throws Exception {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql.query(table, columns, null))) {
      return FingerprintSql.read(rs, columns);
    }
  }

  private static Connection warehouse() throws Exception {
    return DriverManager.getConnection(
        warehouseUrl, fixture.postgres.user(), fixture.postgres.password());
  }
}
