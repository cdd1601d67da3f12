package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.formats.ValueText;
import io.lakeroute.query.SqlTypeMapping;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;

/**
 * Rows that break naive writers and readers: quotes, delimiters and line breaks inside text,
 * backslashes, non-BMP unicode, empty text next to NULL, a row of NULLs, 38-digit decimals, integer
 * extremes, NaN and infinities, dates and timestamps (with and without zone) before 1970, before
 * 1900, before the 1582 calendar switch and in year 1, and microsecond fractions.
 *
 * <p>The same rows exist as a PostgreSQL 15 table ({@link #postgresDdl}, {@link #postgresInserts}),
 * and {@link #schema()} is what {@code SqlTypeMapping.schemaOf} derives for {@code SELECT *} from
 * that table through pgjdbc; so tests against a real database compare to {@link #rows()} directly.
 * Every row has a distinct {@code id} except the all-NULL row, whose {@code id} is NULL: files do
 * not keep row order, so compare with {@link #assertSameRows}, which sorts by {@code id}.
 */
public final class TrickyRows {
  private TrickyRows() {}

  /** A column: name, PostgreSQL DDL type, pgjdbc type name and Beam type. */
  private record Column(String name, String ddl, String pgType, FieldType type) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("id", "integer", "int4", FieldType.INT32),
          new Column(
              "c_dec38",
              "numeric(38,10)",
              "numeric",
              FieldType.logicalType(FixedPrecisionNumeric.of(38, 10))),
          new Column(
              "c_dec5",
              "numeric(5,2)",
              "numeric",
              FieldType.logicalType(FixedPrecisionNumeric.of(5, 2))),
          new Column("c_int2", "smallint", "int2", FieldType.INT16),
          new Column("c_int4", "integer", "int4", FieldType.INT32),
          new Column("c_int8", "bigint", "int8", FieldType.INT64),
          new Column("c_float4", "real", "float4", FieldType.FLOAT),
          new Column("c_float8", "double precision", "float8", FieldType.DOUBLE),
          new Column("c_bool", "boolean", "bool", FieldType.BOOLEAN),
          new Column("c_text", "text", "text", FieldType.STRING),
          new Column("c_varchar", "varchar(50)", "varchar", FieldType.STRING),
          new Column("c_char", "char(3)", "bpchar", FieldType.STRING),
          new Column("c_bytea", "bytea", "bytea", FieldType.BYTES),
          new Column("c_date", "date", "date", FieldType.logicalType(SqlTypes.DATE)),
          new Column("c_time", "time", "time", FieldType.logicalType(SqlTypes.TIME)),
          new Column(
              "c_timestamp", "timestamp", "timestamp", FieldType.logicalType(SqlTypes.DATETIME)),
          new Column(
              "c_timestamptz",
              "timestamptz",
              "timestamptz",
              FieldType.logicalType(SqlTypes.TIMESTAMP)),
          new Column("c_uuid", "uuid", "uuid", FieldType.STRING),
          new Column("c_jsonb", "jsonb", "jsonb", FieldType.STRING));

  /** Number of rows in {@link #rows()}. */
  public static final int ROW_COUNT = 9;

  /** The schema of the rows: all fields nullable, described by their pgjdbc type name. */
  public static Schema schema() {
    Schema.Builder builder = Schema.builder();
    for (Column column : COLUMNS) {
      builder.addField(
          Schema.Field.nullable(column.name, column.type).withDescription(column.pgType));
    }
    return builder.build();
  }

  /** The PostgreSQL type each column is declared with, e.g. {@code numeric(38,10)}. */
  public static String postgresType(String column) {
    return COLUMNS.stream().filter(c -> c.name.equals(column)).findFirst().orElseThrow().ddl;
  }

  /** The pgjdbc type name of each column, in order, e.g. {@code int4}. */
  public static List<String> pgjdbcTypeNames() {
    return COLUMNS.stream().map(Column::pgType).toList();
  }

  /** The rows, in {@code id} order, the all-NULL row last. */
  public static List<Row> rows() {
    Schema schema = schema();
    List<Row> rows = new ArrayList<>();
    rows.add(
        row(
            schema,
            1,
            new BigDecimal("1234567890123456789012345678.0123456789"),
            new BigDecimal("999.99"),
            Short.MAX_VALUE,
            Integer.MAX_VALUE,
            Long.MAX_VALUE,
            Float.MAX_VALUE,
            Double.MAX_VALUE,
            true,
            "plain text",
            "Zoë Ångström",
            "abc",
            new byte[] {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff},
            LocalDate.of(2024, 2, 29),
            LocalTime.of(23, 59, 59, 999_999_000),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
            Instant.parse("2024-06-30T22:00:00.500Z"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "{\"a\": 1, \"b\": [true, null, \"x\"]}"));
    rows.add(
        row(
            schema,
            2,
            new BigDecimal("-1234567890123456789012345678.0123456789"),
            new BigDecimal("-999.99"),
            Short.MIN_VALUE,
            Integer.MIN_VALUE,
            Long.MIN_VALUE,
            -1.5f,
            -Math.PI,
            false,
            "He said \"hi\", then; left",
            "東京 🚀",
            ",;\"",
            new byte[] {'\n', '\r', ',', '"', '\\', 0},
            LocalDate.of(1969, 12, 31),
            LocalTime.MIDNIGHT,
            LocalDateTime.of(1965, 3, 4, 5, 6, 7, 123_456_000),
            Instant.parse("1965-03-04T05:06:07.123456Z"),
            "00000000-0000-0000-0000-000000000000",
            "{\"city\": \"東京\", \"quote\": \"say \\\"hi\\\"\"}"));
    rows.add(
        row(
            schema,
            3,
            new BigDecimal("0E-10"),
            new BigDecimal("0.00"),
            (short) 0,
            0,
            0L,
            Float.NaN,
            Double.NaN,
            true,
            "line1\nline2\r\nline3\rend",
            "",
            "ab ",
            new byte[0],
            LocalDate.of(1900, 1, 1),
            LocalTime.of(12, 34, 56, 789_012_000),
            LocalDateTime.of(1970, 1, 1, 0, 0),
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "[]"));
    rows.add(
        row(
            schema,
            4,
            new BigDecimal("0.0000000001"),
            new BigDecimal("0.01"),
            (short) -1,
            -1,
            -1L,
            Float.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            false,
            "C:\\temp\\new\ttab\\",
            "\\N",
            "é  ",
            "\\N".getBytes(StandardCharsets.UTF_8),
            LocalDate.of(1, 1, 1),
            LocalTime.of(0, 0, 0, 1_000),
            LocalDateTime.of(1, 1, 1, 0, 0),
            Instant.parse("1970-01-01T00:00:00.000001Z"),
            null,
            "\"just a string\""));
    rows.add(
        row(
            schema,
            5,
            new BigDecimal("-0.0000000001"),
            new BigDecimal("1.50"),
            (short) 1,
            1,
            1L,
            0.1f,
            0.1,
            null,
            "",
            "NULL",
            "it'",
            null,
            LocalDate.of(2038, 1, 19),
            null,
            LocalDateTime.of(2038, 1, 19, 3, 14, 8, 1_000),
            null,
            "123e4567-e89b-12d3-a456-426614174000",
            "{}"));
    rows.add(
        row(
            schema,
            6,
            new BigDecimal("9999999999999999999999999999.9999999999"),
            new BigDecimal("-0.01"),
            (short) 255,
            65536,
            4294967296L,
            Float.MIN_NORMAL,
            Double.MIN_NORMAL,
            true,
            "\"",
            "  padded\ttab  ",
            "x  ",
            new byte[] {'\\'},
            LocalDate.of(1582, 10, 10),
            LocalTime.of(8, 0, 0, 500_000_000),
            LocalDateTime.of(1582, 10, 10, 12, 0),
            Instant.parse("2038-01-19T03:14:08Z"),
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "{\"a\": {\"b\": null}}"));
    // Dates and timestamps of both kinds before 1900, before the 1582 calendar switch and in year
    // 1:
    // Spark refuses to write them to Parquet unless told the values are proleptic Gregorian, and a
    // client that converts through java.sql types shifts them by the Julian calendar.
    rows.add(
        row(
            schema,
            7,
            new BigDecimal("123.4500000000"),
            new BigDecimal("12.34"),
            (short) 7,
            7,
            7L,
            7.5f,
            7.25,
            true,
            "the last second of 1899",
            "old dates",
            "old",
            new byte[] {7},
            LocalDate.of(1899, 12, 31),
            LocalTime.of(23, 59, 59, 999_999_000),
            LocalDateTime.of(1899, 12, 31, 23, 59, 59, 999_999_000),
            Instant.parse("1899-12-31T23:59:59.999999Z"),
            "00000000-0000-0000-0000-000000000007",
            "{\"year\": 1899}"));
    rows.add(
        row(
            schema,
            8,
            new BigDecimal("-0.5000000000"),
            new BigDecimal("-1.00"),
            (short) 8,
            8,
            8L,
            -0.5f,
            -0.25,
            false,
            "Julian times",
            "year 1000 and year 1",
            "jul",
            new byte[] {8, 0},
            LocalDate.of(1000, 3, 1),
            LocalTime.of(12, 0),
            LocalDateTime.of(1000, 3, 1, 12, 0, 0, 1_000),
            Instant.parse("0001-01-01T00:00:00Z"),
            "00000000-0000-0000-0000-000000000008",
            "{\"year\": 1}"));
    rows.add(row(schema, new Object[COLUMNS.size()]));
    return rows;
  }

  private static Row row(Schema schema, Object... values) {
    return Row.withSchema(schema).attachValues(Arrays.asList(values));
  }

  /** {@code CREATE TABLE} for the rows, in PostgreSQL 15. */
  public static String postgresDdl(String table) {
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table).append(" (");
    for (int i = 0; i < COLUMNS.size(); i++) {
      ddl.append(i == 0 ? "" : ", ").append(COLUMNS.get(i).name).append(' ');
      ddl.append(COLUMNS.get(i).ddl);
    }
    return ddl.append(')').toString();
  }

  /**
   * One {@code INSERT} per row. Text is written as {@code E''} literals so that every statement is
   * one line whatever the value holds, and floats go through their text form (PostgreSQL reads
   * {@code 'NaN'} and {@code 'Infinity'} only that way).
   */
  public static List<String> postgresInserts(String table) {
    StringBuilder columns = new StringBuilder();
    for (Column column : COLUMNS) {
      columns.append(columns.length() == 0 ? "" : ", ").append(column.name);
    }
    List<String> inserts = new ArrayList<>();
    for (Row row : rows()) {
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(table);
      sql.append(" (").append(columns).append(") VALUES (");
      for (int i = 0; i < COLUMNS.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(sqlLiteral(COLUMNS.get(i), row.getValue(i)));
      }
      inserts.add(sql.append(')').toString());
    }
    return inserts;
  }

  private static String sqlLiteral(Column column, Object value) {
    if (value == null) {
      return "NULL";
    }
    switch (SqlTypeMapping.kindOf(column.type)) {
      case INT16:
      case INT32:
      case INT64:
        return value.toString();
      case DECIMAL:
        return ((BigDecimal) value).toPlainString();
      case FLOAT:
      case DOUBLE:
        return "CAST('" + value + "' AS " + column.ddl + ")";
      case BOOLEAN:
        return ((Boolean) value) ? "TRUE" : "FALSE";
      case STRING:
        return "CAST(" + escapedString((String) value) + " AS " + column.ddl + ")";
      case BYTES:
        return "decode('" + HexFormat.of().formatHex((byte[]) value) + "', 'hex')";
      case DATE:
        return "DATE '" + SQL_DATE.format((LocalDate) value) + "'";
      case TIME:
        return "TIME '" + SQL_TIME.format((LocalTime) value) + "'";
      case TIMESTAMP:
        return "TIMESTAMP '" + SQL_TIMESTAMP.format((LocalDateTime) value) + "'";
      case TIMESTAMP_TZ:
        return "TIMESTAMPTZ '"
            + SQL_TIMESTAMP.format(((Instant) value).atOffset(ZoneOffset.UTC))
            + "+00'";
    }
    throw new IllegalStateException("unreachable");
  }

  private static final DateTimeFormatter SQL_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
  private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private static String escapedString(String value) {
    StringBuilder literal = new StringBuilder("E'");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\':
          literal.append("\\\\");
          break;
        case '\'':
          literal.append("\\'");
          break;
        case '\n':
          literal.append("\\n");
          break;
        case '\r':
          literal.append("\\r");
          break;
        case '\t':
          literal.append("\\t");
          break;
        default:
          literal.append(c);
      }
    }
    return literal.append('\'').toString();
  }

  /** What a JDBC driver reports for one column. */
  public record ColumnMetadata(
      String label, int jdbcType, String typeName, int precision, int scale, boolean signed) {}

  /** A {@link ResultSetMetaData} reporting exactly {@code columns}, for drivers not at hand. */
  public static ResultSetMetaData metadata(List<ColumnMetadata> columns) {
    return (ResultSetMetaData)
        Proxy.newProxyInstance(
            TrickyRows.class.getClassLoader(),
            new Class<?>[] {ResultSetMetaData.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getColumnCount")) {
                return columns.size();
              }
              ColumnMetadata column = columns.get((Integer) args[0] - 1);
              switch (method.getName()) {
                case "getColumnLabel":
                case "getColumnName":
                  return column.label;
                case "getColumnType":
                  return column.jdbcType;
                case "getColumnTypeName":
                  return column.typeName;
                case "getPrecision":
                  return column.precision;
                case "getScale":
                  return column.scale;
                case "isSigned":
                  return column.signed;
                case "isNullable":
                  return ResultSetMetaData.columnNullable;
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  /**
   * What pgjdbc 42.7 reports for {@code SELECT *} from the {@link #postgresDdl} table: so that
   * {@code SqlTypeMapping.schemaOf(pgjdbcMetadata())} can be checked against {@link #schema()}
   * without a server.
   */
  public static ResultSetMetaData pgjdbcMetadata() {
    int unknownLength = Integer.MAX_VALUE;
    return metadata(
        List.of(
            new ColumnMetadata("id", Types.INTEGER, "int4", 10, 0, true),
            new ColumnMetadata("c_dec38", Types.NUMERIC, "numeric", 38, 10, true),
            new ColumnMetadata("c_dec5", Types.NUMERIC, "numeric", 5, 2, true),
            new ColumnMetadata("c_int2", Types.SMALLINT, "int2", 5, 0, true),
            new ColumnMetadata("c_int4", Types.INTEGER, "int4", 10, 0, true),
            new ColumnMetadata("c_int8", Types.BIGINT, "int8", 19, 0, true),
            new ColumnMetadata("c_float4", Types.REAL, "float4", 8, 8, true),
            new ColumnMetadata("c_float8", Types.DOUBLE, "float8", 17, 17, true),
            new ColumnMetadata("c_bool", Types.BIT, "bool", 1, 0, false),
            new ColumnMetadata("c_text", Types.VARCHAR, "text", unknownLength, 0, false),
            new ColumnMetadata("c_varchar", Types.VARCHAR, "varchar", 50, 0, false),
            new ColumnMetadata("c_char", Types.CHAR, "bpchar", 3, 0, false),
            new ColumnMetadata("c_bytea", Types.BINARY, "bytea", unknownLength, 0, false),
            new ColumnMetadata("c_date", Types.DATE, "date", 13, 0, false),
            new ColumnMetadata("c_time", Types.TIME, "time", 15, 6, false),
            new ColumnMetadata("c_timestamp", Types.TIMESTAMP, "timestamp", 29, 6, false),
            new ColumnMetadata("c_timestamptz", Types.TIMESTAMP, "timestamptz", 35, 6, false),
            new ColumnMetadata("c_uuid", Types.OTHER, "uuid", unknownLength, 0, false),
            new ColumnMetadata("c_jsonb", Types.OTHER, "jsonb", unknownLength, 0, false)));
  }

  /**
   * Decodes the text CSV and JSON hold for a value, using only the patterns {@link ValueText}
   * documents, and fails unless the text has exactly that shape (e.g. six fractional digits).
   */
  public static Object fromText(FieldType type, String text) {
    switch (SqlTypeMapping.kindOf(type)) {
      case INT16:
        return Short.valueOf(text);
      case INT32:
        return Integer.valueOf(text);
      case INT64:
        return Long.valueOf(text);
      case FLOAT:
        return Float.valueOf(text);
      case DOUBLE:
        return Double.valueOf(text);
      case DECIMAL:
        BigDecimal decimal = new BigDecimal(text);
        assertThat("scale of " + text, decimal.scale(), equalTo(SqlTypeMapping.scale(type)));
        return decimal;
      case BOOLEAN:
        if (!text.equals("true") && !text.equals("false")) {
          throw new AssertionError("not a boolean: " + text);
        }
        return Boolean.valueOf(text);
      case STRING:
        return text;
      case BYTES:
        return Base64.getDecoder().decode(text);
      case DATE:
        return exactly(ValueText.DATE_PATTERN, text, LocalDate::from);
      case TIME:
        return exactly(ValueText.TIME_PATTERN, text, LocalTime::from);
      case TIMESTAMP:
        return exactly(ValueText.TIMESTAMP_PATTERN, text, LocalDateTime::from);
      case TIMESTAMP_TZ:
        OffsetDateTime utc = exactly(ValueText.TIMESTAMP_TZ_PATTERN, text, OffsetDateTime::from);
        assertThat("offset of " + text, utc.getOffset(), equalTo(ZoneOffset.UTC));
        return utc.toInstant();
    }
    throw new IllegalStateException("unreachable");
  }

  private static <T extends java.time.temporal.TemporalAccessor> T exactly(
      String pattern, String text, TemporalQuery<T> query) {
    DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    T value = formatter.parse(text, query);
    assertThat("'" + text + "' in the shape of " + pattern, formatter.format(value), equalTo(text));
    return value;
  }

  /** Orders rows by {@code id}, the row with a NULL {@code id} last. */
  public static List<Row> sortedById(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparing(
            (Row r) -> (Integer) r.getValue(idIndex(r.getSchema())),
            Comparator.nullsLast(Comparator.naturalOrder())));
    return sorted;
  }

  /** The INT32 field named {@code id} in any case: databases upper-case unquoted names. */
  private static int idIndex(Schema schema) {
    for (int i = 0; i < schema.getFieldCount(); i++) {
      if (schema.getField(i).getName().equalsIgnoreCase("id")) {
        return i;
      }
    }
    throw new IllegalArgumentException("no field named id in " + schema);
  }

  /**
   * Asserts that {@code actual} holds the same rows as {@code expected} in any order (both need an
   * INT32 field {@code id}), comparing each value with its Java class (Short is not Integer),
   * decimals with their scale, bytes by content and floats bit for bit (so NaN equals NaN), and
   * naming the row and column that differ.
   */
  public static void assertSameRows(List<Row> expected, List<Row> actual) {
    assertThat("row count", actual.size(), equalTo(expected.size()));
    List<Row> want = sortedById(expected);
    List<Row> got = sortedById(actual);
    for (int r = 0; r < want.size(); r++) {
      Row w = want.get(r);
      Row g = got.get(r);
      assertThat(
          "fields of row id=" + w.getValue(idIndex(w.getSchema())),
          g.getFieldCount(),
          equalTo(w.getFieldCount()));
      for (int f = 0; f < w.getFieldCount(); f++) {
        assertThat(
            "row id="
                + w.getValue(idIndex(w.getSchema()))
                + ", column "
                + w.getSchema().getField(f).getName(),
            shown(g.getValue(f)),
            equalTo(shown(w.getValue(f))));
      }
    }
  }

  /** A value as its class and exact text, so that equal texts mean equal values. */
  private static String shown(Object value) {
    if (value == null) {
      return "NULL";
    }
    String text;
    if (value instanceof byte[]) {
      text = HexFormat.of().formatHex((byte[]) value);
    } else if (value instanceof Float) {
      text = Integer.toHexString(Float.floatToIntBits((Float) value)) + " " + value;
    } else if (value instanceof Double) {
      text = Long.toHexString(Double.doubleToLongBits((Double) value)) + " " + value;
    } else {
      text = value.toString();
    }
    return value.getClass().getSimpleName() + ": " + text;
  }
}
