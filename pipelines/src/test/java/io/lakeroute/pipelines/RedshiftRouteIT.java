package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.WarehouseRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route redshift end to end on the local cloud: PostgreSQL 15 source → Parquet, Avro, JSON or CSV →
 * S3Mock → the Redshift stand-in (a second PostgreSQL 15 database, {@code
 * --warehouseDialect=postgres}), whose Redshift {@code COPY … MANIFEST} is executed against S3Mock
 * by the tests' driver ({@link CopyExecutingDriver}) → the Databricks stand-in (Spark 3.5.4 Thrift
 * server, through the Databricks JDBC driver) reading the warehouse table through a {@code USING
 * JDBC} table; the values compared in the warehouse and in Databricks.
 */
class RedshiftRouteIT {
  private static final String WAREHOUSE_DB = "redshift";
  private static final String SCHEMA = "sales";
  private static final String DATABRICKS_SCHEMA = "lakeroute_redshift_it";
  private static RouteFixture fixture;
  private static LocalDatabricks databricks;
  private static Path tokenFile;
  private static String warehouseUrl;
  private static final String ROLE = "arn:aws:iam::123456789012:role/lakeroute-load";

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
    warehouseUrl = fixture.database(WAREHOUSE_DB);
    warehouse("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    databricks = LocalDatabricks.shared();
    databricks.execute("CREATE SCHEMA IF NOT EXISTS " + DATABRICKS_SCHEMA);
    tokenFile = Files.createTempFile("databricks", ".token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    tokenFile.toFile().deleteOnExit();
  }

  private static List<String> args(String runner, String table, String... more) {
    List<String> args =
        fixture.args(
            runner,
            "--route=redshift",
            "--format=csv",
            "--destination=s3://" + RouteFixture.BUCKET + "/redshift/" + table,
            "--warehouseDialect=postgres",
            "--warehouseJdbcUrl=" + CopyExecutingDriver.redshift(warehouseUrl, fixture.s3),
            "--redshiftIamRole=" + ROLE,
            "--warehouseUser=" + fixture.postgres.user(),
            "--warehousePasswordFile=" + fixture.passwordFile,
            "--warehouseSchema=" + SCHEMA,
            "--warehouseTable=" + table);
    args.addAll(Arrays.asList(more));
    return args;
  }

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
    "SparkRunner, avro, snappy",
    "DirectRunner, json, gzip"
  })
  void trickyRowsLandExactlyInRedshiftAndDatabricksReadsThem(
      String runner, String format, String codec) throws Exception {
    String table = "tricky_" + runner.toLowerCase(java.util.Locale.ROOT) + "_" + format;
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
    // Every column's fingerprint in the warehouse equals the files' (none left out).
    assertThat(result.valuesInWarehouse(), equalTo((long) TrickyRows.schema().getFieldCount()));
    assertSameRows(table, format);
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "redshift/" + table + "/r1/"),
        hasItem("redshift/" + table + "/r1/_redshift_manifest.json"));
    try (Connection connection = databricks.connect()) {
      DatabricksRows.assertTrickyRows(connection, DATABRICKS_SCHEMA + "." + table, format, "r1");
    }

    // The same run again replaces its rows, never adds them.
    assertThat(run(args).rowsInWarehouse(), equalTo(rows));
    assertThat(count(table), equalTo(rows));
  }

  @Test
  void appendKeepsEachRunOnceMergeReplacesByKeyAndReplaceKeepsOnlyTheLast() throws Exception {
    String table = "customers_dispositions";
    for (String runId : List.of("day1", "day2", "day2")) {
      String ids = runId.equals("day1") ? "id <= 1000" : "id BETWEEN 501 AND 1500";
      RouteResult result =
          run(
              args(
                  "DirectRunner",
                  table,
                  "--query=SELECT * FROM customers WHERE " + ids,
                  "--runId=" + runId));
      assertThat(result.rowsInWarehouse(), equalTo(1000L));
    }
    assertThat(count(table), equalTo(2000L));

    // Merge on id: ids 1001–2000 replace day2's 1001–1500 and add 1501–2000, less every tenth id,
    // which the source marks deleted: its row goes and none is inserted; twice, same result.
    for (int i = 0; i < 2; i++) {
      RouteResult merged =
          run(
              args(
                  "DirectRunner",
                  table,
                  "--query=SELECT *, id % 10 = 0 AS gone FROM customers"
                      + " WHERE id BETWEEN 1001 AND 2000",
                  "--runId=day3",
                  "--warehouseDisposition=merge",
                  "--warehouseMergeKeys=id",
                  "--warehouseAddColumns=true",
                  "--softDeleteColumn=gone"));
      assertThat(merged.rowsInWarehouse(), equalTo(900L));
      assertThat(merged.valuesInWarehouse(), greaterThan(0L));
      assertThat(count(table), equalTo(1000L + 500L + 900L));
      assertThat(
          warehouseLong("SELECT COUNT(DISTINCT id) FROM " + SCHEMA + "." + table), equalTo(1900L));
      assertThat(
          warehouseLong("SELECT COUNT(*) FROM " + SCHEMA + "." + table + " WHERE gone"),
          equalTo(0L));
    }

    RouteResult replaced =
        run(
            args(
                "DirectRunner",
                table,
                "--query=SELECT *, FALSE AS gone FROM customers WHERE id <= 250",
                "--runId=day4",
                "--warehouseDisposition=replace"));
    assertThat(replaced.rowsInWarehouse(), equalTo(250L));
    assertThat(count(table), equalTo(250L));
  }

  /**
   * {@code verify} with the run's options (less the IAM role its COPY needed) re-checks the files
   * and the warehouse table's rows of the run in PostgreSQL, by the run's fingerprint query; a
   * value changed in the table afterwards is exit 7 naming hop, table and column. Databricks reads
   * the table through federation and is said not to be re-checked.
   */
  @Test
  void verifyReChecksTheWarehouseRowsOfAPublishedRun() throws Exception {
    String table = "verified";
    List<String> args =
        withDatabricks(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, c_text, c_timestamptz FROM " + RouteFixture.TRICKY,
                "--runId=r1"),
            table);
    assertThat(run(args).valuesInWarehouse(), equalTo(3L));
    List<String> verify = new java.util.ArrayList<>(List.of("verify"));
    args.stream().filter(a -> !a.startsWith("--redshiftIamRole=")).forEach(verify::add);

    RouteFixture.Outcome clean = RouteFixture.launch(verify);
    assertThat(clean.err(), clean.code(), equalTo(ExitCode.OK));
    assertThat(
        clean.out(),
        containsString(
            "  warehouse  postgres table \"sales\".\"verified\" (rows of run r1): every column's"
                + " fingerprint as the manifest says"));
    assertThat(
        clean.out(),
        containsString(
            "  databricks Databricks table spark_catalog."
                + DATABRICKS_SCHEMA
                + ".verified: not re-checked: Databricks reads"));

    warehouse(
        "UPDATE "
            + SCHEMA
            + "."
            + table
            + " SET c_timestamptz = c_timestamptz + INTERVAL '1 microsecond' WHERE id = (SELECT"
            + " MIN(id) FROM "
            + SCHEMA
            + "."
            + table
            + " WHERE isfinite(c_timestamptz))");
    RouteFixture.Outcome caught = RouteFixture.launch(verify);
    assertThat(caught.out(), caught.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        caught.err(),
        containsString(
            "  warehouse: Values differ between the files of run r1 and postgres table"
                + " \"sales\".\"verified\" (rows of run r1): c_timestamptz (fingerprints computed"
                + " by PostgreSQL, docs/fingerprints.md)."));
  }

  /**
   * A timestamp shifted in the warehouse table as the load inserts it (a trigger, as a default or a
   * rule might): the counts agree, the values do not. Exit 7 naming the hop, the table, the column
   * and the row on each side; the table is as it was.
   */
  @Test
  void aTimestampShiftedInTheWarehouseFailsTheRunNamingColumnAndRow() throws Exception {
    String table = "shifted";
    String quoted = SCHEMA + "." + table;
    warehouse(
        "DROP TABLE IF EXISTS " + quoted,
        "CREATE TABLE "
            + quoted
            + " (id INTEGER, c_timestamp TIMESTAMP, _lakeroute_run_id VARCHAR(128))",
        "CREATE OR REPLACE FUNCTION "
            + SCHEMA
            + ".shift_one_hour() RETURNS trigger AS $$ BEGIN IF NEW.id = 3 THEN"
            + " NEW.c_timestamp := NEW.c_timestamp + INTERVAL '1 hour'; END IF; RETURN NEW;"
            + " END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER shift BEFORE INSERT ON "
            + quoted
            + " FOR EACH ROW EXECUTE FUNCTION "
            + SCHEMA
            + ".shift_one_hour()");
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, c_timestamp FROM " + RouteFixture.TRICKY + " ORDER BY id",
                "--runId=r1"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        outcome.err(),
        containsString(
            "Values differ between the files of run r1 and postgres table \"sales\".\"shifted\""
                + " (rows of run r1): c_timestamp"));
    // 1970-01-01T00:00 is 0 microseconds; the trigger made it an hour later.
    assertThat(
        outcome.err(),
        containsString(
            "Rows (id, c_timestamp) in postgres table \"sales\".\"shifted\" (rows of run r1) but"
                + " not in the files: ('3', '3600000000'); in the files but not in postgres table"
                + " \"sales\".\"shifted\" (rows of run r1): ('3', '0')"));
    assertThat(outcome.err(), containsString("is as it was"));
    assertThat(count(table), equalTo(0L));
  }

  @Test
  void aRejectedLoadNamesTheRowLeavesTheTableAndKeepsTheFiles() throws Exception {
    String table = "too_narrow";
    warehouse(
        "DROP TABLE IF EXISTS " + SCHEMA + "." + table,
        "CREATE TABLE "
            + SCHEMA
            + "."
            + table
            + " (id INTEGER, c_varchar VARCHAR(5), _lakeroute_run_id VARCHAR(128))",
        "INSERT INTO " + SCHEMA + "." + table + " VALUES (-1, 'kept', 'before')");
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, c_varchar FROM " + RouteFixture.TRICKY + " ORDER BY id",
                "--runId=r1",
                "--warehouseDisposition=replace"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
    assertThat(outcome.err(), containsString("value too long for type character varying(5)"));
    assertThat(outcome.err(), containsString("Check 'stl_load_errors' system table"));
    assertThat(
        outcome.err(),
        containsString(
            ", c_varchar, ERROR: value too long for type character varying(5), s3://"
                + RouteFixture.BUCKET
                + "/redshift/"
                + table
                + "/r1/part-00000"));
    assertThat(outcome.err(), containsString("The table is as it was"));
    assertThat(
        warehouseLong("SELECT COUNT(*) FROM " + SCHEMA + "." + table + " WHERE id = -1"),
        equalTo(1L));
    assertThat(count(table), equalTo(1L));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "redshift/" + table + "/r1/"),
        hasItem("redshift/" + table + "/r1/_SUCCESS"));

    // Once the column is wide enough, the load resumes from the published files alone.
    warehouse("ALTER TABLE " + SCHEMA + "." + table + " ALTER COLUMN c_varchar TYPE VARCHAR(50)");
    List<String> resume =
        args(
            "DirectRunner",
            table,
            "--query=SELECT no_such_column FROM nowhere",
            "--runId=r1",
            "--warehouseDisposition=replace",
            "--fromStep=load");
    RouteResult resumed = run(resume);
    assertThat(resumed.rowsInWarehouse(), equalTo((long) TrickyRows.ROW_COUNT));
    assertThat(count(table), equalTo((long) TrickyRows.ROW_COUNT));
  }

  @Test
  void aDriftedTableIsNamedAndAMissingRoleIsRefusedBeforeAnyDataMoves() throws Exception {
    String table = "drifted";
    warehouse(
        "DROP TABLE IF EXISTS " + SCHEMA + "." + table,
        "CREATE TABLE " + SCHEMA + "." + table + " (id BIGINT, email DATE)");
    RouteFixture.Outcome drifted =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, email FROM customers WHERE id <= 10",
                "--runId=r1"));
    assertThat(drifted.code(), equalTo(ExitCode.LOAD));
    assertThat(drifted.err(), containsString("does not match the run's schema"));
    assertThat(drifted.err(), containsString("column email is date, the run has text"));
    assertThat(drifted.err(), containsString("lacks column _lakeroute_run_id"));

    // A run that only adds columns evolves the table when asked to.
    warehouse(
        "DROP TABLE " + SCHEMA + "." + table,
        "CREATE TABLE " + SCHEMA + "." + table + " (id BIGINT, _lakeroute_run_id VARCHAR(128))",
        "INSERT INTO " + SCHEMA + "." + table + " VALUES (0, 'before')");
    List<String> wider =
        args(
            "DirectRunner",
            table,
            "--query=SELECT id, email FROM customers WHERE id <= 10",
            "--runId=r2");
    RouteFixture.Outcome refused = RouteFixture.launch(wider);
    assertThat(refused.code(), equalTo(ExitCode.LOAD));
    assertThat(refused.err(), containsString("lacks column email (text)"));
    wider.add("--warehouseAddColumns");
    assertThat(run(wider).rowsInWarehouse(), equalTo(10L));
    assertThat(
        warehouseLong(
            "SELECT COUNT(*) FROM " + SCHEMA + "." + table + " WHERE email IS NULL AND id = 0"),
        equalTo(1L));

    // A dry run shows every statement of both steps and no secret.
    List<String> dry =
        withDatabricks(
            args("DirectRunner", table, "--query=SELECT id, email FROM customers", "--dryRun"),
            table);
    RouteFixture.Outcome planned = RouteFixture.launch(dry);
    assertThat(planned.err(), planned.code(), equalTo(ExitCode.OK));
    assertThat(planned.out(), containsString("SQL on postgres"));
    assertThat(
        planned.out(), containsString("IAM_ROLE '" + ROLE + "'\n  MANIFEST\n  FORMAT AS CSV"));
    assertThat(planned.out(), containsString("USING JDBC OPTIONS"));
    assertThat(planned.out(), containsString("'password' '***'"));
    assertThat(planned.out(), not(containsString(fixture.postgres.password())));

    List<String> noRole = args("DirectRunner", "never", "--query=SELECT 1 AS x");
    noRole.removeIf(a -> a.startsWith("--redshiftIamRole="));
    RouteFixture.Outcome roleless = RouteFixture.launch(noRole);
    assertThat(roleless.code(), equalTo(ExitCode.USAGE));
    assertThat(roleless.err(), containsString("Redshift reads S3 with an IAM role"));
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, "redshift/never/").size(), equalTo(0));
  }

  /**
   * Issue 14 item 6: Databricks goes away after the warehouse load committed, so the run exits 75;
   * the retry of the same command and a plain re-run end with one copy of the run's rows, every
   * value compared in the warehouse and in Databricks, in every disposition.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"append", "merge"})
  void aRunFailingRetryablyAfterTheLoadIsRetriedToOneCopy(String disposition) throws Exception {
    String table = "retried_" + disposition;
    warehouse("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    OneCopy.ofAWarehouseRoute(
        args("DirectRunner", table),
        disposition,
        DATABRICKS_SCHEMA,
        table,
        () -> assertSameRows(table, "csv"));
  }

  /** Reads the warehouse table over pgjdbc and compares every value with the source's. */
  private static void assertSameRows(String table, String format) throws Exception {
    try (Connection connection = warehouseConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT * FROM " + SCHEMA + "." + table + " ORDER BY id NULLS LAST")) {
      WarehouseRows.assertTrickyRows(rs, format, "r1", table);
    }
  }

  private static Connection warehouseConnection() throws Exception {
    return DriverManager.getConnection(
        warehouseUrl, fixture.postgres.user(), fixture.postgres.password());
  }

  private static void warehouse(String... sql) throws Exception {
    try (Connection connection = warehouseConnection();
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }

  private static long warehouseLong(String sql) throws Exception {
    try (Connection connection = warehouseConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long count(String table) throws Exception {
    return warehouseLong("SELECT COUNT(*) FROM " + SCHEMA + "." + table);
  }
}
