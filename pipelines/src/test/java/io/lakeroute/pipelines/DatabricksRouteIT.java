package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.databricks.DatabricksStep;
import io.lakeroute.databricks.DatabricksTable;
import io.lakeroute.databricks.DatabricksTarget;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.sql.SqlClient;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.TrickyRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route 1 to the end: PostgreSQL 15 → every format → S3Mock → the Databricks stand-in (Spark 3.5.4
 * Thrift server with Delta 3.3.2, reading the objects from S3Mock itself over s3a://), reached
 * through the real Databricks JDBC driver 3.4.5. Counts are reconciled by the route; this test
 * reads every column of the tricky rows back through the driver and compares it with the source,
 * and proves re-runs neither fail nor duplicate.
 */
class DatabricksRouteIT {
  static final String SCHEMA = "lakeroute_it";
  private static RouteFixture fixture;
  private static LocalDatabricks databricks;
  private static Path tokenFile;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
    databricks = LocalDatabricks.shared();
    databricks.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    tokenFile = Files.createTempFile("databricks", ".token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    tokenFile.toFile().deleteOnExit();
  }

  private static List<String> args(String runner, String table, String... more) {
    List<String> args =
        fixture.args(
            runner,
            "--databricksJdbcUrl=" + databricks.jdbcUrlWithoutCredentials(),
            "--databricksTokenFile=" + tokenFile,
            "--databricksDialect=spark",
            "--databricksCatalog=spark_catalog",
            "--databricksSchema=" + SCHEMA,
            "--databricksTable=" + table);
    args.addAll(Arrays.asList(more));
    return args;
  }

  private static RouteResult run(List<String> args) {
    return Lakeroute.run(Lakeroute.parse(RouteFixture.array(args)));
  }

  static Stream<Arguments> runnersFormatsModes() {
    List<Arguments> cases = new ArrayList<>();
    for (String runner : List.of("DirectRunner", "SparkRunner")) {
      for (FileFormat format : FileFormat.values()) {
        for (String mode : List.of("external", "delta")) {
          cases.add(Arguments.of(runner, format, mode));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("runnersFormatsModes")
  void everyColumnArrivesExactlyInDatabricks(String runner, FileFormat format, String mode)
      throws Exception {
    String table = ("tricky_" + runner + "_" + format.id() + "_" + mode).toLowerCase(Locale.ROOT);
    List<String> args =
        args(
            runner,
            table,
            "--query=SELECT * FROM " + RouteFixture.TRICKY,
            "--format=" + format.id(),
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
            "--runId=r1",
            "--databricksMode=" + mode);
    RouteResult result = run(args);
    assertThat(result.rowsInDatabricks(), equalTo((long) TrickyRows.ROW_COUNT));
    // Every column's fingerprint in Databricks equals the files' (none left out).
    assertThat(result.valuesInDatabricks(), equalTo((long) TrickyRows.schema().getFieldCount()));
    assertSameRows(table, format);

    // Re-running the same run id replaces, never duplicates.
    assertThat(run(args).rowsInDatabricks(), equalTo((long) TrickyRows.ROW_COUNT));
    assertThat(count(table), equalTo((long) TrickyRows.ROW_COUNT));
  }

  @Test
  void deltaAppendKeepsEachRunOnceAndReplaceKeepsOnlyTheLast() throws Exception {
    String table = "customers_delta";
    String query = "--query=SELECT * FROM customers WHERE id <= 1000";
    for (String runId : List.of("day1", "day2", "day2")) {
      RouteResult result =
          run(
              args(
                  "DirectRunner",
                  table,
                  query,
                  "--format=parquet",
                  "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
                  "--runId=" + runId,
                  "--databricksMode=delta",
                  "--databricksDisposition=append"));
      assertThat(result.rowsInDatabricks(), equalTo(1000L));
    }
    assertThat(count(table), equalTo(2000L));
    RouteResult replaced =
        run(
            args(
                "DirectRunner",
                table,
                query,
                "--format=parquet",
                "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
                "--runId=day3",
                "--databricksMode=delta",
                "--databricksDisposition=replace"));
    assertThat(replaced.rowsInDatabricks(), equalTo(1000L));
    assertThat(count(table), equalTo(1000L));
  }

  /**
   * {@code verify} with the run's Databricks options re-checks the Delta table (replaced by the
   * run: all of it is the run's) in Spark, by the run's fingerprint query, over a view of the
   * manifest's files made again in its session: a value changed in the table afterwards is exit 7
   * naming hop, table, column and the row by its key, as each side renders it.
   */
  @Test
  void verifyReChecksTheDatabricksRowsOfAPublishedRunNamingTheKey() throws Exception {
    String table = "verified";
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT id, CAST(id * 2 AS text) AS label FROM customers WHERE id <= 20",
            "--format=parquet",
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
            "--runId=r1",
            "--databricksMode=delta");
    assertThat(run(args).valuesInDatabricks(), equalTo(2L));
    List<String> verify = new ArrayList<>(List.of("verify"));
    verify.addAll(args);

    RouteFixture.Outcome clean = RouteFixture.launch(verify);
    assertThat(clean.err(), clean.code(), equalTo(ExitCode.OK));
    assertThat(
        clean.out(),
        containsString(
            "  databricks Databricks table spark_catalog."
                + SCHEMA
                + ".verified: every column's fingerprint as the manifest says"));

    databricks.execute("UPDATE " + SCHEMA + ".verified SET label = 'changed' WHERE id = 7");
    RouteFixture.Outcome caught = RouteFixture.launch(verify);
    assertThat(caught.out(), caught.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        caught.err(),
        containsString(
            "  databricks: Values differ between the files of run r1 and Databricks table"
                + " spark_catalog."
                + SCHEMA
                + ".verified: label"));
    assertThat(
        caught.err(),
        containsString(
            ".verified but not in the files: ('7', 'changed'); in the files but not in"));
    assertThat(caught.err(), containsString("('7', '14')"));
  }

  /**
   * Dates and timestamps of both kinds before 1900, the 1582 calendar switch and year 1 reach a
   * Delta table unchanged. Delta writes timestamps with a zone as Parquet INT96, which open-source
   * Spark (and Databricks) refuse to write for such values unless the INT96 rebase mode is set too.
   * Compared as text computed inside Spark: the JDBC client would shift them by its own calendar.
   */
  @Test
  void ancientDatesAndTimestampsReachDeltaUnchanged() throws Exception {
    fixture.postgres.execute(
        "DROP TABLE IF EXISTS ancient",
        "CREATE TABLE ancient (id int, d date, ts timestamp, tstz timestamptz)",
        "INSERT INTO ancient VALUES"
            + " (1, '0001-01-01', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00'),"
            + " (2, '1582-10-10', '1582-10-10 12:00:00', '1582-10-10 12:00:00+00'),"
            + " (3, '1850-03-01', '1850-03-01 08:30:00.123456', '1850-03-01 08:30:00.123456+00'),"
            + " (4, NULL, NULL, NULL)");
    for (FileFormat format : List.of(FileFormat.PARQUET, FileFormat.CSV)) {
      String table = "ancient_" + format.id();
      RouteResult result =
          run(
              args(
                  "DirectRunner",
                  table,
                  "--query=SELECT * FROM ancient",
                  "--format=" + format.id(),
                  "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
                  "--runId=r1",
                  "--databricksMode=delta"));
      assertThat(result.rowsInDatabricks(), equalTo(4L));
      List<String> seen = new ArrayList<>();
      try (Connection connection = LocalDatabricks.shared().connect();
          Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT concat_ws('|', cast(id AS string), coalesce(cast(d AS string), 'null'),"
                      + " coalesce(date_format(ts, 'yyyy-MM-dd HH:mm:ss.SSSSSS'), 'null'),"
                      // The stand-in's session time zone is UTC.
                      + " coalesce(date_format(tstz, 'yyyy-MM-dd HH:mm:ss.SSSSSS'), 'null')) FROM "
                      + SCHEMA
                      + "."
                      + table
                      + " ORDER BY id")) {
        while (rs.next()) {
          seen.add(rs.getString(1));
        }
      }
      assertThat(
          format.id(),
          seen,
          equalTo(
              List.of(
                  "1|0001-01-01|0001-01-01 00:00:00.000000|0001-01-01 00:00:00.000000",
                  "2|1582-10-10|1582-10-10 12:00:00.000000|1582-10-10 12:00:00.000000",
                  "3|1850-03-01|1850-03-01 08:30:00.123456|1850-03-01 08:30:00.123456",
                  "4|null|null|null")));
    }
  }

  @Test
  void externalTableMovesToTheNewRunAtomically() throws Exception {
    String table = "customers_external";
    for (String runId : List.of("day1", "day2")) {
      String limit = runId.equals("day1") ? "100" : "250";
      RouteResult result =
          run(
              args(
                  "DirectRunner",
                  table,
                  "--query=SELECT * FROM customers WHERE id <= " + limit,
                  "--format=csv",
                  "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
                  "--runId=" + runId));
      assertThat(result.rowsInDatabricks(), equalTo(Long.parseLong(limit)));
    }
    assertThat(count(table), equalTo(250L));
  }

  @Test
  void missingSchemaFailsBeforeAnyDataMoves() {
    List<String> args =
        args(
            "DirectRunner",
            "t",
            "--query=SELECT 1 AS x",
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/missing-schema");
    args.replaceAll(
        a -> a.startsWith("--databricksSchema=") ? "--databricksSchema=no_such_schema" : a);
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(outcome.err(), containsString("spark_catalog.no_such_schema"));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "databricks/missing-schema/").size(), equalTo(0));
  }

  @Test
  void wrongTokenIsADatabricksErrorWithoutTheToken() throws Exception {
    Path wrong = Files.createTempFile("wrong", ".token");
    Files.writeString(wrong, "dapi-not-the-token");
    List<String> args =
        args(
            "DirectRunner",
            "t",
            "--query=SELECT 1 AS x",
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/wrong-token");
    args.replaceAll(
        a -> a.startsWith("--databricksTokenFile=") ? "--databricksTokenFile=" + wrong : a);
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(outcome.err(), not(containsString("dapi-not-the-token")));
    assertThat(outcome.err(), containsString("token"));
  }

  @Test
  void wrongHostIsADatabricksError() {
    List<String> args =
        args(
            "DirectRunner",
            "t",
            "--query=SELECT 1 AS x",
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/wrong-host");
    args.replaceAll(
        a ->
            a.startsWith("--databricksJdbcUrl=")
                ? "--databricksJdbcUrl=jdbc:databricks://127.0.0.1:1/default;ssl=0;httpPath=cliservice;AuthMech=3;EnableTelemetry=0"
                : a);
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(outcome.err(), containsString("127.0.0.1:1"));
  }

  @Test
  void incompatibleExistingTableIsNamedAndTheFilesStay() throws Exception {
    String table = "incompatible";
    databricks.execute(
        "DROP TABLE IF EXISTS " + SCHEMA + "." + table,
        "CREATE TABLE " + SCHEMA + "." + table + " (x STRING) USING DELTA");
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                table,
                "--query=SELECT id, email FROM customers WHERE id <= 10",
                "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
                "--runId=r1",
                "--databricksMode=delta"));
    assertThat(outcome.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(outcome.err(), containsString("does not match the run's schema"));
    assertThat(outcome.err(), containsString("column 1 is x string, the run has id bigint"));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "databricks/" + table + "/r1/"),
        org.hamcrest.Matchers.hasItem("databricks/" + table + "/r1/_SUCCESS"));
  }

  @Test
  void databricksGoingDownMidRunFailsRetryablyAndFromStepDatabricksResumes() throws Exception {
    String table = "customers_outage";
    Path summary = Files.createTempFile("outage", ".json");
    // pg_sleep holds the run in the source for a while after the preflight has passed.
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT c.* FROM customers c CROSS JOIN (SELECT pg_sleep(2)) s WHERE c.id <= 500",
            "--format=parquet",
            "--databricksMode=delta",
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
            "--runId=r1",
            "--summaryPath=" + summary);
    CompletableFuture<Void> outage =
        RouteFixture.inBackground(
            () -> {
              fixture.awaitSourceQuery("%pg_sleep(2)%");
              databricks.stop();
            });
    RouteFixture.Outcome failed;
    try {
      failed = RouteFixture.launch(args);
      outage.get(2, TimeUnit.MINUTES);
    } finally {
      databricks.start();
    }
    assertThat(failed.err(), failed.code(), equalTo(ExitCode.TRANSIENT));
    assertThat(failed.err(), containsString("are intact"));
    assertThat(failed.err(), not(containsString(LocalDatabricks.TOKEN)));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "databricks/" + table + "/r1/"),
        org.hamcrest.Matchers.hasItem("databricks/" + table + "/r1/_SUCCESS"));
    JsonNode run = new ObjectMapper().readTree(summary.toFile()).get("runs").get(0);
    assertThat(run.get("steps").get(2).get("status").asText(), equalTo("succeeded"));
    assertThat(run.get("steps").get(4).get("status").asText(), equalTo("failed"));
    assertThat(run.get("error").get("step").asText(), equalTo("databricks"));
    assertThat(run.get("error").get("retryable").asBoolean(), equalTo(true));
    assertThat(run.get("counts").get("files").asLong(), equalTo(500L));

    // The retry starts at the Databricks step, from the published manifest: no query.
    List<String> resume = new ArrayList<>(args);
    resume.removeIf(a -> a.startsWith("--query="));
    resume.add("--query=SELECT 1/0 AS never_run");
    resume.add("--fromStep=databricks");
    RouteFixture.Outcome resumed = RouteFixture.launch(resume);
    assertThat(resumed.err(), resumed.code(), equalTo(ExitCode.OK));
    assertThat(resumed.out(), containsString("resumed from its manifest at step databricks"));
    assertThat(count(table), equalTo(500L));
    // Resuming twice is as safe as running twice.
    assertThat(RouteFixture.launch(resume).code(), equalTo(ExitCode.OK));
    assertThat(count(table), equalTo(500L));
  }

  /**
   * Issue 14 item 6 on route 1: Databricks goes away after the files were published, so the run
   * exits 75; the retry of the same command and a plain re-run end with one copy of the run's rows
   * in the Delta table, every value compared; append here, merge in AzureRouteIT (both load through
   * LoadDatabricks, only the store differs).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"append"})
  void aRunFailingRetryablyAfterPublishingIsRetriedToOneCopy(String disposition) throws Exception {
    String table = "retried_" + disposition;
    String destination = "databricks/" + table;
    OneCopy.ofAFilesRoute(
        fixture.args(
            "DirectRunner", "--destination=s3://" + RouteFixture.BUCKET + "/" + destination),
        disposition,
        table,
        () ->
            assertThat(
                fixture.s3.keys(RouteFixture.BUCKET, destination),
                hasItem(destination + "/" + OneCopy.RUN_ID + "/_SUCCESS")));
  }

  /**
   * A run's rows replace its earlier rows in one Delta commit: a second connection polling the
   * table while the same run id is loaded again and again, alternately with 300 and 500 rows, only
   * ever sees one of the two (count and sum of ids), never a gap or both, and never a change to
   * another run's rows. The loads are the Databricks step itself, from the two published manifests.
   */
  @Test
  void aConcurrentReaderSeesTheOldRowsOrTheNewNeverAGapOrADouble() throws Exception {
    String table = "customers_concurrent";
    for (String[] run :
        new String[][] {{"a", "r0", "100"}, {"a", "r1", "300"}, {"b", "r1", "500"}}) {
      RouteResult result =
          run(
              args(
                  "DirectRunner",
                  table,
                  "--query=SELECT * FROM customers WHERE id <= " + run[2],
                  "--format=parquet",
                  "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table + run[0],
                  "--runId=" + run[1],
                  "--databricksMode=delta",
                  "--databricksDisposition=append"));
      assertThat(result.rowsInDatabricks(), equalTo(Long.parseLong(run[2])));
    }
    List<Manifest> versions = List.of(published(table + "a", "r1"), published(table + "b", "r1"));
    String r0 = idsUpTo(100);
    Set<String> allowed =
        Set.of("r0 " + r0 + ", r1 " + idsUpTo(300), "r0 " + r0 + ", r1 " + idsUpTo(500));
    DatabricksTarget target =
        new DatabricksTarget(
            new DatabricksTable("spark_catalog", SCHEMA, table),
            DatabricksTarget.Mode.DELTA,
            DatabricksTarget.Disposition.APPEND,
            DatabricksTarget.Dialect.SPARK);
    DatabricksConnection connection =
        DatabricksConnection.withUrl(databricks.jdbcUrlWithoutCredentials(), LocalDatabricks.TOKEN);
    AtomicBoolean loading = new AtomicBoolean(true);
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = databricks.connect();
                  Statement s = c.createStatement()) {
                while (loading.get()) {
                  StringBuilder snapshot = new StringBuilder();
                  try (ResultSet rs =
                      s.executeQuery(
                          "SELECT _lakeroute_run_id, COUNT(*), SUM(id) FROM "
                              + SCHEMA
                              + "."
                              + table
                              + " GROUP BY _lakeroute_run_id ORDER BY _lakeroute_run_id")) {
                    while (rs.next()) {
                      snapshot
                          .append(snapshot.length() == 0 ? "" : ", ")
                          .append(rs.getString(1) + " " + rs.getLong(2) + "/" + rs.getLong(3));
                    }
                  }
                  seen.add(snapshot.toString());
                }
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      for (int i = 0; i < 6; i++) {
        Manifest manifest = versions.get(i % 2);
        assertThat(
            LoadDatabricks.load(connection, target, manifest).rowsVisible(),
            equalTo(manifest.rowCount()));
      }
    } finally {
      loading.set(false);
    }
    reader.get(2, TimeUnit.MINUTES);
    assertThat("snapshots read while loading", seen.size(), greaterThan(5));
    for (String snapshot : seen) {
      assertThat("a reader's snapshot", snapshot, in(allowed));
    }
    assertThat(seen, hasItem("r0 " + r0 + ", r1 " + idsUpTo(300)));
    assertThat(seen, hasItem("r0 " + r0 + ", r1 " + idsUpTo(500)));
  }

  /** Count and sum of the customers' ids up to {@code n}, as the reader above shows them. */
  private static String idsUpTo(int n) throws Exception {
    try (Connection c = fixture.postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id) FROM customers WHERE id <= " + n)) {
      rs.next();
      return rs.getLong(1) + "/" + rs.getLong(2);
    }
  }

  /** The published manifest of run {@code runId} under s3://…/databricks/{@code prefix}/. */
  private static Manifest published(String prefix, String runId) throws Exception {
    byte[] json =
        fixture.s3.get(
            RouteFixture.BUCKET, "databricks/" + prefix + "/" + runId + "/" + Layout.MANIFEST);
    return Manifest.fromJson(new String(json, StandardCharsets.UTF_8));
  }

  /**
   * Merge on two keys, one of them NULL in some rows: a row of the run replaces the row with equal
   * keys (NULL equal to NULL), the others are added, a re-run changes nothing, and a run holding a
   * key twice fails naming the key columns and the key, leaving the table as it was.
   */
  @Test
  void mergeReplacesRowsWithEqualKeysNullSafeAndRefusesAKeyTwice() throws Exception {
    String table = "merged";
    fixture.postgres.execute(
        "DROP TABLE IF EXISTS merge_source",
        "CREATE TABLE merge_source (batch text, k int, region text, v text, at date, gone"
            + " boolean)",
        "INSERT INTO merge_source VALUES"
            + " ('d1', 1, 'north', 'one', '1000-03-01', NULL),"
            + " ('d1', 2, NULL, 'two', '2024-02-29', NULL),"
            + " ('d1', NULL, NULL, 'nulls', NULL, NULL),"
            + " ('d2', 2, NULL, 'two, again', '1582-10-10', NULL),"
            + " ('d2', NULL, NULL, 'nulls, again', '0001-01-01', NULL),"
            + " ('d2', 3, 'south', 'three', '1899-12-31', false),"
            + " ('d3', 4, 'east', 'four', NULL, NULL),"
            + " ('d3', 2, NULL, 'two, twice', NULL, NULL),"
            + " ('d3', 2, NULL, 'two, thrice', NULL, NULL),"
            + " ('d4', 1, 'north', 'one, deleted', NULL, true),"
            + " ('d4', NULL, NULL, 'nulls, deleted', NULL, true),"
            + " ('d4', 5, 'west', 'five, deleted before it arrived', NULL, true),"
            + " ('d4', 6, 'west', 'six', NULL, false)");
    List<String> afterD2 =
        List.of(
            "1|north|one|1000-03-01|d1",
            "2|null|two, again|1582-10-10|d2",
            "3|south|three|1899-12-31|d2",
            "null|null|nulls, again|0001-01-01|d2");
    for (String batch : List.of("d1", "d2", "d2")) {
      RouteResult result = run(mergeArgs(table, batch));
      assertThat(result.rowsInDatabricks(), equalTo(3L));
    }
    assertThat(mergedRows(table), equalTo(afterD2));
    RouteFixture.Outcome twice = RouteFixture.launch(mergeArgs(table, "d3"));
    assertThat(twice.err(), twice.code(), equalTo(ExitCode.DATABRICKS));
    assertThat(twice.err(), containsString("merge key (k, region) = ('2', NULL) in 2 rows"));
    assertThat(twice.err(), containsString("--databricksMergeKeys"));
    assertThat(mergedRows(table), equalTo(afterD2));

    // Rows the source marks deleted delete their key's row (NULL keys too) and are not inserted.
    List<String> d4 = mergeArgs(table, "d4");
    d4.add("--softDeleteColumn=gone");
    RouteResult deleted = run(d4);
    assertThat(deleted.rowsInDatabricks(), equalTo(1L));
    assertThat(deleted.valuesInDatabricks(), equalTo(5L));
    assertThat(
        mergedRows(table),
        equalTo(
            List.of(
                "2|null|two, again|1582-10-10|d2",
                "3|south|three|1899-12-31|d2",
                "6|west|six|null|d4")));
  }

  private static List<String> mergeArgs(String table, String batch) {
    return args(
        "DirectRunner",
        table,
        "--query=SELECT k, region, v, at, gone FROM merge_source WHERE batch = '" + batch + "'",
        "--format=csv",
        "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
        "--runId=" + batch,
        "--databricksMode=delta",
        "--databricksDisposition=merge",
        "--databricksMergeKeys=k, region");
  }

  /** Every row of the merged table as text computed in Spark, ordered by key. */
  private static List<String> mergedRows(String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = databricks.connect();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT concat_ws('|', coalesce(cast(k AS string), 'null'),"
                    + " coalesce(region, 'null'), v, coalesce(cast(at AS string), 'null'),"
                    + " _lakeroute_run_id) FROM "
                    + SCHEMA
                    + "."
                    + table
                    + " ORDER BY k NULLS LAST")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  /**
   * A run whose Databricks step fails after its Delta load committed (the connection drops as the
   * rows are counted), then its re-run from the published manifest, then a retry of the whole
   * command after that success (as the cron wrapper does on exit 75): the table ends with exactly
   * one copy of the run's rows, every value compared.
   */
  @Test
  void failingAfterTheDeltaLoadThenRerunningKeepsExactlyOneCopy() throws Exception {
    String table = "tricky_rerun";
    List<String> args =
        args(
            "DirectRunner",
            table,
            "--query=SELECT * FROM " + RouteFixture.TRICKY,
            "--format=parquet",
            "--destination=s3://" + RouteFixture.BUCKET + "/databricks/" + table,
            "--runId=r1",
            "--databricksMode=delta",
            "--databricksDisposition=append");
    // Publish the files only, then run the step with a connection that fails after the load.
    List<String> filesOnly = new ArrayList<>(args);
    filesOnly.removeIf(a -> a.startsWith("--databricks"));
    assertThat(RouteFixture.launch(filesOnly).code(), equalTo(ExitCode.OK));
    Manifest manifest = published(table, "r1");
    DatabricksTarget target =
        new DatabricksTarget(
            new DatabricksTable("spark_catalog", SCHEMA, table),
            DatabricksTarget.Mode.DELTA,
            DatabricksTarget.Disposition.APPEND,
            DatabricksTarget.Dialect.SPARK);
    DatabricksConnection connection =
        DatabricksConnection.withUrl(databricks.jdbcUrlWithoutCredentials(), LocalDatabricks.TOKEN);
    try (SqlClient real = connection.open()) {
      SqlClient dropsAfterTheLoad =
          new SqlClient() {
            @Override
            public void execute(String sql) throws SQLException {
              real.execute(sql);
            }

            @Override
            public List<List<String>> query(String sql) throws SQLException {
              if (sql.startsWith("SELECT COUNT(*)")) {
                throw new SQLException("connection reset (the test's fault, after the load)");
              }
              return real.query(sql);
            }

            @Override
            public void close() {}
          };
      DatabricksException failed =
          assertThrows(
              DatabricksException.class,
              () -> DatabricksStep.run(dropsAfterTheLoad, target, manifest));
      assertThat(failed.getMessage(), containsString("are intact"));
    }
    assertSameRows(table, FileFormat.PARQUET);

    List<String> resume = new ArrayList<>(args);
    resume.add("--fromStep=databricks");
    RouteFixture.Outcome resumed = RouteFixture.launch(resume);
    assertThat(resumed.err(), resumed.code(), equalTo(ExitCode.OK));
    assertSameRows(table, FileFormat.PARQUET);

    // The wrapper's retry of the whole command after it had in fact succeeded.
    RouteFixture.Outcome retried = RouteFixture.launch(args);
    assertThat(retried.err(), retried.code(), equalTo(ExitCode.OK));
    assertSameRows(table, FileFormat.PARQUET);
    assertThat(count(table), equalTo((long) TrickyRows.ROW_COUNT));
  }

  /**
   * Spark's CSV reader makes every field equal to its NULL text NULL, quoted or not: a text {@code
   * \N} would arrive as NULL. The combination is refused before the query runs.
   */
  @Test
  void aCsvNullTextIsRefusedForDatabricksBeforeAnyDataMoves() throws Exception {
    RouteFixture.Outcome outcome =
        fixture.launchNothingRead(
            args(
                "DirectRunner",
                "null_text",
                "--format=csv",
                "--csvNullString=\\N",
                "--destination=s3://" + RouteFixture.BUCKET + "/databricks/null-text",
                "--databricksMode=delta"));
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(
        outcome.err(),
        containsString(
            "Databricks reads every CSV field equal to the NULL text (--csvNullString) '\\N' as"
                + " NULL"));
    assertThat(outcome.err(), containsString("or deliver parquet, avro or json (--format)"));
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, "databricks/null-text/").size(), equalTo(0));
  }

  private static long count(String table) throws Exception {
    try (Connection connection = databricks.connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Reads {@value #SCHEMA}.table through the Databricks driver and compares every value with the
   * tricky rows.
   */
  static void assertSameRows(String table, FileFormat format) throws Exception {
    Schema schema = TrickyRows.schema();
    String select =
        schema.getFields().stream().map(f -> selectExpression(f)).collect(Collectors.joining(", "));
    List<Row> expected = new ArrayList<>(TrickyRows.rows());
    expected.sort(
        Comparator.comparing(
            (Row r) -> r.getInt32("id"), Comparator.nullsLast(Comparator.naturalOrder())));
    try (Connection connection = LocalDatabricks.shared().connect();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT " + select + " FROM " + SCHEMA + "." + table + " ORDER BY id NULLS LAST")) {
      for (Row row : expected) {
        assertThat("row count", rs.next(), equalTo(true));
        for (int i = 0; i < schema.getFieldCount(); i++) {
          Schema.Field field = schema.getField(i);
          Object want = row.getValue(i);
          Object have = read(rs, i + 1, SqlTypeMapping.kindOf(field.getType()), format);
          assertThat(
              table + " id=" + row.getValue("id") + " " + field.getName(),
              have,
              equalTo(
                  want == null
                      ? null
                      : expectedValue(SqlTypeMapping.kindOf(field.getType()), want, format)));
        }
      }
      assertThat("no extra rows", rs.next(), equalTo(false));
    }
  }

  /** Dates and times as Spark's own text in UTC: the driver's java.sql types would shift them. */
  private static String selectExpression(Schema.Field field) {
    String column = "`" + field.getName() + "`";
    switch (SqlTypeMapping.kindOf(field.getType())) {
      case DATE:
      case TIMESTAMP:
      case TIMESTAMP_TZ:
        return "CAST(" + column + " AS STRING)";
      default:
        return column;
    }
  }

  private static Object read(ResultSet rs, int column, Kind kind, FileFormat format)
      throws Exception {
    Object value;
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        value = rs.getLong(column);
        break;
      case FLOAT:
        value = rs.getFloat(column);
        break;
      case DOUBLE:
        value = rs.getDouble(column);
        break;
      case DECIMAL:
        value = rs.getBigDecimal(column);
        break;
      case BOOLEAN:
        value = rs.getBoolean(column);
        break;
      case BYTES:
        value =
            isText(format)
                ? rs.getString(column)
                : Base64.getEncoder().encodeToString(bytes(rs, column));
        break;
      default:
        value = rs.getString(column);
    }
    return rs.wasNull() ? null : value;
  }

  private static byte[] bytes(ResultSet rs, int column) throws Exception {
    byte[] value = rs.getBytes(column);
    return value == null ? new byte[0] : value;
  }

  private static boolean isText(FileFormat format) {
    return format == FileFormat.CSV || format == FileFormat.JSON;
  }

  private static final DateTimeFormatter SPARK_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private static Object expectedValue(Kind kind, Object value, FileFormat format) {
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        return ((Number) value).longValue();
      case BYTES:
        return Base64.getEncoder().encodeToString((byte[]) value);
      case TIME:
        return io.lakeroute.formats.ValueText.format(Kind.TIME, value);
      case DATE:
        return ((LocalDate) value).toString();
      case TIMESTAMP:
        return sparkText((LocalDateTime) value);
      case TIMESTAMP_TZ:
        return sparkText(LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
      case DECIMAL:
        return (BigDecimal) value;
      default:
        return value;
    }
  }

  /** Spark's text of a timestamp: seconds, then the fraction without trailing zeros. */
  private static String sparkText(LocalDateTime value) {
    String text = SPARK_TIMESTAMP.format(value);
    int micros = value.getNano() / 1000;
    if (micros != 0) {
      String fraction = String.format(Locale.ROOT, "%06d", micros).replaceAll("0+$", "");
      text += "." + fraction;
    }
    return text;
  }
}
