package io.lakeroute.formats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.TrickyRows;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.Compression;
import org.junit.jupiter.api.Test;
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

  @Test
  void rejectsUnknownFormatsAndCodecsListingTheValidOnes() {
    assertMessage(() -> FileFormat.of("orc"), "--format=orc", "parquet, avro, csv, json");
    assertMessage(
        () -> FormatSpec.of(FileFormat.CSV).withCodec("snappy"),
        "--compression=snappy",
        "none, gzip");
    assertMessage(
        () -> FormatSpec.of(FileFormat.AVRO).withCodec("lz4_raw"),
        "--compression=lz4_raw",
        "snappy, none, deflate, zstd");
  }

  @Test
  void csvOptionsRejectInvalidDialectsNamingTheFlag() {
    CsvOptions csv = CsvOptions.defaults();
    assertMessage(() -> csv.withDelimiter(",,"), "--csvDelimiter", "exactly one character");
    assertMessage(() -> csv.withDelimiter(""), "--csvDelimiter", "exactly one character");
    assertMessage(() -> csv.withDelimiter("\n"), "--csvDelimiter", "line break");
    assertMessage(() -> csv.withDelimiter("\""), "--csvDelimiter", "--csvQuote");
    assertMessage(() -> csv.withQuote(","), "--csvDelimiter", "--csvQuote");
    assertMessage(() -> csv.withEscape(","), "--csvEscape", "--csvDelimiter");
    assertMessage(() -> csv.withQuoteMode("sometimes"), "--csvQuoteMode=sometimes", "minimal");
    assertMessage(() -> csv.withLineEnding("CR"), "--csvLineEnding=CR", "CRLF");
    assertMessage(() -> csv.withNullString(null), "--csvNullString", "\"\"");
    assertMessage(() -> csv.withNullString("a,b"), "--csvNullString", "delimiter");
    assertMessage(() -> csv.withNullString("a\nb"), "--csvNullString", "line break");
    assertMessage(() -> csv.withQuoteMode("none"), "--csvQuoteMode=none", "--csvEscape");
    assertMessage(
        () -> csv.withEscape("\"").withQuoteMode("none"), "--csvQuoteMode=none", "--csvEscape");
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
