package io.lakeroute.testing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;

/**
 * The MariaDB tricky rows: table {@value #TABLE} with every MariaDB type lakeroute carries at its
 * edges (unsigned maxima, BIT(64), DATETIME(6), TIMESTAMP written in a session zone of +05:30,
 * dates before 1582, TINYINT(1), YEAR, JSON, ENUM, SET, binary strings, utf8mb4 with emoji, quotes,
 * delimiters and line breaks) and a row of NULLs in every column, from {@code
 * src/test/resources/MariaDbTrickyRows/tricky_rows.sql}; and the exact values they must read as.
 */
public final class MariaDbTrickyRows {
  public static final String TABLE = "tricky";
  public static final int ROW_COUNT = 5;

  private MariaDbTrickyRows() {}

  /** Creates (or recreates) the table on {@code mariadb}. */
  public static void create(LocalMariaDb mariadb) throws IOException {
    mariadb.execute(script("tricky_rows.sql"));
  }

  /** The statements of a script in this class's resources, one per line ending in ';'. */
  private static String[] script(String name) throws IOException {
    try (InputStream in =
        MariaDbTrickyRows.class.getResourceAsStream("/MariaDbTrickyRows/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      StringBuilder noComments = new StringBuilder();
      for (String line : text.split("\n")) {
        if (!line.startsWith("--")) {
          noComments.append(line).append('\n');
        }
      }
      return Arrays.stream(noComments.toString().split(";\n"))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toArray(String[]::new);
    }
  }

  private static FieldType decimal(int precision, int scale) {
    return FieldType.logicalType(FixedPrecisionNumeric.of(precision, scale));
  }

  /** The Beam type each column of the table maps to. */
  public static final Map<String, FieldType> TYPES = new LinkedHashMap<>();

  static {
    TYPES.put("id", FieldType.INT32);
    TYPES.put("c_tinyint", FieldType.INT16);
    TYPES.put("c_tinyint_u", FieldType.INT16);
    TYPES.put("c_smallint_u", FieldType.INT32);
    TYPES.put("c_mediumint_u", FieldType.INT64);
    TYPES.put("c_int_u", FieldType.INT64);
    TYPES.put("c_bigint", FieldType.INT64);
    TYPES.put("c_bigint_u", decimal(20, 0));
    TYPES.put("c_float", FieldType.FLOAT);
    TYPES.put("c_double", FieldType.DOUBLE);
    TYPES.put("c_dec", decimal(38, 10));
    TYPES.put("c_bool", FieldType.BOOLEAN);
    TYPES.put("c_bit1", FieldType.BOOLEAN);
    TYPES.put("c_bit12", FieldType.INT64);
    TYPES.put("c_bit64", decimal(20, 0));
    TYPES.put("c_date", FieldType.logicalType(SqlTypes.DATE));
    TYPES.put("c_datetime", FieldType.logicalType(SqlTypes.DATETIME));
    TYPES.put("c_timestamp", FieldType.logicalType(SqlTypes.TIMESTAMP));
    TYPES.put("c_time", FieldType.logicalType(SqlTypes.TIME));
    TYPES.put("c_year", FieldType.INT16);
    for (String text : List.of("c_char", "c_varchar", "c_text", "c_json", "c_enum", "c_set")) {
      TYPES.put(text, FieldType.STRING);
    }
    for (String binary : List.of("c_binary", "c_varbinary", "c_blob")) {
      TYPES.put(binary, FieldType.BYTES);
    }
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  /** The rows of the table, as exact Java values of {@code schema} (the one derived from it). */
  public static List<Row> rows(Schema schema) {
    List<Row> rows = new ArrayList<>();
    rows.add(
        Row.withSchema(schema)
            .attachValues(
                Arrays.asList(
                    1,
                    (short) -128,
                    (short) 0,
                    0,
                    0L,
                    0L,
                    Long.MIN_VALUE,
                    new BigDecimal("0"),
                    -1.5f,
                    -0.5,
                    new BigDecimal("-9999999999999999999999999999.9999999999"),
                    false,
                    false,
                    0L,
                    new BigDecimal("0"),
                    LocalDate.of(1200, 3, 1),
                    LocalDateTime.parse("1500-02-28T23:59:59.999999"),
                    Instant.parse("1970-01-01T00:00:01.000001Z"),
                    LocalTime.MIDNIGHT,
                    (short) 1901,
                    "",
                    "",
                    "",
                    "[]",
                    "small",
                    "",
                    hex("00000000"),
                    hex(""),
                    hex(""))));
    rows.add(
        Row.withSchema(schema)
            .attachValues(
                Arrays.asList(
                    2,
                    (short) 127,
                    (short) 255,
                    65535,
                    16777215L,
                    4294967295L,
                    Long.MAX_VALUE,
                    new BigDecimal("18446744073709551615"),
                    16777216f,
                    Double.MAX_VALUE,
                    new BigDecimal("9999999999999999999999999999.9999999999"),
                    true,
                    true,
                    4095L,
                    new BigDecimal("18446744073709551615"),
                    LocalDate.of(9999, 12, 31),
                    LocalDateTime.parse("9999-12-31T23:59:59.999999"),
                    Instant.parse("2038-01-19T03:14:07.999999Z"),
                    LocalTime.parse("23:59:59.999999"),
                    (short) 2155,
                    "Zoë",
                    "emoji 😀🎉 and ümlauts",
                    "a,b;c\td",
                    "{\"k\": \"v \\\"q\\\" 😀\", \"n\": [1, 2.5]}",
                    "large",
                    "red,blue",
                    hex("00ff00ff"),
                    hex("deadbeef00"),
                    hex("000102feff"))));
    rows.add(
        Row.withSchema(schema)
            .attachValues(
                Arrays.asList(
                    3,
                    (short) 0,
                    (short) 1,
                    1,
                    1L,
                    1L,
                    1L,
                    new BigDecimal("9223372036854775808"),
                    0.25f,
                    1e-300,
                    new BigDecimal("0.0000000001"),
                    false,
                    false,
                    2049L,
                    new BigDecimal("9223372036854775808"),
                    LocalDate.of(1582, 10, 10),
                    LocalDateTime.parse("2024-02-29T12:00:00"),
                    Instant.parse("2024-06-01T12:00:00.500Z"),
                    LocalTime.parse("12:34:56.5"),
                    (short) 2024,
                    "a\"b",
                    "quote ' and \"double\" and \\ backslash",
                    "line one\nline two\r\nthree",
                    "\"just text\"",
                    "small",
                    "green",
                    hex("61620000"),
                    hex("0a0d"),
                    hex("22"))));
    Object[] nulls = new Object[schema.getFieldCount()];
    nulls[0] = 4;
    rows.add(Row.withSchema(schema).attachValues(Arrays.asList(nulls)));
    rows.add(Row.withSchema(schema).attachValues(Arrays.asList(new Object[nulls.length])));
    return rows;
  }
}
