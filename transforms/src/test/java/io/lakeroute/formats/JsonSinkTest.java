package io.lakeroute.formats;

import static io.lakeroute.testing.TrickyRows.assertSameRows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.lakeroute.testing.TrickyRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSinkTest {
  @TempDir Path dir;

  @Test
  void roundTripsTrickyRowsThroughFileIo() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.JSON);

    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    assertThat(file.getFileName().toString(), endsWith(".json"));
    assertSameRows(TrickyRows.rows(), FormatFiles.readJson(file, spec, TrickyRows.schema()));
  }

  @Test
  void gzipsTheWholeFileThroughFileIo() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.JSON).withCodec("gzip");

    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    assertThat(file.getFileName().toString(), endsWith(".json.gz"));
    byte[] bytes = Files.readAllBytes(file);
    assertThat("gzip magic", bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b, equalTo(true));
    assertSameRows(TrickyRows.rows(), FormatFiles.readJson(file, spec, TrickyRows.schema()));
  }

  @Test
  void writesOneObjectPerLineWithEveryColumnNullsIncluded() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.JSON);
    Path file =
        FormatFiles.writeDirect(
            spec, TrickyRows.schema(), TrickyRows.rows(), dir.resolve("t.json"));

    List<String> lines = FormatFiles.jsonLines(file, spec);
    assertThat(lines, hasSize(TrickyRows.ROW_COUNT));
    List<Map<String, Object>> objects = FormatFiles.jsonObjects(file, spec);
    Map<String, Object> allNull = objects.get(objects.size() - 1);
    assertThat(allNull.keySet(), contains(TrickyRows.schema().getFieldNames().toArray()));
    assertThat(allNull.values().stream().allMatch(v -> v == null), equalTo(true));
  }

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", FieldType.INT32)
          .addNullableField("d", FieldType.logicalType(FixedPrecisionNumeric.of(38, 10)))
          .addNullableField("f", FieldType.FLOAT)
          .addNullableField("g", FieldType.DOUBLE)
          .addNullableField("b", FieldType.BYTES)
          .addNullableField("day", FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("t", FieldType.logicalType(SqlTypes.TIME))
          .addNullableField("ts", FieldType.logicalType(SqlTypes.DATETIME))
          .addNullableField("tz", FieldType.logicalType(SqlTypes.TIMESTAMP))
          .addNullableField("s", FieldType.STRING)
          .addNullableField("flag", FieldType.BOOLEAN)
          .addNullableField("small", FieldType.INT16)
          .addNullableField("big", FieldType.INT64)
          .build();

  private static Row row(Object... values) {
    return Row.withSchema(SCHEMA).attachValues(Arrays.asList(values));
  }

  @Test
  void writesTheDocumentedTextOfEveryType() throws Exception {
    List<Row> rows =
        List.of(
            row(
                1,
                new BigDecimal("-1234567890123456789012345678.0123456789"),
                Float.NaN,
                Double.NEGATIVE_INFINITY,
                new byte[] {0, 1, 0x7f, (byte) 0x80, (byte) 0xff},
                LocalDate.of(1, 1, 1),
                LocalTime.of(0, 0, 0, 1_000),
                LocalDateTime.of(1965, 3, 4, 5, 6, 7, 123_456_000),
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                "line\n\"q\"\t\\ 東京 🚀",
                true,
                Short.MIN_VALUE,
                Long.MIN_VALUE),
            row(
                2,
                new BigDecimal("0E-10"),
                0.1f,
                0.1,
                new byte[0],
                LocalDate.of(2024, 2, 29),
                LocalTime.MIDNIGHT,
                LocalDateTime.of(2024, 2, 29, 0, 0),
                Instant.parse("2024-06-30T22:00:00Z"),
                "",
                false,
                (short) 0,
                0L),
            row(null, null, null, null, null, null, null, null, null, null, null, null, null));
    FormatSpec spec = FormatSpec.of(FileFormat.JSON);
    Path file = FormatFiles.writeDirect(spec, SCHEMA, rows, dir.resolve("t.json"));

    assertThat(
        Files.readString(file, StandardCharsets.UTF_8),
        equalTo(
            "{\"id\":1,\"d\":-1234567890123456789012345678.0123456789,\"f\":\"NaN\","
                + "\"g\":\"-Infinity\",\"b\":\"AAF/gP8=\",\"day\":\"0001-01-01\","
                + "\"t\":\"00:00:00.000001\",\"ts\":\"1965-03-04T05:06:07.123456\","
                + "\"tz\":\"1969-12-31T23:59:59.999999Z\","
                // Jackson 2.15 escapes characters beyond the BMP as a surrogate pair: valid JSON
                + "\"s\":\"line\\n\\\"q\\\"\\t\\\\ 東京 \\uD83D\\uDE80\","
                + "\"flag\":true,\"small\":-32768,\"big\":-9223372036854775808}\n"
                // decimals keep their scale, as plain numbers, never in exponent notation
                + "{\"id\":2,\"d\":0.0000000000,\"f\":0.1,\"g\":0.1,\"b\":\"\","
                + "\"day\":\"2024-02-29\",\"t\":\"00:00:00.000000\","
                + "\"ts\":\"2024-02-29T00:00:00.000000\",\"tz\":\"2024-06-30T22:00:00.000000Z\","
                + "\"s\":\"\",\"flag\":false,\"small\":0,\"big\":0}\n"
                + "{\"id\":null,\"d\":null,\"f\":null,\"g\":null,\"b\":null,\"day\":null,"
                + "\"t\":null,\"ts\":null,\"tz\":null,\"s\":null,\"flag\":null,\"small\":null,"
                + "\"big\":null}\n"));
    assertSameRows(rows, FormatFiles.readJson(file, spec, SCHEMA));
  }

  @Test
  void emptyInputIsAnEmptyFile() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.JSON);
    Path file = FormatFiles.writeDirect(spec, SCHEMA, List.of(), dir.resolve("e.json"));

    assertThat(Files.size(file), equalTo(0L));
    assertThat(FormatFiles.readJson(file, spec, SCHEMA), empty());
  }
}
