package io.lakeroute.query;

import static io.lakeroute.testing.TrickyRows.assertSameRows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.LegacyDatesDriver;
import io.lakeroute.validation.ReconciliationException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PartitionReaderTest {

  // ---------------------------------------------------------------- fit

  @Test
  void fitGivesTheValueExactlyTheColumnsScale() {
    assertThat(PartitionReader.fit(null, 5, 2, "c"), nullValue());
    assertThat(PartitionReader.fit(new BigDecimal("1.5"), 5, 2, "c").toString(), equalTo("1.50"));
    assertThat(PartitionReader.fit(new BigDecimal("1.000"), 5, 2, "c").toString(), equalTo("1.00"));
    assertThat(PartitionReader.fit(new BigDecimal("1E+3"), 4, 0, "c").toString(), equalTo("1000"));
    assertThat(
        PartitionReader.fit(new BigDecimal("-999.99"), 5, 2, "c").toString(), equalTo("-999.99"));
    assertThat(
        PartitionReader.fit(new BigDecimal("1234567890123456789012345678.0123456789"), 38, 10, "c")
            .toString(),
        equalTo("1234567890123456789012345678.0123456789"));
    assertThat(PartitionReader.fit(BigDecimal.ZERO, 38, 10, "c").toString(), equalTo("0E-10"));
  }

  @Test
  void fitRejectsMoreDecimalPlacesThanTheScaleNamingTheColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PartitionReader.fit(new BigDecimal("1.005"), 5, 2, "price"));

    assertThat(
        e.getMessage(),
        allOf(
            containsString("Column 'price'"),
            containsString("1.005"),
            containsString("more than 2 decimal places"),
            containsString("CAST(price AS NUMERIC(5,3))")));
    assertThrows(
        IllegalArgumentException.class,
        () -> PartitionReader.fit(new BigDecimal("-0.001"), 5, 2, "price"));
  }

  @Test
  void fitRejectsMoreDigitsThanThePrecisionNamingTheColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PartitionReader.fit(new BigDecimal("1234.5"), 5, 2, "amount"));

    assertThat(
        e.getMessage(),
        allOf(
            containsString("Column 'amount'"),
            containsString("1234.5"),
            containsString("more than 5 digits")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PartitionReader.fit(
                new BigDecimal("12345678901234567890123456789.0123456789"), 38, 10, "amount"));
  }

  @Test
  void fitHoldsUnconstrainedNumericsUpTo20IntegerDigits() {
    int precision = SqlTypeMapping.MAX_DECIMAL_PRECISION;
    int scale = SqlTypeMapping.UNBOUNDED_DECIMAL_SCALE;

    assertThat(
        PartitionReader.fit(new BigDecimal("12345678901234567890.5"), precision, scale, "n")
            .toPlainString(),
        equalTo("12345678901234567890.500000000000000000"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PartitionReader.fit(
                    new BigDecimal("123456789012345678901"), precision, scale, "n"));
    assertThat(e.getMessage(), containsString("Column 'n'"));
  }

  // ---------------------------------------------------------------- reading H2

  private static final String URL = "jdbc:h2:mem:partition_reader;DB_CLOSE_DELAY=-1";
  private static Connection h2;

  @BeforeAll
  static void createTable() throws SQLException {
    h2 = DriverManager.getConnection(URL);
    try (Statement statement = h2.createStatement()) {
      statement.execute(
          "CREATE TABLE readme (id INT, d DECIMAL(38,10), n NUMERIC(5,2), s SMALLINT,"
              + " b BIGINT, r REAL, f DOUBLE PRECISION, ok BOOLEAN, t VARCHAR(50), c CHAR(3),"
              + " bin VARBINARY(10), d_day DATE, tod TIME(6), ts TIMESTAMP(6),"
              + " tstz TIMESTAMP(6) WITH TIME ZONE, u UUID)");
      statement.execute("CREATE TABLE nanos (ts TIMESTAMP(9))");
      statement.execute("INSERT INTO nanos VALUES (TIMESTAMP '2024-01-01 00:00:00.123456789')");
    }
    try (PreparedStatement insert =
        h2.prepareStatement(
            "INSERT INTO readme VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Object[] row : H2_ROWS) {
        for (int i = 0; i < row.length; i++) {
          insert.setObject(i + 1, row[i]);
        }
        insert.executeUpdate();
      }
    }
  }

  @AfterAll
  static void close() throws SQLException {
    h2.close();
  }

  private static final Object[][] H2_ROWS = {
    {
      1,
      new BigDecimal("-1234567890123456789012345678.0123456789"),
      new BigDecimal("1.5"),
      (short) -32768,
      Long.MAX_VALUE,
      Float.NaN,
      -Math.PI,
      true,
      "東京 🚀 \"q\"\n",
      "ab",
      new byte[] {0, (byte) 0xff},
      LocalDate.of(1, 1, 1),
      LocalTime.of(23, 59, 59, 999_999_000),
      LocalDateTime.of(1965, 3, 4, 5, 6, 7, 123_456_000),
      OffsetDateTime.of(2024, 7, 1, 0, 0, 0, 500_000_000, ZoneOffset.ofHours(2)),
      UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    },
    {
      2,
      new BigDecimal("0"),
      new BigDecimal("-0.01"),
      (short) 0,
      0L,
      0.1f,
      0.1,
      false,
      "",
      "xyz",
      new byte[0],
      LocalDate.of(1969, 12, 31),
      LocalTime.MIDNIGHT,
      LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
      OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
      null
    },
    new Object[16]
  };

  private static Row expected(Schema schema, Object... values) {
    return Row.withSchema(schema).attachValues(Arrays.asList(values));
  }

  private static Schema schemaOf(String query) throws SQLException {
    try (Statement statement = h2.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      return SqlTypeMapping.schemaOf(result.getMetaData(), SourceDialect.forUrl("jdbc:h2:mem:"));
    }
  }

  private static List<Row> read(Schema schema, String sql, Serializable... parameters)
      throws Exception {
    PartitionReader reader = new PartitionReader(JdbcSource.of(URL, null, null, null), schema);
    List<Row> rows = new ArrayList<>();
    long count = reader.read(new QueryPartition(0, 1, sql, List.of(parameters), 0), rows::add);
    assertThat(count, equalTo((long) rows.size()));
    return rows;
  }

  @Test
  void readsEveryValueAsTheExactJavaTypeOfItsField() throws Exception {
    Schema schema = schemaOf("SELECT * FROM readme");

    List<Row> rows = read(schema, "SELECT * FROM readme");

    assertSameRows(
        List.of(
            expected(
                schema,
                1,
                new BigDecimal("-1234567890123456789012345678.0123456789"),
                new BigDecimal("1.50"),
                (short) -32768,
                Long.MAX_VALUE,
                Float.NaN,
                -Math.PI,
                true,
                "東京 🚀 \"q\"\n",
                "ab ",
                new byte[] {0, (byte) 0xff},
                LocalDate.of(1, 1, 1),
                LocalTime.of(23, 59, 59, 999_999_000),
                LocalDateTime.of(1965, 3, 4, 5, 6, 7, 123_456_000),
                Instant.parse("2024-06-30T22:00:00.500Z"),
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            expected(
                schema,
                2,
                new BigDecimal("0E-10"),
                new BigDecimal("-0.01"),
                (short) 0,
                0L,
                0.1f,
                0.1,
                false,
                "",
                "xyz",
                new byte[0],
                LocalDate.of(1969, 12, 31),
                LocalTime.MIDNIGHT,
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                null),
            expected(schema, new Object[16])),
        rows);
  }

  @Test
  void bindsThePartitionsParameters() throws Exception {
    Schema schema = schemaOf("SELECT id FROM readme");

    List<Row> rows = read(schema, "SELECT id FROM readme WHERE id >= ? AND id < ?", 2, 3);

    assertThat(rows.size(), equalTo(1));
    assertThat(rows.get(0).getInt32("ID"), equalTo(2));
  }

  @Test
  void rejectsTimestampsFinerThanMicrosecondsNamingTheColumn() throws Exception {
    Schema schema = schemaOf("SELECT ts FROM nanos");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read(schema, "SELECT ts FROM nanos"));

    assertThat(
        e.getMessage(), allOf(containsString("Column 'TS'"), containsString("microseconds")));
  }

  // ---------------------------------------------------------------- the source's own fingerprint

  private static long readVerified(String url, Schema schema, String sql, Serializable... params)
      throws Exception {
    JdbcSource source = JdbcSource.of(url, null, null, null).withVerifySource(true);
    return new PartitionReader(source, schema)
        .read(new QueryPartition(0, 1, sql, List.of(params), 0), row -> {});
  }

  /**
   * Every type, NaN, a CHAR(3) with its padding, a UUID and a time zone other than UTC: H2's own
   * fingerprint of them equals the one of the values read, with and without bound parameters.
   */
  @Test
  void theSourcesFingerprintEqualsTheRowsReadOfEveryType() throws Exception {
    Schema schema = schemaOf("SELECT * FROM readme");

    assertThat(readVerified(URL, schema, "SELECT * FROM readme"), equalTo(3L));
    assertThat(readVerified(URL, schema, "SELECT * FROM readme WHERE id >= ?", 2), equalTo(1L));
  }

  /**
   * A driver that reads dates through java.sql.Date (the JDBC API's own type, in the hybrid
   * Julian/Gregorian calendar) moves dates before 1582-10-15 and keeps the count: only the source's
   * own fingerprint sees it, and the failure names the hop, the column and the key, and says that
   * the key (the query's first column) repeats.
   */
  @Test
  void aDateTheDriverMovesFailsNamingTheColumnAndTheKey() throws Exception {
    try (Statement statement = h2.createStatement()) {
      statement.execute("CREATE TABLE calendar (id INT, birthday DATE)");
      statement.execute(
          "INSERT INTO calendar VALUES (1, DATE '2024-02-29'), (2, DATE '1582-10-10'),"
              + " (3, NULL), (2, DATE '2000-01-01')");
    }
    Schema schema = schemaOf("SELECT * FROM calendar");

    ReconciliationException e =
        assertThrows(
            ReconciliationException.class,
            () ->
                readVerified(
                    LegacyDatesDriver.url(URL), schema, "SELECT * FROM calendar ORDER BY id"));

    assertThat(e.hop(), equalTo(ReconciliationException.Hop.SOURCE));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("Values differ between the source and the rows read from it"),
            containsString(": BIRTHDAY (fingerprints computed by H2"),
            containsString(
                "Rows by ID (canonical text, at most 5): ID '2': BIRTHDAY '1582-10-10' in H2, '"),
            containsString("Nothing was published"),
            containsString("(BIRTHDAY DATE)"),
            containsString(
                "The key ID is not unique: 1 of its values occur more than once in partition"
                    + " 1/1")));
    assertThat(e.getMessage(), not(containsString("ID '1'")));
  }

  /**
   * A database lakeroute has no fingerprint query for (any but PostgreSQL, H2, MariaDB and MySQL):
   * the option says so rather than skip it.
   */
  @Test
  void verifyingASourceWithoutFingerprintSqlIsRefusedNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JdbcSource.of("jdbc:databricks://127.0.0.1:1/default", null, null, null)
                    .withVerifySource(true));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("JdbcSource.withVerifySource"),
            containsString("a JDBC database's SQL")));
  }
}
