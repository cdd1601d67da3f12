package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.google.api.services.bigquery.model.TableFieldSchema;
import io.lakeroute.formats.ValueText;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.testing.LocalBigQuery;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.LocalGcs;
import io.lakeroute.testing.TrickyRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route 5 end to end: PostgreSQL 15 → CSV → gs:// ({@link LocalGcs}, Firebase's storage emulator
 * over HTTP) → one BigQuery load job of the delivered objects and one transaction, sent by Google's
 * BigQuery client to {@link LocalBigQuery} (a BigQuery REST server on loopback over H2 that reads
 * the load's objects from the GCS server and applies BigQuery's CSV rules), on the Direct and the
 * Spark runner. Values are read from the stand-in's table and compared with the source's exactly.
 */
class BigQueryRouteIT {
  private static final String DATASET = "route_it";

  private static RouteFixture fixture;
  private static LocalBigQuery bigQuery;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.gcs();
    fixture.createTrickyTable();
    bigQuery = LocalBigQuery.shared();
    bigQuery.createDataset(DATASET);
  }

  @AfterEach
  void serveAgain() {
    bigQuery.start();
  }

  private List<String> args(String runner, String table, String... more) {
    List<String> args = fixture.sourceArgs(runner);
    args.addAll(Arrays.asList(fixture.gcs().beamArgs()));
    args.addAll(Arrays.asList(bigQuery.beamArgs()));
    args.add("--route=bigquery");
    args.add("--format=csv");
    args.add("--bigQueryTable=" + LocalBigQuery.PROJECT + ":" + DATASET + "." + table);
    for (String flag : more) {
      args = with(args, flag);
    }
    return args;
  }

  /** {@code args} with {@code flag} instead of any earlier value of the same option. */
  private static List<String> with(List<String> args, String flag) {
    String name = flag.substring(0, flag.indexOf('=') + 1);
    List<String> changed = new ArrayList<>(args.stream().filter(a -> !a.startsWith(name)).toList());
    changed.add(flag);
    return changed;
  }

  private static RouteResult run(List<String> args) {
    return Lakeroute.run(Lakeroute.parse(RouteFixture.array(args)));
  }

  private static String destination(String name) {
    return "--destination=gs://" + RouteFixture.GCS_BUCKET + "/bigquery/" + name;
  }

  private static List<Map<String, Object>> rows(String table) {
    return bigQuery.rows(DATASET, table);
  }

  /** The ids in the table, sorted; a duplicate shows twice. */
  private static List<Long> ids(String table) {
    return rows(table).stream().map(r -> (Long) r.get("id")).sorted().toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner"})
  void reconcilesQueryFilesAndBigQuery(String runner) {
    String table = LocalBigQuery.table("customers_" + runner);
    RouteResult result =
        run(
            args(
                runner,
                table,
                "--query=SELECT * FROM customers",
                "--partitionColumn=id",
                "--partitions=3",
                "--compression=gzip",
                destination(table),
                "--runId=r1"));

    assertThat(result.queryRows(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(result.manifest().rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(result.manifest().files(), hasSize(3));
    assertThat(ids(table), equalTo(range(1, RouteFixture.CUSTOMER_ROWS)));
    assertThat(result.rowsInWarehouse(), equalTo(RouteFixture.CUSTOMER_ROWS));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner"})
  void theTrickyRowsLandWithTheirTypesAndExactValues(String runner) {
    String table = LocalBigQuery.table("tricky_" + runner);
    RouteResult result =
        run(args(runner, table, "--query=SELECT * FROM tricky", destination(table), "--runId=t1"));
    // Every column's fingerprint in BigQuery equals the files' (floats rounded back from FLOAT64).
    assertThat(result.valuesInWarehouse(), equalTo((long) TrickyRows.schema().getFieldCount()));

    Map<String, String> types = new LinkedHashMap<>();
    for (TableFieldSchema field : bigQuery.schema(DATASET, table).getFields()) {
      types.put(
          field.getName(),
          field.getType()
              + (field.getPrecision() == null
                  ? ""
                  : "(" + field.getPrecision() + "," + field.getScale() + ")")
              + " "
              + field.getMode());
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("id", "INT64 NULLABLE");
    expected.put("c_dec38", "BIGNUMERIC(38,10) NULLABLE");
    expected.put("c_dec5", "NUMERIC(5,2) NULLABLE");
    expected.put("c_int2", "INT64 NULLABLE");
    expected.put("c_int4", "INT64 NULLABLE");
    expected.put("c_int8", "INT64 NULLABLE");
    expected.put("c_float4", "FLOAT64 NULLABLE");
    expected.put("c_float8", "FLOAT64 NULLABLE");
    expected.put("c_bool", "BOOL NULLABLE");
    expected.put("c_text", "STRING NULLABLE");
    expected.put("c_varchar", "STRING NULLABLE");
    expected.put("c_char", "STRING NULLABLE");
    expected.put("c_bytea", "BYTES NULLABLE");
    expected.put("c_date", "DATE NULLABLE");
    expected.put("c_time", "TIME NULLABLE");
    expected.put("c_timestamp", "DATETIME NULLABLE");
    expected.put("c_timestamptz", "TIMESTAMP NULLABLE");
    expected.put("c_uuid", "STRING NULLABLE");
    expected.put("c_jsonb", "STRING NULLABLE");
    expected.put("_lakeroute_run_id", "STRING NULLABLE");
    assertThat(types, equalTo(expected));

    assertTrickyRows(table, "t1");
  }

  /** Every value of the tricky rows, each once, as run {@code runId}, read from the stand-in. */
  private static void assertTrickyRows(String table, String runId) {
    List<Map<String, Object>> rows = new ArrayList<>(rows(table));
    // In id order, the all-NULL row last, as TrickyRows.rows().
    rows.sort(
        Comparator.comparingLong(r -> r.get("id") == null ? Long.MAX_VALUE : (Long) r.get("id")));
    List<Row> source = TrickyRows.rows();
    assertThat(rows, hasSize(source.size()));
    Schema schema = TrickyRows.schema();
    for (int i = 0; i < source.size(); i++) {
      assertThat(rows.get(i).get("_lakeroute_run_id"), equalTo(runId));
      for (Schema.Field field : schema.getFields()) {
        Object value = source.get(i).getValue(field.getName());
        Object landed = rows.get(i).get(field.getName());
        String where = "row " + (i + 1) + " " + field.getName();
        if (value == null) {
          assertThat(where, landed, nullValue());
        } else {
          // Both sides in the one text of their kind: the landed value is the Java value of its
          // BigQuery type (Long, Double, BigDecimal at the column's scale, Instant, …).
          SqlTypeMapping.Kind kind = SqlTypeMapping.kindOf(field.getType());
          assertThat(where, landed, not(nullValue()));
          assertThat(where, ValueText.format(kind, landed), equalTo(ValueText.format(kind, value)));
        }
      }
    }
  }

  @Test
  void everyDispositionEndsWithOneCopyOfARunWhateverTheReRuns() {
    String query = "--query=SELECT * FROM customers WHERE id <= 100";

    String appended = LocalBigQuery.table("append");
    for (String runId : List.of("a1", "a1", "a2", "a2")) {
      RouteResult result =
          run(
              args(
                  "DirectRunner",
                  appended,
                  query,
                  destination(appended),
                  "--runId=" + runId,
                  "--bigQueryDisposition=append"));
      assertThat(result.rowsInWarehouse(), equalTo(100L));
    }
    List<Long> twice = new ArrayList<>(range(1, 100));
    twice.addAll(range(1, 100));
    twice.sort(null);
    assertThat(ids(appended), equalTo(twice));

    String merged = LocalBigQuery.table("merge");
    for (String[] step :
        new String[][] {
          {"m1", "100"}, {"m1", "100"}, {"m2", "150"}, {"m2", "150"},
        }) {
      run(
          args(
              "DirectRunner",
              merged,
              "--query=SELECT *, id % 10 = 0 AS gone FROM customers WHERE id <= " + step[1],
              destination(merged),
              "--runId=" + step[0],
              "--bigQueryDisposition=merge",
              "--bigQueryMergeKeys=id",
              "--softDeleteColumn=gone"));
    }
    // Every tenth id is deleted at the source: its row goes, and is never inserted.
    assertThat(ids(merged), equalTo(range(1, 150).stream().filter(id -> id % 10 != 0).toList()));
    assertThat(
        rows(merged).stream().map(r -> r.get("_lakeroute_run_id")).distinct().toList(),
        equalTo(List.of("m2")));

    String replaced = LocalBigQuery.table("replace");
    for (String runId : List.of("p1", "p1", "p2")) {
      run(args("DirectRunner", replaced, query, destination(replaced), "--runId=" + runId));
    }
    assertThat(ids(replaced), equalTo(range(1, 100)));
    RouteResult fewer =
        run(
            args(
                "DirectRunner",
                replaced,
                "--query=SELECT * FROM customers WHERE id <= 30",
                destination(replaced),
                "--runId=p3"));
    assertThat(ids(replaced), equalTo(range(1, 30)));
    assertThat(fewer.rowsInWarehouse(), equalTo(30L));
  }

  /**
   * Issue 14 item 6 on route 5: BigQuery goes away right after the load's transaction committed, so
   * the run exits 75; the retry of the same command (what the cron wrapper sends) and a plain
   * re-run end with one copy of the run's rows, every value compared, in every disposition.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"append", "merge"})
  void aLoadThatCommittedBeforeBigQueryWentAwayIsRetriedToOneCopy(String disposition)
      throws Exception {
    String table = LocalBigQuery.table("retry_" + disposition);
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM " + RouteFixture.TRICKY,
            destination(table),
            "--runId=x1");
    args.addAll(OneCopy.disposition("bigQuery", disposition));
    OneCopy.failAfterLoadRetryAndRerun(
        args,
        new OneCopy.Outage() {
          @Override
          public void arm() {
            bigQuery.goAwayAfterNextCommit();
          }

          @Override
          public void heal() {
            bigQuery.start();
          }
        },
        () -> assertTrickyRows(table, "x1"),
        () -> assertTrickyRows(table, "x1"));
  }

  /**
   * An operator resumes the same failure with {@code --fromStep=load}: the table ends with one copy
   * of the run.
   */
  @Test
  void aLoadThatCommittedBeforeBigQueryWentAwayResumesFromTheLoadToOneCopy() {
    String table = LocalBigQuery.table("resume_after_outage");
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM customers WHERE id <= 100",
            destination(table),
            "--runId=x1",
            "--bigQueryDisposition=append");
    bigQuery.goAwayAfterNextCommit();
    RouteFixture.Outcome failed = RouteFixture.launch(args);
    assertThat(failed.err(), failed.code(), equalTo(ExitCode.TRANSIENT));
    assertThat(ids(table), equalTo(range(1, 100)));

    bigQuery.start();
    RouteFixture.Outcome resumed = RouteFixture.launch(with(args, "--fromStep=load"));
    assertThat(resumed.err(), resumed.code(), equalTo(ExitCode.OK));
    assertThat(ids(table), equalTo(range(1, 100)));
  }

  /**
   * Another writer shifts a timestamp of the run's rows by an hour right after the load's
   * transaction committed: the count is equal, the values check fails the run with exit 7 naming
   * the table, the column and the row as BigQuery renders it on each side.
   */
  /**
   * {@code verify} with the run's BigQuery options re-checks the table's rows of the run by the
   * run's count and fingerprint query job; a value changed there afterwards is exit 7 naming hop,
   * table and column.
   */
  @Test
  void verifyReChecksTheBigQueryRowsOfAPublishedRun() {
    String table = LocalBigQuery.table("verified");
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT id, signup_ts, city FROM customers WHERE id <= 10",
            destination(table),
            "--runId=r1");
    assertThat(run(args).rowsInWarehouse(), equalTo(10L));
    List<String> verify = new ArrayList<>(List.of("verify"));
    verify.addAll(args);

    RouteFixture.Outcome clean = RouteFixture.launch(verify);
    assertThat(clean.err(), clean.code(), equalTo(ExitCode.OK));
    assertThat(
        clean.out(),
        containsString(
            "  bigquery   BigQuery table "
                + LocalBigQuery.PROJECT
                + ":"
                + DATASET
                + "."
                + table
                + " (rows of run r1): every column's fingerprint as the manifest says"));

    bigQuery.execute(
        "UPDATE \""
            + LocalBigQuery.PROJECT
            + "."
            + DATASET
            + "\".\""
            + table
            + "\" SET \"city\" = 'Elsewhere' WHERE \"id\" = 4");
    RouteFixture.Outcome caught = RouteFixture.launch(verify);
    assertThat(caught.out(), caught.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        caught.err(),
        allOf(
            containsString("  bigquery: Values differ between the files of run r1 and BigQuery"),
            containsString(": city (fingerprints computed by BigQuery")));
  }

  @Test
  void aTimestampShiftedAfterTheLoadExits7NamingColumnAndKey() {
    String table = LocalBigQuery.table("shifted");
    bigQuery.afterNextCommit(
        "UPDATE \""
            + LocalBigQuery.PROJECT
            + "."
            + DATASET
            + "\".\""
            + table
            + "\" SET \"signup_ts\" = DATEADD(HOUR, 1, \"signup_ts\") WHERE \"id\" = 7");

    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, signup_ts, city FROM customers WHERE id <= 10",
                destination(table),
                "--runId=v1"));

    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        outcome.err(),
        allOf(
            containsString(
                "FAILED (rows or values differ between the published files and the warehouse;"
                    + " the files and manifest stay published"),
            containsString("Values differ between the files of run v1 and BigQuery table"),
            containsString(": signup_ts (fingerprints computed by BigQuery"),
            containsString("Rows (id, signup_ts) in BigQuery table"),
            containsString("('7', '"),
            containsString("The table holds these values until the next run replaces them")));
    assertThat(ids(table), equalTo(range(1, 10)));
  }

  @Test
  void fromStepLoadLoadsThePublishedFilesAgain() throws Exception {
    String table = LocalBigQuery.table("resume");
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM customers WHERE id <= 40",
            destination(table),
            "--runId=s1",
            "--bigQueryDisposition=append");
    run(args);
    bigQuery.execute(
        "DELETE FROM \""
            + LocalBigQuery.PROJECT
            + "."
            + DATASET
            + "\".\""
            + table
            + "\" WHERE \"id\" > 10");
    assertThat(ids(table), equalTo(range(1, 10)));

    RouteResult resumed = run(with(args, "--fromStep=load"));

    assertThat(resumed.rowsInWarehouse(), equalTo(40L));
    assertThat(ids(table), equalTo(range(1, 40)));
  }

  /**
   * The load job reads the objects with the manifest's dialect: a manifest whose delimiter is not
   * the files' fails the load with BigQuery's error, and the table keeps its rows.
   */
  @Test
  void aManifestThatDoesNotDescribeTheFilesFailsTheLoad() throws Exception {
    String table = LocalBigQuery.table("dialect");
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM customers WHERE id <= 10",
            destination(table),
            "--runId=w1");
    run(args);
    String manifest = "bigquery/" + table + "/w1/_manifest.json";
    String json =
        new String(fixture.gcs().get(RouteFixture.GCS_BUCKET, manifest), StandardCharsets.UTF_8);
    assertThat(json, containsString("\"delimiter\" : \",\""));
    fixture
        .gcs()
        .put(
            RouteFixture.GCS_BUCKET,
            manifest,
            json.replace("\"delimiter\" : \",\"", "\"delimiter\" : \";\"")
                .getBytes(StandardCharsets.UTF_8));

    RouteFixture.Outcome outcome = RouteFixture.launch(with(args, "--fromStep=load"));

    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
    assertThat(outcome.err(), containsString("The BigQuery load of "));
    assertThat(outcome.err(), containsString("Error while reading data"));
    assertThat(outcome.err(), containsString("the table keeps its previous rows"));
    assertThat(ids(table), equalTo(range(1, 10)));
  }

  @Test
  void aRejectedValueFailsWithBigQuerysErrorAndLeavesTheTable() {
    String table = LocalBigQuery.table("rejected");
    String columns = "SELECT id, %s AS d FROM customers WHERE id <= %d";
    run(
        args(
            "DirectRunner",
            table,
            "--query=" + String.format(columns, "DATE '2020-01-01'", 10),
            destination(table),
            "--runId=ok"));
    List<Map<String, Object>> before = rows(table);

    for (String disposition : List.of("append", "replace")) {
      RouteFixture.Outcome outcome =
          RouteFixture.launch(
              args(
                  "DirectRunner",
                  table,
                  "--query="
                      + String.format(
                          columns,
                          "CASE WHEN id = 5 THEN DATE '10000-01-01' ELSE DATE '2020-01-01' END",
                          20),
                  destination(table),
                  "--runId=no-" + disposition,
                  "--bigQueryDisposition=" + disposition));

      assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
      assertThat(
          outcome.err(), containsString("Could not parse '+10000-01-01' as DATE for field d"));
      assertThat(outcome.err(), containsString("the table keeps its previous rows"));
      assertThat(rows(table), equalTo(before));
    }
  }

  @Test
  void aNullTextBigQueryWouldReadInQuotesIsAUsageErrorNamingTheFlag() {
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                "t",
                "--query=SELECT 1",
                destination("nulltext"),
                "--csvNullString=\\N"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(
        outcome.err(), containsString("(--csvNullString) '\\N' as NULL even when it is quoted"));
  }

  @Test
  void aReplaceWithNoRowsEmptiesTheTable() {
    String table = LocalBigQuery.table("empty");
    run(
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM customers WHERE id <= 10",
            destination(table),
            "--runId=e1"));

    RouteResult emptied =
        run(
            args(
                "DirectRunner",
                table,
                "--query=SELECT * FROM customers WHERE id < 0",
                destination(table),
                "--runId=e2"));

    assertThat(emptied.manifest().rowCount(), equalTo(0L));
    assertThat(rows(table), hasSize(0));
    assertThat(emptied.rowsInWarehouse(), equalTo(0L));
  }

  @Test
  void aTableWithOtherColumnsFailsNamingThemBeforeAnyDataMoves() {
    String table = LocalBigQuery.table("drift");
    run(
        args(
            "DirectRunner",
            table,
            "--query=SELECT id, first_name FROM customers WHERE id <= 5",
            destination(table),
            "--runId=d1"));

    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT CAST(id AS text) AS id, first_name, email FROM customers",
                destination(table),
                "--runId=d2"));

    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
    assertThat(
        outcome.err(),
        containsString(
            "BigQuery table "
                + LocalBigQuery.PROJECT
                + ":"
                + DATASET
                + "."
                + table
                + " does not have the run's columns"));
    assertThat(outcome.err(), containsString("email: missing from the table (the run has STRING)"));
    assertThat(outcome.err(), containsString("id: the table has INT64, the run has STRING"));
    assertThat(outcome.err(), containsString("Nothing was read yet."));
    assertThat(rows(table), hasSize(5));
    assertThat(
        fixture.gcs().objects(RouteFixture.GCS_BUCKET, "bigquery/" + table + "/d2/"),
        equalTo(List.of()));
  }

  @Test
  void aMissingDatasetFailsBeforeAnyDataMoves() {
    List<String> args =
        args("DirectRunner", "t", "--query=SELECT * FROM customers", destination("nodataset"));
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            with(args, "--bigQueryTable=" + LocalBigQuery.PROJECT + ":no_such_dataset.t"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
    assertThat(
        outcome.err(),
        containsString(
            "BigQuery dataset " + LocalBigQuery.PROJECT + ":no_such_dataset cannot be used"));
    assertThat(outcome.err(), containsString("bq mk --dataset"));
  }

  /**
   * Wiring only: Lakehouse Federation is Databricks-only, so the Databricks stand-in ({@link
   * LocalDatabricks}: Spark's Thrift server behind the real Databricks JDBC driver) refuses its
   * first statement. That it does, after the load, shows the route sends the generated statements
   * through the Databricks step's client; the text is proven by FederateBigQueryTest's golden file.
   */
  @Test
  void withAForeignCatalogTheFederationStatementsGoThroughTheDatabricksClient() throws Exception {
    LocalDatabricks databricks = LocalDatabricks.shared();
    Path tokenFile = temp.resolve("databricks.token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    String table = LocalBigQuery.table("federated");
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT * FROM customers WHERE id <= 10",
                destination(table),
                "--runId=f1",
                "--databricksJdbcUrl=" + databricks.jdbcUrlWithoutCredentials(),
                "--databricksTokenFile=" + tokenFile,
                "--databricksForeignCatalog=bq_it",
                "--databricksKeySecret=lakeroute/bigquery-key-json"));

    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(
        outcome.err(),
        containsString(
            "Databricks could not federate "
                + LocalBigQuery.PROJECT
                + ":"
                + DATASET
                + "."
                + table));
    assertThat(outcome.err(), containsString("CONNECTION"));
    assertThat(outcome.err(), not(containsString(LocalDatabricks.TOKEN)));
    assertThat(rows(table), hasSize(10));
  }

  @Test
  void anotherFormatThanCsvIsAUsageErrorNamingFormat() {
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                "t",
                "--query=SELECT 1",
                destination("parquet"),
                "--format=parquet"));
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(
        outcome.err(),
        containsString(
            "--format=parquet cannot be loaded by"
                + " --route=bigquery, which loads the delivered CSV: use --format=csv"));
    assertThat(outcome.err(), not(containsString("Exception")));
  }
}
