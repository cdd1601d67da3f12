package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The Databricks stand-in, reached only through the real Databricks JDBC driver. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalDatabricksIT {
  private static final String BUCKET = "databricks-standin-test";
  private static final String UNICODE =
      "Zoë Ångström, 北京, emoji 😀, \"double\" and 'single' quotes";

  private static LocalDatabricks databricks;
  private static String schema;

  @BeforeAll
  static void startDatabricks() {
    long started = System.nanoTime();
    databricks = LocalDatabricks.shared();
    System.out.printf(
        Locale.ROOT,
        "LocalDatabricks (with LocalS3) ready in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    schema = "ldt_" + UUID.randomUUID().toString().substring(0, 8);
    LocalS3.shared().createBucket(BUCKET);
  }

  @Test
  @Order(1)
  void selectsOneThroughTheDatabricksDriver() throws SQLException {
    long started = System.nanoTime();
    try (Connection c = databricks.connect()) {
      long connected = System.nanoTime();
      assertThat(c.getClass().getName(), containsString("com.databricks"));
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT 1 AS one")) {
        assertThat(r.next(), is(true));
        assertThat(r.getInt("one"), is(1));
        assertThat(r.next(), is(false));
      }
      System.out.printf(
          Locale.ROOT,
          "first connection %d ms, SELECT 1 %d ms%n",
          (connected - started) / 1_000_000,
          (System.nanoTime() - connected) / 1_000_000);
    }
  }

  @Test
  @Order(2)
  void listensOnLoopbackOnly() throws Exception {
    LocalServersAssumptions.assertLoopbackOnly("the Databricks endpoint", databricks.port());
    LocalServersAssumptions.assertLoopbackOnly("Spark's Thrift server", databricks.hivePort());
  }

  @Test
  @Order(3)
  void deltaTableKeepsExactValues() throws SQLException {
    String table = schema + ".typed";
    databricks.execute(
        "CREATE SCHEMA IF NOT EXISTS " + schema,
        "CREATE TABLE "
            + table
            + " (id INT, amount DECIMAL(38,10), at TIMESTAMP, local_at TIMESTAMP_NTZ, day DATE,"
            + " name STRING, flag BOOLEAN, big BIGINT, ratio DOUBLE) USING DELTA",
        "INSERT INTO "
            + table
            + " VALUES (1, 1234567890123456789012345678.0123456789,"
            + " TIMESTAMP'2024-02-29 23:59:59.123456', TIMESTAMP_NTZ'1969-12-31 23:59:59.999999',"
            + " DATE'1900-02-28', 'plain', true, 9223372036854775807, 0.1),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    try (Connection c = databricks.connect();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      // Native parameters: the driver sends them apart from the text, the stand-in binds them.
      insert.setInt(1, 2);
      insert.setBigDecimal(2, new BigDecimal("-0.0000000001"));
      insert.setTimestamp(3, Timestamp.valueOf("1999-12-31 23:59:59.000001"));
      insert.setTimestamp(4, Timestamp.valueOf("1950-06-15 12:00:00"));
      insert.setDate(5, java.sql.Date.valueOf("1969-07-20"));
      insert.setString(6, UNICODE);
      insert.setBoolean(7, false);
      insert.setLong(8, Long.MIN_VALUE);
      insert.setNull(9, Types.DOUBLE);
      insert.executeUpdate();
    }

    try (Connection c = databricks.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
      assertThat(r.getMetaData().getColumnTypeName(2), is("DECIMAL"));
      assertThat(r.getMetaData().getPrecision(2), is(38));
      assertThat(r.getMetaData().getScale(2), is(10));

      assertThat(r.next(), is(true));
      assertThat(r.getInt("id"), is(1));
      assertThat(
          r.getBigDecimal("amount"),
          equalTo(new BigDecimal("1234567890123456789012345678.0123456789")));
      // The session's zone is UTC; the driver reads the wall-clock time it is sent.
      assertThat(
          r.getTimestamp("at").toLocalDateTime(),
          is(LocalDateTime.parse("2024-02-29T23:59:59.123456")));
      assertThat(
          r.getTimestamp("local_at").toLocalDateTime(),
          is(LocalDateTime.parse("1969-12-31T23:59:59.999999")));
      assertThat(r.getDate("day").toLocalDate(), is(LocalDate.of(1900, 2, 28)));
      assertThat(r.getString("name"), is("plain"));
      assertThat(r.getBoolean("flag"), is(true));
      assertThat(r.getLong("big"), is(Long.MAX_VALUE));
      assertThat(r.getDouble("ratio"), is(0.1));

      assertThat(r.next(), is(true));
      assertThat(r.getInt("id"), is(2));
      assertThat(r.getBigDecimal("amount"), equalTo(new BigDecimal("-0.0000000001")));
      assertThat(
          r.getTimestamp("at").toLocalDateTime(),
          is(LocalDateTime.parse("1999-12-31T23:59:59.000001")));
      assertThat(
          r.getTimestamp("local_at").toLocalDateTime(),
          is(LocalDateTime.parse("1950-06-15T12:00")));
      assertThat(r.getDate("day").toLocalDate(), is(LocalDate.of(1969, 7, 20)));
      assertThat(r.getString("name"), is(UNICODE));
      assertThat(r.getBoolean("flag"), is(false));
      assertThat(r.getLong("big"), is(Long.MIN_VALUE));
      assertThat(r.getObject("ratio"), nullValue());

      assertThat(r.next(), is(true));
      assertThat(r.getInt("id"), is(3));
      for (int column = 2; column <= 9; column++) {
        assertThat("column " + column, r.getObject(column), nullValue());
        assertThat("column " + column, r.wasNull(), is(true));
      }
      assertThat(r.next(), is(false));
    }

    try (Connection c = databricks.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("DESCRIBE DETAIL " + table)) {
      assertThat(r.next(), is(true));
      assertThat(r.getString("format"), is("delta"));
      assertThat(r.getString("location"), containsString(databricks.warehouse()));
    }
  }

  @Test
  @Order(4)
  void resultLargerThanOneFetchComesBackWhole() throws SQLException {
    // The stand-in caps a fetch at 5 000 rows, so 10 001 rows take three fetches.
    try (Connection c = databricks.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT id, concat('row-', id) AS label FROM range(10001) ORDER BY id")) {
      long expected = 0;
      while (r.next()) {
        assertThat(r.getLong("id"), is(expected));
        assertThat(r.getString("label"), is("row-" + expected));
        expected++;
      }
      assertThat(expected, is(10_001L));
    }
  }

  @Test
  @Order(5)
  void externalParquetTablesOnS3() throws SQLException {
    String location = "s3a://" + BUCKET + "/" + schema + "/customers/";
    databricks.execute(
        "CREATE SCHEMA IF NOT EXISTS " + schema,
        "CREATE TABLE "
            + schema
            + ".customers_writer (id BIGINT, name STRING, amount DECIMAL(12,2)) USING PARQUET"
            + " LOCATION '"
            + location
            + "'",
        "INSERT INTO "
            + schema
            + ".customers_writer SELECT id, concat('customer ', id), id * 1.25 FROM range(100)");

    List<String> keys = LocalS3.shared().keys(BUCKET, schema + "/customers/");
    assertThat(keys, hasItem(endsWith(".parquet")));

    // A second table over the same files: the data is in S3, not in the first table.
    databricks.execute(
        "CREATE TABLE "
            + schema
            + ".customers_reader USING PARQUET LOCATION 's3://"
            + BUCKET
            + "/"
            + schema
            + "/customers/'");
    try (Connection c = databricks.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), sum(amount), max(name) FROM " + schema + ".customers_reader")) {
      assertThat(r.next(), is(true));
      assertThat(r.getLong(1), is(100L));
      assertThat(r.getBigDecimal(2), equalTo(new BigDecimal("6187.50")));
      assertThat(r.getString(3), is("customer 99"));
    }

    // Route 1's load: files on S3 into a Delta table, by path.
    databricks.execute(
        "CREATE TABLE "
            + schema
            + ".customers (id BIGINT, name STRING, amount DECIMAL(12,2)) USING DELTA",
        "INSERT INTO " + schema + ".customers SELECT * FROM parquet.`" + location + "`");
    try (Connection c = databricks.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT count(*), min(id), max(id) FROM " + schema + ".customers")) {
      assertThat(r.next(), is(true));
      assertThat(r.getLong(1), is(100L));
      assertThat(r.getLong(2), is(0L));
      assertThat(r.getLong(3), is(99L));
    }
  }

  @Test
  @Order(6)
  void avroCsvAndJsonTablesOnS3() throws SQLException {
    String prefix = "s3a://" + BUCKET + "/" + schema + "/";
    for (String format : List.of("AVRO", "CSV", "JSON")) {
      String table = schema + ".people_" + format.toLowerCase(Locale.ROOT);
      String options = format.equals("CSV") ? " OPTIONS (header 'true')" : "";
      databricks.execute(
          "CREATE TABLE "
              + table
              + " (id INT, name STRING) USING "
              + format
              + options
              + " LOCATION '"
              + prefix
              + format.toLowerCase(Locale.ROOT)
              + "/'",
          "INSERT INTO " + table + " VALUES (1, 'Zoë'), (2, NULL)");
      // The table, and for the self-describing formats the files by path too.
      List<String> sources = new ArrayList<>(List.of(table));
      if (!format.equals("CSV")) {
        sources.add(
            format.toLowerCase(Locale.ROOT)
                + ".`"
                + prefix
                + format.toLowerCase(Locale.ROOT)
                + "/`");
      }
      for (String source : sources) {
        try (Connection c = databricks.connect();
            Statement s = c.createStatement();
            ResultSet r = s.executeQuery("SELECT count(*), max(name) FROM " + source)) {
          assertThat(source, r.next(), is(true));
          assertThat(source, r.getLong(1), is(2L));
          assertThat(source, r.getString(2), is("Zoë"));
        }
      }
    }
  }

  @Test
  @Order(7)
  void wrongStatementsFailWithClearSqlExceptions() {
    SQLException unknownColumn =
        assertThrows(SQLException.class, () -> run("SELECT no_such_column FROM range(1)"));
    assertThat(
        unknownColumn.getMessage(),
        allOf(containsString("UNRESOLVED_COLUMN"), containsString("no_such_column")));
    assertThat(sqlState(unknownColumn), is("42703"));

    SQLException syntax = assertThrows(SQLException.class, () -> run("SELEC 1"));
    assertThat(syntax.getMessage(), containsString("PARSE_SYNTAX_ERROR"));
    assertThat(sqlState(syntax), is("42601"));

    SQLException noTable =
        assertThrows(SQLException.class, () -> run("SELECT * FROM " + schema + ".missing"));
    assertThat(noTable.getMessage(), containsString("TABLE_OR_VIEW_NOT_FOUND"));

    // Databricks-only SQL is absent from open-source Spark.
    SQLException copyInto =
        assertThrows(
            SQLException.class,
            () ->
                run(
                    "COPY INTO "
                        + schema
                        + ".customers FROM 's3://"
                        + BUCKET
                        + "/x/' FILEFORMAT = PARQUET"));
    assertThat(copyInto.getMessage(), not(containsString("no error details")));
    System.out.println("COPY INTO on the stand-in: " + copyInto.getMessage());
  }

  @Test
  @Order(8)
  void restartKeepsTablesAndPorts() throws SQLException {
    String table = schema + ".survivor";
    databricks.execute(
        "CREATE SCHEMA IF NOT EXISTS " + schema,
        "CREATE TABLE " + table + " (id INT, name STRING) USING DELTA",
        "INSERT INTO " + table + " VALUES (1, '" + UNICODE.replace("'", "\\'") + "')");
    String url = databricks.jdbcUrl();
    long started;
    try {
      databricks.stop();
      long refused = System.nanoTime();
      SQLException down = assertThrows(SQLException.class, () -> databricks.connect().close());
      System.out.printf(
          Locale.ROOT,
          "connecting to the stopped stand-in failed in %d ms: %s%n",
          (System.nanoTime() - refused) / 1_000_000,
          down.getMessage());
    } finally {
      started = System.nanoTime();
      databricks.start();
    }
    System.out.printf(Locale.ROOT, "restart %d ms%n", (System.nanoTime() - started) / 1_000_000);
    assertThat(databricks.jdbcUrl(), is(url));
    try (Connection c = databricks.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT name FROM " + table)) {
      assertThat(r.next(), is(true));
      assertThat(r.getString(1), is(UNICODE));
    }
    List<String> schemas = new ArrayList<>();
    try (Connection c = databricks.connect();
        ResultSet r = c.getMetaData().getSchemas()) {
      while (r.next()) {
        schemas.add(r.getString("TABLE_SCHEM"));
      }
    }
    assertThat(schemas, hasItem(schema));
  }

  private static void run(String sql) throws SQLException {
    try (Connection c = databricks.connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The SQLSTATE, from the exception or the one it wraps. */
  private static String sqlState(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }
}
