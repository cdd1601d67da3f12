package io.lakeroute.formats;

import static io.lakeroute.testing.TrickyRows.assertSameRows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.testing.TrickyRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CsvSinkTest {
  @TempDir Path dir;

  // ---------------------------------------------------------------- through FileIO

  @Test
  void roundTripsTrickyRowsThroughFileIo() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.CSV);

    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    assertThat(file.getFileName().toString(), endsWith(".csv"));
    assertSameRows(TrickyRows.rows(), FormatFiles.readCsv(file, spec, TrickyRows.schema()));
  }

  @Test
  void gzipsTheWholeFileThroughFileIo() throws Exception {
    FormatSpec spec =
        FormatSpec.of(FileFormat.CSV)
            .withCodec("gzip")
            .withCsv(CsvOptions.defaults().withDelimiter(";").withLineEnding("CRLF"));
    assertThat(spec.fileCompression(), equalTo(Compression.GZIP));

    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    assertThat(file.getFileName().toString(), endsWith(".csv.gz"));
    byte[] bytes = Files.readAllBytes(file);
    assertThat("gzip magic", bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b, equalTo(true));
    assertSameRows(TrickyRows.rows(), FormatFiles.readCsv(file, spec, TrickyRows.schema()));
  }

  // ---------------------------------------------------------------- the dialect matrix

  static List<CsvOptions> dialects() {
    List<CsvOptions> dialects = new ArrayList<>();
    for (boolean header : new boolean[] {true, false}) {
      for (String delimiter : List.of(",", ";", "\t")) {
        for (String escape : Arrays.asList(null, "\\")) {
          for (String quoteMode : List.of("all", "minimal", "none")) {
            for (String nullString : List.of("", "\\N")) {
              for (String lineEnding : List.of("LF", "CRLF")) {
                if (quoteMode.equals("none") && (escape == null || nullString.isEmpty())) {
                  continue; // invalid: see quoteModeNone… tests
                }
                dialects.add(
                    CsvOptions.defaults()
                        .withHeader(header)
                        .withDelimiter(delimiter)
                        .withEscape(escape)
                        .withNullString(nullString)
                        .withQuoteMode(quoteMode)
                        .withLineEnding(lineEnding));
              }
            }
          }
        }
      }
    }
    dialects.add(CsvOptions.defaults().withQuote("'"));
    dialects.add(CsvOptions.defaults().withQuote("'").withEscape("\\").withQuoteMode("all"));
    dialects.add(CsvOptions.defaults().withDelimiter("|").withNullString("NULL"));
    return dialects;
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void roundTripsTrickyRowsInEveryDialect(CsvOptions csv) throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.CSV).withCsv(csv);
    Path file =
        FormatFiles.writeDirect(spec, TrickyRows.schema(), TrickyRows.rows(), dir.resolve("t.csv"));

    assertSameRows(
        expectedAsCommonsCsvReads(csv), FormatFiles.readCsv(file, spec, TrickyRows.schema()));
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat("ends with the line ending", text, endsWith(csv.lineEnding()));
    if (csv.lineEnding().equals("\n")) {
      assertThat(
          "no CR but those in values", text.replace("\r", "").length(), equalTo(text.length() - 2));
    }
  }

  /**
   * commons-csv compares a value with the NULL text after unescaping it, so with quote mode none
   * the text {@code \N} (written {@code \\N}) reads as NULL; the file itself tells them apart, see
   * {@link #quoteModeNoneEscapesTextThatLooksLikeTheNullText}.
   */
  private static List<Row> expectedAsCommonsCsvReads(CsvOptions csv) {
    if (csv.quoteMode() != CsvOptions.QuoteMode.NONE) {
      return TrickyRows.rows();
    }
    List<Row> rows = new ArrayList<>();
    for (Row row : TrickyRows.rows()) {
      List<Object> values = new ArrayList<>(row.getValues());
      values.replaceAll(v -> csv.nullString().equals(v) ? null : v);
      rows.add(Row.withSchema(row.getSchema()).attachValues(values));
    }
    return rows;
  }

  // ---------------------------------------------------------------- exact text

  private static final Schema SMALL =
      Schema.builder()
          .addNullableField("id", FieldType.INT32)
          .addNullableField("txt", FieldType.STRING)
          .addNullableField("dec", FieldType.logicalType(FixedPrecisionNumeric.of(5, 2)))
          .addNullableField("day", FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("flag", FieldType.BOOLEAN)
          .addNullableField("bin", FieldType.BYTES)
          .build();

  private static Row small(Object... values) {
    return Row.withSchema(SMALL).attachValues(Arrays.asList(values));
  }

  private static final List<Row> SMALL_ROWS =
      List.of(
          small(
              1,
              "plain",
              new BigDecimal("1.50"),
              LocalDate.of(1969, 12, 31),
              true,
              new byte[] {1, 2}),
          small(2, "a,b;c", null, null, null, null),
          small(3, "", new BigDecimal("-0.01"), LocalDate.of(1, 1, 1), false, new byte[0]),
          small(4, "say \"hi\"", null, null, null, null),
          small(5, "x\ny\r\nz", null, null, null, null),
          small(6, "C:\\dir\\", null, null, null, null),
          small(7, "\\N", null, null, null, null),
          small(8, "tab\there", null, null, null, null),
          small(null, null, null, null, null, null));

  @Test
  void defaultsAreRfc4180WithMinimalQuotingAndEmptyNull() throws Exception {
    assertThat(
        FormatFiles.csvText(CsvOptions.defaults(), SMALL, SMALL_ROWS),
        equalTo(
            "id,txt,dec,day,flag,bin\n"
                + "1,plain,1.50,1969-12-31,true,AQI=\n"
                + "2,\"a,b;c\",,,,\n"
                // empty text is quoted so that it does not read as NULL; so are empty bytes
                + "3,\"\",-0.01,0001-01-01,false,\"\"\n"
                + "4,\"say \"\"hi\"\"\",,,,\n"
                + "5,\"x\ny\r\nz\",,,,\n"
                + "6,C:\\dir\\,,,,\n"
                + "7,\\N,,,,\n"
                + "8,tab\there,,,,\n"
                + ",,,,,\n"));
  }

  @Test
  void quoteModeAllQuotesEveryNonNullValueAndTheHeader() throws Exception {
    String text =
        FormatFiles.csvText(
            CsvOptions.defaults().withQuoteMode("all"), SMALL, SMALL_ROWS.subList(0, 3));
    assertThat(
        text,
        equalTo(
            "\"id\",\"txt\",\"dec\",\"day\",\"flag\",\"bin\"\n"
                + "\"1\",\"plain\",\"1.50\",\"1969-12-31\",\"true\",\"AQI=\"\n"
                + "\"2\",\"a,b;c\",,,,\n"
                + "\"3\",\"\",\"-0.01\",\"0001-01-01\",\"false\",\"\"\n"));
  }

  @Test
  void quoteModeNoneEscapesDelimitersQuotesLineBreaksAndTheEscape() throws Exception {
    CsvOptions csv =
        CsvOptions.defaults()
            .withDelimiter(";")
            .withEscape("\\")
            .withQuoteMode("none")
            .withNullString("\\N");
    assertThat(
        FormatFiles.csvText(csv, SMALL, SMALL_ROWS),
        equalTo(
            "id;txt;dec;day;flag;bin\n"
                + "1;plain;1.50;1969-12-31;true;AQI=\n"
                + "2;a,b\\;c;\\N;\\N;\\N;\\N\n"
                + "3;;-0.01;0001-01-01;false;\n"
                + "4;say \\\"hi\\\";\\N;\\N;\\N;\\N\n"
                + "5;x\\\ny\\\r\\\nz;\\N;\\N;\\N;\\N\n"
                + "6;C:\\\\dir\\\\;\\N;\\N;\\N;\\N\n"
                + "7;\\\\N;\\N;\\N;\\N;\\N\n"
                + "8;tab\there;\\N;\\N;\\N;\\N\n"
                + "\\N;\\N;\\N;\\N;\\N;\\N\n"));
  }

  @Test
  void quoteModeNoneEscapesTextThatLooksLikeTheNullText() throws Exception {
    CsvOptions csv =
        CsvOptions.defaults().withEscape("\\").withQuoteMode("none").withNullString("\\N");
    String text = FormatFiles.csvText(csv, SMALL, List.of(small(7, "\\N", null, null, null, null)));

    // PostgreSQL COPY reads \\N as the text \N and \N as NULL.
    assertThat(text, equalTo("id,txt,dec,day,flag,bin\n7,\\\\N,\\N,\\N,\\N,\\N\n"));
  }

  @Test
  void minimalQuotingWithAnEscapeEscapesQuotesAndQuotesValuesHoldingTheEscape() throws Exception {
    CsvOptions csv = CsvOptions.defaults().withEscape("\\").withHeader(false);
    assertThat(
        FormatFiles.csvText(csv, SMALL, List.of(SMALL_ROWS.get(3), SMALL_ROWS.get(5))),
        equalTo("4,\"say \\\"hi\\\"\",,,,\n" + "6,\"C:\\\\dir\\\\\",,,,\n"));
  }

  @Test
  void minimalQuotingQuotesTextEqualToTheNullText() throws Exception {
    CsvOptions csv = CsvOptions.defaults().withNullString("\\N").withHeader(false);
    assertThat(
        FormatFiles.csvText(csv, SMALL, List.of(SMALL_ROWS.get(2), SMALL_ROWS.get(6))),
        equalTo("3,\"\",-0.01,0001-01-01,false,\"\"\n" + "7,\"\\N\",\\N,\\N,\\N,\\N\n"));
  }

  @Test
  void crlfEndsEveryRecordButLeavesLineBreaksInsideValues() throws Exception {
    CsvOptions csv = CsvOptions.defaults().withLineEnding("CRLF");
    assertThat(
        FormatFiles.csvText(csv, SMALL, List.of(SMALL_ROWS.get(0), SMALL_ROWS.get(4))),
        equalTo(
            "id,txt,dec,day,flag,bin\r\n"
                + "1,plain,1.50,1969-12-31,true,AQI=\r\n"
                + "5,\"x\ny\r\nz\",,,,\r\n"));
  }

  @Test
  void tabDelimiterQuotesValuesHoldingATab() throws Exception {
    CsvOptions csv = CsvOptions.defaults().withDelimiter("\t").withHeader(false);
    assertThat(
        FormatFiles.csvText(csv, SMALL, List.of(SMALL_ROWS.get(1), SMALL_ROWS.get(7))),
        equalTo("2\ta,b;c\t\t\t\t\n" + "8\t\"tab\there\"\t\t\t\t\n"));
  }

  @Test
  void singleQuoteAsQuoteCharacter() throws Exception {
    CsvOptions csv = CsvOptions.defaults().withQuote("'").withHeader(false);
    Row row = small(9, "it's \"fine\"", null, null, null, null);
    assertThat(FormatFiles.csvText(csv, SMALL, List.of(row)), equalTo("9,'it''s \"fine\"',,,,\n"));
  }

  @Test
  void headerNamesAreQuotedLikeValues() throws Exception {
    Schema schema =
        Schema.builder()
            .addNullableField("a,b", FieldType.STRING)
            .addNullableField("say \"x\"", FieldType.STRING)
            .build();
    assertThat(
        FormatFiles.csvText(CsvOptions.defaults(), schema, List.of()),
        equalTo("\"a,b\",\"say \"\"x\"\"\"\n"));
  }

  @Test
  void writesUtf8WithoutByteOrderMark() throws Exception {
    Path file =
        FormatFiles.writeDirect(
            FormatSpec.of(FileFormat.CSV).withCsv(CsvOptions.defaults().withHeader(false)),
            SMALL,
            List.of(small(1, "東京 🚀 Zoë", null, null, null, null)),
            dir.resolve("u.csv"));
    assertThat(
        Arrays.equals(
            Files.readAllBytes(file), "1,東京 🚀 Zoë,,,,\n".getBytes(StandardCharsets.UTF_8)),
        equalTo(true));
  }

  // ---------------------------------------------------------------- invalid dialects

  @Test
  void quoteModeNoneRefusesANullTextThatAValueCanSpell() {
    // Unquoted, "" and NULL (or "NULL" and NULL) would be the same bytes: a silent loss.
    for (String nullString : List.of("", "NULL", "\\\\", "\\")) {
      CsvOptions csv =
          CsvOptions.defaults().withEscape("\\").withQuoteMode("none").withNullString(nullString);
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> FormatSpec.of(FileFormat.CSV).withCsv(csv).sink(SMALL),
              "null string '" + nullString + "'");
      assertThat(e.getMessage(), containsString("CsvOptions.withNullString"));
    }
  }

  @Test
  void nullTextCannotHoldTheQuote() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> CsvOptions.defaults().withNullString("\"NULL\""));
    assertThat(e.getMessage(), containsString("CsvOptions.withNullString"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> CsvOptions.defaults().withNullString("'x").withQuote("'"));
  }

  @Test
  void quoteModeNoneNeedsAnEscape() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> CsvOptions.defaults().withQuoteMode("none"));
    assertThat(e.getMessage(), containsString("CsvOptions.withEscape"));
  }
}
