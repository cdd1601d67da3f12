package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.TrickyRows;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
