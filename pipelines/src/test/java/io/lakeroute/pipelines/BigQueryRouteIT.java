package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import io.lakeroute.formats.ValueText;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.testing.LocalBigQuery;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.LocalGcs;
import io.lakeroute.testing.TrickyRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route 5 end to end: PostgreSQL 15 → CSV → gs:// ({@link LocalGcs}, Firebase's storage emulator
 * over HTTP) → BigQuery load jobs run by BigQueryIO against Beam's own fakes ({@link
 * LocalBigQuery}: FakeBigQueryServices, FakeDatasetService, FakeJobService), on the Direct and the
 * Spark runner. Values are read back with the fake's {@code getAllRows}, and compared with the
 * source's text exactly.
 */
class BigQueryRouteIT {
  private static final String DATASET = "route_it";

  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.gcs();
    fixture.createTrickyTable();
    LocalBigQuery.createDataset(DATASET);
  }

  private List<String> args(String runner, String table, String... more) {
    List<String> args = fixture.sourceArgs(runner);
    args.addAll(Arrays.asList(fixture.gcs().beamArgs()));
    args.add("--route=bigquery");
    args.add("--format=csv");
    args.add("--bigQueryTable=" + LocalBigQuery.PROJECT + ":" + DATASET + "." + table);
    args.add("--bigQueryServicesFactoryClass=" + LocalBigQuery.Factory.class.getName());
    // Beam's FakeJobService reads a load's files with java.nio, so they must be local.
    args.add("--tempLocation=" + temp.resolve("bq-temp"));
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
    assertThat(
        (long) LocalBigQuery.rows(DATASET, table).size(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(result.rowsInWarehouse(), equalTo(RouteFixture.CUSTOMER_ROWS));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner"})
  void theTrickyRowsLandWithTheirTypesAndExactValues(String runner) {
    String table = LocalBigQuery.table("tricky_" + runner);
    run(args(runner, table, "--query=SELECT * FROM tricky", destination(table), "--runId=t1"));

    Table loaded = LocalBigQuery.getTable(DATASET, table);
    Map<String, String> types = new LinkedHashMap<>();
    for (TableFieldSchema field : loaded.getSchema().getFields()) {
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
    assertThat(types, equalTo(expected));

    List<TableRow> rows = new ArrayList<>(LocalBigQuery.rows(DATASET, table));
    // In id order, the all-NULL row last, as TrickyRows.rows().
    rows.sort(
        Comparator.comparingLong(
            r ->
                r.get("id") == null
                    ? Long.MAX_VALUE
                    : Long.parseLong(String.valueOf(r.get("id")))));
    List<Row> source = TrickyRows.rows();
    assertThat(rows, hasSize(source.size()));
    Schema schema = TrickyRows.schema();
    for (int i = 0; i < source.size(); i++) {
      for (Schema.Field field : schema.getFields()) {
        Object value = source.get(i).getValue(field.getName());
        Object landed = rows.get(i).get(field.getName());
        String where = "row " + (i + 1) + " " + field.getName();
        if (value == null) {
          assertThat(where, landed, nullValue());
        } else {
          assertThat(where, String.valueOf(landed), equalTo(text(field, value)));
        }
      }
    }
  }

  /** The text BigQuery is given for a source value: the CSV's, typed for integers and booleans. */
  private static String text(Schema.Field field, Object value) {
    return ValueText.format(SqlTypeMapping.kindOf(field.getType()), value);
  }

  @Test
  void appendsTwiceThenReplaces() {
    String table = LocalBigQuery.table("append");
    String query = "--query=SELECT * FROM customers WHERE id <= 100";
    run(
        args(
            "DirectRunner",
            table,
            query,
            destination(table),
            "--runId=a1",
            "--bigQueryDisposition=append"));
    RouteResult second =
        run(
            args(
                "DirectRunner",
                table,
                query,
                destination(table),
                "--runId=a2",
                "--bigQueryDisposition=append"));
    assertThat(LocalBigQuery.rows(DATASET, table), hasSize(200));
    assertThat(second.rowsInWarehouse(), equalTo(100L));

    RouteResult replaced =
        run(
            args(
                "DirectRunner",
                table,
                "--query=SELECT * FROM customers WHERE id <= 30",
                destination(table),
                "--runId=a3",
                "--bigQueryDisposition=replace"));
    assertThat(LocalBigQuery.rows(DATASET, table), hasSize(30));
    assertThat(replaced.rowsInWarehouse(), equalTo(30L));
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
    assertThat(LocalBigQuery.rows(DATASET, table), hasSize(0));
    assertThat(emptied.rowsInWarehouse(), equalTo(0L));
  }

  @Test
  void aRejectedLoadFailsWithBigQuerysErrorAndLeavesTheTable() {
    String table = LocalBigQuery.table("rejected");
    String query = "--query=SELECT * FROM customers WHERE id <= 10";
    run(args("DirectRunner", table, query, destination(table), "--runId=ok"));
    List<TableRow> before = LocalBigQuery.rows(DATASET, table);

    for (String disposition : List.of("append", "replace")) {
      List<String> refused =
          args(
              "DirectRunner",
              table,
              "--query=SELECT * FROM customers WHERE id <= 20",
              destination(table),
              "--runId=no-" + disposition,
              "--bigQueryDisposition=" + disposition);
      RouteFixture.Outcome outcome =
          RouteFixture.launch(
              with(
                  refused,
                  "--bigQueryServicesFactoryClass="
                      + LocalBigQuery.RefusingFactory.class.getName()));

      assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.LOAD));
      assertThat(outcome.err(), containsString("The BigQuery load failed: job "));
      assertThat(outcome.err(), containsString(LocalBigQuery.RefusingFactory.ERROR));
      assertThat(outcome.err(), containsString("the table keeps its previous rows"));
      assertThat(outcome.err(), not(containsString("\"configuration\"")));
      assertThat(LocalBigQuery.rows(DATASET, table), equalTo(before));
    }
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
    assertThat(LocalBigQuery.rows(DATASET, table), hasSize(5));
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
    assertThat(LocalBigQuery.rows(DATASET, table), hasSize(10));
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
