package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatFiles;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.query.JdbcSource;
import io.lakeroute.query.Partitioning;
import io.lakeroute.query.QueryPlanner;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.LocalMariaDb;
import io.lakeroute.testing.MariaDbTrickyRows;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.WarehouseRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MariaDB 10.11 as the source of two routes, on the Direct and the Spark runner: route 1 (every
 * format → S3Mock, the files downloaded and read back by independent readers) and route redshift
 * (CSV → S3Mock → the PostgreSQL stand-in of Redshift → the Databricks stand-in), the MariaDB
 * tricky rows compared value by value at each destination. And a table written while the run reads
 * it still reconciles, the summary saying how.
 */
class MariaDbSourceIT {
  private static final String WAREHOUSE_DB = "redshift";
  private static final String WAREHOUSE_SCHEMA = "from_mariadb";
  private static final String DATABRICKS_SCHEMA = "lakeroute_mariadb_it";

  private static RouteFixture fixture;
  private static LocalMariaDb mariadb;
  private static Path passwordFile;
  private static Schema schema;
  private static String warehouseUrl;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    mariadb = LocalMariaDb.shared();
    MariaDbTrickyRows.create(mariadb);
    passwordFile = Files.createTempFile("lakeroute-mariadb", ".secret");
    Files.writeString(passwordFile, mariadb.password() + "\n", StandardCharsets.UTF_8);
    passwordFile.toFile().deleteOnExit();
    schema =
        QueryPlanner.plan(
                JdbcSource.of(mariadb.jdbcUrl(), null, mariadb.user(), mariadb.password()),
                "SELECT * FROM " + MariaDbTrickyRows.TABLE,
                Partitioning.none())
            .schema();
    warehouseUrl = fixture.database(WAREHOUSE_DB);
    try (Connection connection = warehouseConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + WAREHOUSE_SCHEMA);
    }
  }

  /** Runner, MariaDB source and S3Mock arguments, then {@code more}. */
  private static List<String> args(String runner, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    if (runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    args.add("--jdbcUrl=" + mariadb.jdbcUrl());
    args.add("--jdbcUser=" + mariadb.user());
    args.add("--jdbcPasswordFile=" + passwordFile);
    args.addAll(Arrays.asList(fixture.s3.launcherArgs()));
    args.addAll(Arrays.asList(more));
    return args;
  }

  static Stream<Arguments> runnersAndFormats() {
    List<Arguments> cases = new ArrayList<>();
    for (String runner : List.of("DirectRunner", "SparkRunner")) {
      for (FileFormat format : FileFormat.values()) {
        cases.add(Arguments.of(runner, format));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runnersAndFormats")
  void everyMariaDbValueArrivesExactlyInS3(String runner, FileFormat format) throws Exception {
    String prefix = "mariadb/" + runner + "/" + format.id();
    RouteResult result =
        Lakeroute.run(
            Lakeroute.parse(
                RouteFixture.array(
                    args(
                        runner,
                        "--query=SELECT * FROM " + MariaDbTrickyRows.TABLE,
                        "--format=" + format.id(),
                        "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix,
                        "--runId=r1"))));

    Manifest manifest = result.manifest();
    assertThat(result.queryRows(), equalTo((long) MariaDbTrickyRows.ROW_COUNT));
    assertThat(manifest.rowCount(), equalTo((long) MariaDbTrickyRows.ROW_COUNT));
    assertThat(result.consistency(), containsString("one consistent reader"));
    FormatSpec spec = FormatSpec.of(format);
    List<Row> delivered = new ArrayList<>();
    for (Manifest.FileEntry entry : manifest.files()) {
      Path file = temp.resolve(entry.name());
      Files.write(file, fixture.s3.get(RouteFixture.BUCKET, prefix + "/r1/" + entry.name()));
      delivered.addAll(read(spec, file));
    }
    TrickyRows.assertSameRows(MariaDbTrickyRows.rows(schema), delivered);
  }

  private static List<Row> read(FormatSpec spec, Path file) throws Exception {
    switch (spec.format()) {
      case PARQUET:
        return FormatFiles.readParquet(file, schema);
      case AVRO:
        return FormatFiles.readAvro(file, schema);
      case CSV:
        return FormatFiles.readCsv(file, spec, schema);
      default:
        return FormatFiles.readJson(file, spec, schema);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner"})
  void everyMariaDbValueArrivesExactlyInRedshiftAndDatabricksReadsIt(String runner)
      throws Exception {
    LocalDatabricks databricks = LocalDatabricks.shared();
    databricks.execute("CREATE SCHEMA IF NOT EXISTS " + DATABRICKS_SCHEMA);
    Path tokenFile = temp.resolve("databricks.token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    String table = "tricky_" + runner.toLowerCase(Locale.ROOT);
    RouteResult result =
        Lakeroute.run(
            Lakeroute.parse(
                RouteFixture.array(
                    args(
                        runner,
                        "--route=redshift",
                        "--format=csv",
                        "--query=SELECT * FROM " + MariaDbTrickyRows.TABLE,
                        "--destination=s3://" + RouteFixture.BUCKET + "/mariadb-redshift/" + table,
                        "--runId=r1",
                        "--warehouseDialect=postgres",
                        "--warehouseJdbcUrl="
                            + CopyExecutingDriver.redshift(warehouseUrl, fixture.s3),
                        "--redshiftIamRole=arn:aws:iam::123456789012:role/lakeroute-load",
                        "--warehouseUser=" + fixture.postgres.user(),
                        "--warehousePasswordFile=" + fixture.passwordFile,
                        "--warehouseSchema=" + WAREHOUSE_SCHEMA,
                        "--warehouseTable=" + table,
                        "--databricksJdbcUrl=" + databricks.jdbcUrlWithoutCredentials(),
                        "--databricksTokenFile=" + tokenFile,
                        "--databricksDialect=spark",
                        "--databricksCatalog=spark_catalog",
                        "--databricksSchema=" + DATABRICKS_SCHEMA,
                        "--databricksTable=" + table))));

    long rows = MariaDbTrickyRows.ROW_COUNT;
    assertThat(result.queryRows(), equalTo(rows));
    assertThat(result.rowsInWarehouse(), equalTo(rows));
    assertThat(result.rowsInDatabricks(), equalTo(rows));
    assertSameRowsInWarehouse(table);
    String qualified = DATABRICKS_SCHEMA + "." + table;
    assertThat(
        databricksText(
            databricks, "SELECT CAST(c_bigint_u AS STRING) FROM " + qualified + " WHERE id = 2"),
        equalTo("18446744073709551615"));
    assertThat(
        databricksText(databricks, "SELECT c_varchar FROM " + qualified + " WHERE id = 2"),
        equalTo("emoji 😀🎉 and ümlauts"));
    assertThat(
        databricksText(
            databricks, "SELECT CAST(c_timestamp AS STRING) FROM " + qualified + " WHERE id = 3"),
        equalTo("2024-06-01 12:00:00.5"));
  }

  private static String databricksText(LocalDatabricks databricks, String sql) throws Exception {
    try (Connection connection = databricks.connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Reads the warehouse table over pgjdbc and compares every value with MariaDB's. */
  private static void assertSameRowsInWarehouse(String table) throws Exception {
    List<Row> expected = TrickyRows.sortedById(MariaDbTrickyRows.rows(schema));
    try (Connection connection = warehouseConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT * FROM " + WAREHOUSE_SCHEMA + "." + table + " ORDER BY id NULLS LAST")) {
      for (Row row : expected) {
        assertThat("row count", rs.next(), equalTo(true));
        for (int i = 0; i < schema.getFieldCount(); i++) {
          Schema.Field field = schema.getField(i);
          Kind kind = SqlTypeMapping.kindOf(field.getType());
          Object want = row.getValue(i);
          assertThat(
              table + " id=" + row.getValue("id") + " " + field.getName(),
              WarehouseRows.read(rs, field.getName(), kind),
              equalTo(want == null ? null : WarehouseRows.expected(kind, want, "csv")));
        }
      }
      assertThat("no extra rows", rs.next(), equalTo(false));
    }
  }

  private static Connection warehouseConnection() throws Exception {
    return DriverManager.getConnection(
        warehouseUrl, fixture.postgres.user(), fixture.postgres.password());
  }

  /**
   * Zero dates fail the run naming the column and the flag that decides their fate; with {@code
   * --mariaDbZeroDate=null} they arrive in Parquet as NULL, every other value as it was.
   */
  @Test
  void zeroDatesAreRefusedNamingTheFlagOrArriveAsNullWhenItSaysSo() throws Exception {
    mariadb.execute(
        "CREATE OR REPLACE TABLE zero_dates_route (id INT, shipped DATE, seen DATETIME(6))",
        "INSERT INTO zero_dates_route VALUES (1, '0000-00-00', '2024-01-01 00:00:00.000001'),"
            + " (2, '1200-02-29', '0000-00-00 00:00:00'), (3, NULL, '2024-07-00 08:00:00')");
    String query = "SELECT * FROM zero_dates_route";
    String destination = "s3://" + RouteFixture.BUCKET + "/mariadb-zero-dates";

    RouteFixture.Outcome refused =
        RouteFixture.launch(
            args(
                "DirectRunner",
                "--query=" + query,
                "--format=parquet",
                "--destination=" + destination,
                "--runId=refused"));
    assertThat(refused.err(), refused.code(), equalTo(ExitCode.SOURCE));
    assertThat(refused.err(), containsString("Column 'shipped' (DATE) holds '0000-00-00'"));
    assertThat(refused.err(), containsString("or set --mariaDbZeroDate=null"));

    RouteFixture.Outcome nulls =
        RouteFixture.launch(
            args(
                "DirectRunner",
                "--query=" + query,
                "--format=parquet",
                "--destination=" + destination,
                "--runId=nulls",
                "--mariaDbZeroDate=null"));
    assertThat(nulls.err(), nulls.code(), equalTo(ExitCode.OK));
    Schema zeroSchema =
        QueryPlanner.plan(
                JdbcSource.of(mariadb.jdbcUrl(), null, mariadb.user(), mariadb.password()),
                query,
                Partitioning.none())
            .schema();
    List<Row> delivered = new ArrayList<>();
    for (String key : fixture.s3.keys(RouteFixture.BUCKET, "mariadb-zero-dates/nulls/part-")) {
      Path file = temp.resolve(key.substring(key.lastIndexOf('/') + 1));
      Files.write(file, fixture.s3.get(RouteFixture.BUCKET, key));
      delivered.addAll(FormatFiles.readParquet(file, zeroSchema));
    }
    List<Row> expected =
        List.of(
            Row.withSchema(zeroSchema)
                .addValues(1, null, java.time.LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_000))
                .build(),
            Row.withSchema(zeroSchema)
                .addValues(2, java.time.LocalDate.of(1200, 2, 29), null)
                .build(),
            Row.withSchema(zeroSchema).addValues(3, null, null).build());
    TrickyRows.assertSameRows(expected, delivered);
  }

  @Test
  void aTableWrittenWhileTheRunReadsItStillReconcilesAndTheSummarySaysHow() throws Exception {
    mariadb.execute(
        "CREATE OR REPLACE TABLE busy (id BIGINT PRIMARY KEY, note VARCHAR(200))",
        "INSERT INTO busy SELECT seq, REPEAT('x', 200) FROM seq_1_to_300000");
    // Writers commit once the reader streams: rows added, deleted and moved across id ranges.
    CompletableFuture<Void> writers =
        RouteFixture.inBackground(
            () -> {
              awaitStreaming("%FROM busy%");
              mariadb.execute(
                  "INSERT INTO busy SELECT seq, 'late' FROM seq_300001_to_310000",
                  "DELETE FROM busy WHERE id <= 1000",
                  "UPDATE busy SET id = id + 1000000 WHERE id BETWEEN 150000 AND 150100");
            });
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args(
                "DirectRunner",
                "--query=SELECT * FROM busy",
                "--partitionColumn=id",
                "--partitions=4",
                "--format=csv",
                "--destination=s3://" + RouteFixture.BUCKET + "/mariadb-busy",
                "--runId=r1"));
    writers.get();

    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(outcome.out(), containsString("300,000 returned by the query = 300,000 in files"));
    assertThat(
        outcome.out(),
        containsString(
            "one consistent reader: MariaDB cannot share a snapshot between connections"));
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, "mariadb-busy/r1/part-").size(), equalTo(1));
  }

  /** Waits until MariaDB runs a statement {@code LIKE pattern} for another session. */
  private static void awaitStreaming(String pattern) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection connection = mariadb.connect();
          PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ?"
                      + " AND INFO NOT LIKE '%COUNT(*)%' AND ID <> CONNECTION_ID()")) {
        statement.setString(1, pattern);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("MariaDB never ran a statement like " + pattern);
  }
}
