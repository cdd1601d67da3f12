package io.lakeroute.formats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.TrickyRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatSpecTest {
  @ParameterizedTest
  @CsvSource({
    "parquet, , snappy, UNCOMPRESSED, .parquet",
    "parquet, gzip, gzip, UNCOMPRESSED, .parquet",
    "PARQUET, Uncompressed, none, UNCOMPRESSED, .parquet",
    "avro, , snappy, UNCOMPRESSED, .avro",
    "avro, null, none, UNCOMPRESSED, .avro",
    "csv, , none, UNCOMPRESSED, .csv",
    "csv, gzip, gzip, GZIP, .csv.gz",
    "' json ', GZIP, gzip, GZIP, .json.gz",
    "json, none, none, UNCOMPRESSED, .json"
  })
  void compressesWholeFilesOnlyForCsvAndJson(
      String format, String codec, String resolved, Compression compression, String suffix) {
    FormatSpec spec = FormatSpec.of(FileFormat.of(format)).withCodec(codec);

    assertThat(spec.codec(), equalTo(resolved));
    assertThat(spec.fileCompression(), equalTo(compression));
    assertThat(spec.suffix(), equalTo(suffix));
  }

  @Test
  void buildsTheSinkOfItsFormat() {
    assertThat(
        FormatSpec.of(FileFormat.PARQUET).sink(TrickyRows.schema()), instanceOf(ParquetSink.class));
    assertThat(
        FormatSpec.of(FileFormat.AVRO).sink(TrickyRows.schema()), instanceOf(AvroSink.class));
    assertThat(FormatSpec.of(FileFormat.CSV).sink(TrickyRows.schema()), instanceOf(CsvSink.class));
    assertThat(
        FormatSpec.of(FileFormat.JSON).sink(TrickyRows.schema()), instanceOf(JsonSink.class));
  }

  /** PostgreSQL names an expression without AS {@code ?column?}, H2 after its text. */
  private static final Schema UNNAMED_EXPRESSION =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("?column?", Schema.FieldType.INT64)
          .build();

  @Test
  void avroRefusesAnUnnamedExpressionBeforeAnyFileNamingTheColumnAndTheFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FormatSpec.of(FileFormat.AVRO).check(UNNAMED_EXPRESSION));

    assertThat(
        e.getMessage(),
        allOf(
            startsWith("Column '?column?' is not a valid Avro field name"),
            containsString("name it with AS in the query"),
            containsString("(FileFormat.of)"),
            not(containsString("'id'"))));
  }

  @Test
  void avroNamesEveryColumnItCannotHoldInOneMessage() {
    Schema schema =
        Schema.builder()
            .addNullableField("?column?", Schema.FieldType.INT64)
            .addNullableField("1st", Schema.FieldType.INT64)
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FormatSpec.of(FileFormat.AVRO).check(schema));
    assertThat(e.getMessage(), startsWith("Columns '?column?', '1st' are not valid Avro"));
  }

  @Test
  void parquetCsvAndJsonWriteAnUnnamedExpressionAsItIsNamed(@TempDir Path dir) throws Exception {
    List<Row> rows = List.of(Row.withSchema(UNNAMED_EXPRESSION).addValues(1L, 2L).build());
    for (FileFormat format : List.of(FileFormat.PARQUET, FileFormat.CSV, FileFormat.JSON)) {
      FormatSpec spec = FormatSpec.of(format);
      spec.check(UNNAMED_EXPRESSION);
      Path file =
          FormatFiles.writeDirect(spec, UNNAMED_EXPRESSION, rows, dir.resolve("f" + spec.suffix()));
      assertThat(
          format.id(),
          FileVerifier.verify(spec, FileSystems.matchNewResource(file.toString(), false)).rows,
          equalTo(1L));
      if (format == FileFormat.PARQUET) {
        assertThat(
            FormatFiles.parquetFooter(file)
                .getFileMetaData()
                .getSchema()
                .getFields()
                .get(1)
                .getName(),
            equalTo("?column?"));
      } else {
        assertThat(format.id(), Files.readString(file), containsString("?column?"));
      }
    }
  }

  @Test
  void rejectsUnknownFormatsAndCodecsListingTheValidOnes() {
    assertMessage(() -> FileFormat.of("orc"), "FileFormat.of(orc)", "parquet, avro, csv, json");
    assertMessage(
        () -> FormatSpec.of(FileFormat.CSV).withCodec("snappy"),
        "FormatSpec.withCodec(snappy)",
        "none, gzip");
    assertMessage(
        () -> FormatSpec.of(FileFormat.AVRO).withCodec("lz4_raw"),
        "FormatSpec.withCodec(lz4_raw)",
        "snappy, none, deflate, zstd");
  }

  @Test
  void csvOptionsRejectInvalidDialectsNamingTheSetting() {
    CsvOptions csv = CsvOptions.defaults();
    assertMessage(
        () -> csv.withDelimiter(",,"), "CsvOptions.withDelimiter", "exactly one character");
    assertMessage(() -> csv.withDelimiter(""), "CsvOptions.withDelimiter", "exactly one character");
    assertMessage(() -> csv.withDelimiter("\n"), "CsvOptions.withDelimiter", "line break");
    assertMessage(
        () -> csv.withDelimiter("\""), "CsvOptions.withDelimiter", "CsvOptions.withQuote");
    assertMessage(() -> csv.withQuote(","), "CsvOptions.withDelimiter", "CsvOptions.withQuote");
    assertMessage(() -> csv.withEscape(","), "CsvOptions.withEscape", "CsvOptions.withDelimiter");
    assertMessage(
        () -> csv.withQuoteMode("sometimes"), "CsvOptions.withQuoteMode(sometimes)", "minimal");
    assertMessage(() -> csv.withLineEnding("CR"), "CsvOptions.withLineEnding(CR)", "CRLF");
    assertMessage(() -> csv.withNullString(null), "CsvOptions.withNullString", "\"\"");
    assertMessage(() -> csv.withNullString("a,b"), "CsvOptions.withNullString", "delimiter");
    assertMessage(() -> csv.withNullString("a\nb"), "CsvOptions.withNullString", "line break");
    assertMessage(
        () -> csv.withQuoteMode("none"),
        "Quote mode none (CsvOptions.withQuoteMode)",
        "CsvOptions.withEscape");
    assertMessage(
        () -> csv.withEscape("\"").withQuoteMode("none"),
        "Quote mode none (CsvOptions.withQuoteMode)",
        "CsvOptions.withEscape");
  }

  @Test
  void csvOptionsNormaliseTheirValues() {
    CsvOptions csv =
        CsvOptions.defaults()
            .withDelimiter("\t")
            .withEscape("\\")
            .withQuoteMode(" None ")
            .withNullString("\\N")
            .withLineEnding("crlf");

    assertThat(csv.delimiter(), equalTo('\t'));
    assertThat(csv.escape(), equalTo('\\'));
    assertThat(csv.quoteMode(), equalTo(CsvOptions.QuoteMode.NONE));
    assertThat(csv.lineEnding(), equalTo("\r\n"));
    // An escape equal to the quote is the RFC 4180 doubling, i.e. no escape.
    assertThat(CsvOptions.defaults().withEscape("\"").escape(), nullValue());
    assertThat(CsvOptions.defaults().withEscape("").escape(), nullValue());
  }

  private static void assertMessage(Supplier<?> call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
    for (String part : parts) {
      assertThat(e.getMessage(), containsString(part));
    }
  }
}
