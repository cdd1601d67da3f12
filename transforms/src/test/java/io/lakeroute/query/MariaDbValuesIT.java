package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatFiles;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.testing.LocalMariaDb;
import io.lakeroute.testing.MariaDbTrickyRows;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Against MariaDB 10.11 on loopback, read with MariaDB Connector/J: every MariaDB type carried
 * exactly into rows and through every file format, or refused naming the column; and one consistent
 * reader whose read does not see the writes committed while it reads.
 */
class MariaDbValuesIT {
  private static LocalMariaDb mariadb;
  private static JdbcSource source;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    mariadb = LocalMariaDb.shared();
    source = JdbcSource.of(mariadb.jdbcUrl(), null, mariadb.user(), mariadb.password());
    MariaDbTrickyRows.create(mariadb);
  }

  private static List<Row> read(QueryPlan plan) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (QueryPartition partition : plan.partitions()) {
      plan.reader().read(partition, rows::add);
    }
    return rows;
  }

  private static List<Row> read(String query) throws IOException {
    return read(QueryPlanner.plan(source, query, Partitioning.none()));
  }

  @Test
  void mapsEveryMariaDbTypeToTheFieldThatHoldsItsValuesExactly() {
    Schema schema = QueryPlanner.plan(source, "SELECT * FROM tricky", Partitioning.none()).schema();

    Map<String, FieldType> derived = new LinkedHashMap<>();
    schema.getFields().forEach(f -> derived.put(f.getName(), f.getType().withNullable(false)));
    assertThat(derived, equalTo(MariaDbTrickyRows.TYPES));
  }

  @Test
  void readsEveryValueExactlyWhateverTheSessionZoneItWasWrittenIn() throws Exception {
    QueryPlan plan = QueryPlanner.plan(source, "SELECT * FROM tricky", Partitioning.none());

    TrickyRows.assertSameRows(MariaDbTrickyRows.rows(plan.schema()), read(plan));
  }

  @ParameterizedTest
  @EnumSource(FileFormat.class)
  void carriesEveryValueThroughEveryFormat(FileFormat format) throws Exception {
    QueryPlan plan = QueryPlanner.plan(source, "SELECT * FROM tricky", Partitioning.none());
    Schema schema = plan.schema();
    FormatSpec spec = FormatSpec.of(format);
    spec.check(schema);
    Path file =
        FormatFiles.writeDirect(spec, schema, read(plan), dir.resolve("tricky" + spec.suffix()));

    List<Row> back;
    switch (format) {
      case PARQUET:
        back = FormatFiles.readParquet(file, schema);
        break;
      case AVRO:
        back = FormatFiles.readAvro(file, schema);
        break;
      case CSV:
        back = FormatFiles.readCsv(file, spec, schema);
        break;
      default:
        back = FormatFiles.readJson(file, spec, schema);
        break;
    }
    TrickyRows.assertSameRows(MariaDbTrickyRows.rows(schema), back);
  }

  /**
   * With the source's own fingerprint, MariaDB renders and hashes every type of the matrix in its
   * SQL (docs/fingerprints.md) equal to the values the driver returned, zero dates read as NULL
   * included; the read passes and carries every value exactly.
   */
  @Test
  void theSourceFingerprintOfEveryMariaDbTypeEqualsTheRowsRead() throws Exception {
    QueryPlan plan =
        QueryPlanner.plan(
            source.withVerifySource(true), "SELECT * FROM tricky", Partitioning.none());
    TrickyRows.assertSameRows(MariaDbTrickyRows.rows(plan.schema()), read(plan));

    mariadb.execute(
        "CREATE OR REPLACE TABLE zero_dates_verified"
            + " (id INT, shipped DATE, seen DATETIME(6), stamped TIMESTAMP(6) NULL)",
        "SET time_zone = '+00:00'",
        "INSERT INTO zero_dates_verified VALUES"
            + " (1, '0000-00-00', '2024-03-00 10:00:00', '0000-00-00 00:00:00'),"
            + " (2, '0001-01-01', '1582-10-05 00:00:00.000001', '2024-02-29 23:59:59.999999')");
    List<Row> rows =
        read(
            QueryPlanner.plan(
                source.withZeroDate("null").withVerifySource(true),
                "SELECT * FROM zero_dates_verified ORDER BY id",
                Partitioning.none()));
    assertThat(rows.get(0).getValue("shipped"), equalTo(null));
    assertThat(rows.get(1).getValue("shipped"), equalTo(LocalDate.of(1, 1, 1)));
  }

  /**
   * Read through MariaDB's text protocol (the driver's client-side prepared statements, which a
   * JDBC URL can ask for), a FLOAT arrives as its 6-digit text: 16777216 becomes 16777200, the
   * count stays. The source's fingerprint catches it, naming the column and the row by the query's
   * first column with both texts.
   */
  @Test
  void aFloatTheTextProtocolRoundsIsCaughtByTheSourceFingerprint() {
    JdbcSource textProtocol =
        JdbcSource.of(
                mariadb.jdbcUrl() + "?useServerPrepStmts=false",
                null,
                mariadb.user(),
                mariadb.password())
            .withVerifySource(true);
    QueryPlan plan =
        QueryPlanner.plan(
            textProtocol,
            "SELECT id, c_float, c_varchar FROM tricky ORDER BY id",
            Partitioning.none());

    ReconciliationException e =
        assertThrows(
            ReconciliationException.class,
            () -> plan.reader().read(plan.partitions().get(0), row -> {}));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("Values differ between the source and the rows read from it"),
            containsString(": c_float (fingerprints computed by MariaDB"),
            containsString("id '2': c_float '4503599627370496p-28' in MariaDB, '"),
            containsString("(c_float FLOAT)")));
  }

  @Test
  void refusesDecimalsWiderThan38DigitsAtPlanningNamingTheColumnAndTheCast() throws Exception {
    mariadb.execute(
        "CREATE OR REPLACE TABLE wide (id INT, amount DECIMAL(65,30))",
        "INSERT INTO wide VALUES (1, 1.5)");

    UnsupportedColumnTypeException e =
        assertThrows(
            UnsupportedColumnTypeException.class,
            () -> QueryPlanner.plan(source, "SELECT * FROM wide", Partitioning.none()));
    assertThat(e.column(), equalTo("amount"));
    assertThat(
        e.getMessage(),
        allOf(containsString("DECIMAL(65,30)"), containsString("CAST(amount AS DECIMAL(38,30))")));
    // The advised cast runs on MariaDB and carries the value.
    List<Row> rows = read("SELECT id, CAST(amount AS DECIMAL(38,30)) AS amount FROM wide");
    assertThat(
        rows.get(0).getDecimal("amount"),
        equalTo(new BigDecimal("1.500000000000000000000000000000")));
  }

  @Test
  void refusesZeroDatesNamingTheColumnAndTheFix() throws Exception {
    mariadb.execute(
        "CREATE OR REPLACE TABLE zero_dates (id INT, shipped DATE, seen DATETIME)",
        "INSERT INTO zero_dates VALUES (1, '0000-00-00', '2024-01-01 00:00:00'),"
            + " (2, '2024-01-01', '0000-00-00 00:00:00')");

    String date = readFailure("SELECT id, shipped FROM zero_dates");
    assertThat(
        date,
        allOf(
            containsString("Column 'shipped' (DATE) holds '0000-00-00'"),
            containsString("NULLIF(shipped, '0000-00-00')"),
            containsString("JdbcSource.withZeroDate(null)")));
    String dateTime = readFailure("SELECT id, seen FROM zero_dates");
    assertThat(dateTime, containsString("Column 'seen' (DATETIME) holds '0000-00-00 00:00:00'"));
    // The advised fix reads.
    List<Row> rows =
        read("SELECT id, NULLIF(shipped, '0000-00-00') AS shipped FROM zero_dates ORDER BY id");
    assertThat(rows.get(0).getValue("shipped"), equalTo(null));
    assertThat(rows.get(1).getValue("shipped"), equalTo(LocalDate.of(2024, 1, 1)));
  }

  @Test
  void readsZeroDatesAsNullWhenTheSourceAsksForIt() throws Exception {
    mariadb.execute(
        "CREATE OR REPLACE TABLE zero_dates_null"
            + " (id INT, shipped DATE, seen DATETIME(6), stamped TIMESTAMP(6) NULL)",
        "SET time_zone = '+00:00'",
        "INSERT INTO zero_dates_null VALUES"
            + " (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'),"
            + " (2, '2024-00-15', '2024-03-00 10:00:00', '2024-02-29 23:59:59.999999'),"
            + " (3, '1200-02-29', '1582-10-05 00:00:00.000001', NULL)");
    JdbcSource asNull = source.withZeroDate("null");
    List<Row> rows =
        read(
            QueryPlanner.plan(
                asNull, "SELECT * FROM zero_dates_null ORDER BY id", Partitioning.none()));

    assertThat(rows.get(0).getValue("shipped"), equalTo(null));
    assertThat(rows.get(0).getValue("seen"), equalTo(null));
    assertThat(rows.get(0).getValue("stamped"), equalTo(null));
    assertThat(rows.get(1).getValue("shipped"), equalTo(null));
    assertThat(rows.get(1).getValue("seen"), equalTo(null));
    assertThat(
        rows.get(1).getValue("stamped"),
        equalTo(java.time.Instant.parse("2024-02-29T23:59:59.999999Z")));
    // Real dates, before 1582 too, are carried as they are, not taken for zero dates.
    assertThat(rows.get(2).getValue("shipped"), equalTo(LocalDate.of(1200, 2, 29)));
    assertThat(
        rows.get(2).getValue("seen"),
        equalTo(java.time.LocalDateTime.of(1582, 10, 5, 0, 0, 0, 1_000)));
    // Refused by default. The driver spells a DATETIME with a zero day; a DATE with a zero month
    // it cannot, so the message says what it holds.
    assertThat(
        readFailure("SELECT id, seen FROM zero_dates_null WHERE id = 2"),
        allOf(
            containsString("Column 'seen' (DATETIME) holds '2024-03-00 10:00:00.000000'"),
            containsString("JdbcSource.withZeroDate(null)")));
    assertThat(
        readFailure("SELECT id, shipped FROM zero_dates_null WHERE id = 2"),
        allOf(
            containsString("Column 'shipped' (DATE) holds a date with a zero month or day"),
            containsString("WHERE MONTH(shipped) <> 0 AND DAY(shipped) <> 0"),
            containsString("JdbcSource.withZeroDate(null)")));
  }

  @Test
  void refusesTinyIntOneHoldingMoreThanABooleanAndTimesBeyondADay() {
    mariadb.execute(
        "CREATE OR REPLACE TABLE odd (id INT, flag TINYINT(1), took TIME)",
        "INSERT INTO odd VALUES (1, 2, '01:00:00'), (2, 1, '-00:30:00'), (3, 1, '100:00:00')");

    assertThat(
        readFailure("SELECT id, flag FROM odd"),
        allOf(
            containsString("Column 'flag'"),
            containsString("holds 2"),
            containsString("CAST(flag AS SIGNED)")));
    assertThat(
        readFailure("SELECT id, took FROM odd WHERE id = 2"),
        allOf(
            containsString("Column 'took' (TIME) holds '-00:30:00'"),
            containsString("TIME_TO_SEC(took)")));
    assertThat(
        readFailure("SELECT id, took FROM odd WHERE id = 3"),
        containsString("Column 'took' (TIME) holds '100:00:00'"));
  }

  private static String readFailure(String query) {
    return assertThrows(IllegalArgumentException.class, () -> read(query)).getMessage();
  }

  @Test
  void oneConsistentReaderDoesNotSeeWritesCommittedWhileItReads() throws Exception {
    mariadb.execute(
        "CREATE OR REPLACE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(20))",
        "INSERT INTO orders SELECT seq, CONCAT('n', seq) FROM seq_1_to_3000");
    QueryPlan plan =
        QueryPlanner.plan(
            source, "SELECT * FROM orders", Partitioning.onColumn("id").withPartitions(3));

    assertThat(plan.partitions().size(), equalTo(1));
    assertThat(plan.rowCount(), equalTo(3000L));
    assertThat(plan.consistency(), containsString("one consistent reader"));
    AtomicBoolean written = new AtomicBoolean();
    long[] read = new long[1];
    plan.reader()
        .read(
            plan.partitions().get(0),
            row -> {
              if (written.compareAndSet(false, true)) {
                // Writers commit after the reader's snapshot began, while it streams.
                mariadb.execute(
                    "INSERT INTO orders SELECT seq, 'late' FROM seq_3001_to_3500",
                    "DELETE FROM orders WHERE id <= 10",
                    "UPDATE orders SET id = id + 100000 WHERE id BETWEEN 2500 AND 2520");
              }
              read[0]++;
            });
    assertThat(read[0], equalTo(3000L));
  }

  @Test
  void writesBetweenPlanAndReadFailTheReadNamingBothCounts() {
    mariadb.execute(
        "CREATE OR REPLACE TABLE late_orders (id BIGINT PRIMARY KEY)",
        "INSERT INTO late_orders SELECT seq FROM seq_1_to_100");
    QueryPlan plan = QueryPlanner.plan(source, "SELECT * FROM late_orders", Partitioning.none());
    mariadb.execute("INSERT INTO late_orders VALUES (101)");

    ReconciliationException e =
        assertThrows(
            ReconciliationException.class,
            () -> plan.reader().read(plan.partitions().get(0), row -> {}));
    assertThat(
        e.getMessage(),
        allOf(containsString("100 rows when planned and 101"), containsString("re-run")));
  }
}
