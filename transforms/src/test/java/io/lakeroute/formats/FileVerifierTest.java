package io.lakeroute.formats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.testing.TrickyRows;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Rows, bytes, SHA-256 and the fingerprint of the values of every format, as read back. */
class FileVerifierTest {
  @TempDir Path dir;

  /** Every format with every codec, and CSV in the dialects that change how records end. */
  static Stream<FormatSpec> specs() {
    List<FormatSpec> specs = new ArrayList<>();
    for (FileFormat format : FileFormat.values()) {
      for (String codec : format.codecs()) {
        specs.add(FormatSpec.of(format).withCodec(codec));
      }
    }
    CsvOptions none =
        CsvOptions.defaults().withEscape("\\").withNullString("\\N").withQuoteMode("none");
    for (CsvOptions csv :
        List.of(
            CsvOptions.defaults().withHeader(false),
            CsvOptions.defaults().withLineEnding("CRLF"),
            CsvOptions.defaults().withLineEnding("CRLF").withHeader(false),
            CsvOptions.defaults().withQuoteMode("all").withDelimiter("\t"),
            CsvOptions.defaults().withEscape("\\"),
            CsvOptions.defaults().withQuote("'").withDelimiter(";"),
            none,
            none.withLineEnding("CRLF"),
            none.withHeader(false))) {
      specs.add(FormatSpec.of(FileFormat.CSV).withCsv(csv));
      specs.add(FormatSpec.of(FileFormat.CSV).withCsv(csv).withCodec("gzip"));
    }
    return specs.stream();
  }

  private Path write(FormatSpec spec, List<Row> rows) throws IOException {
    return FormatFiles.writeDirect(
        spec, TrickyRows.schema(), rows, dir.resolve("f" + spec.suffix()));
  }

  private static FileVerifier.Stats verify(FormatSpec spec, Path file) throws IOException {
    return FileVerifier.verify(spec, FileSystems.matchNewResource(file.toString(), false));
  }

  private static void assertMeasures(FileVerifier.Stats stats, Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    assertThat("bytes", stats.bytes, equalTo((long) bytes.length));
    assertThat(
        "sha256",
        stats.sha256,
        equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void countsTrickyRows(FormatSpec spec) throws Exception {
    Path file = write(spec, TrickyRows.rows());

    FileVerifier.Stats stats = verify(spec, file);

    assertThat(spec.toString(), stats.rows, equalTo((long) TrickyRows.ROW_COUNT));
    assertMeasures(stats, file);
  }

  private static FingerprintAccumulator asWritten(List<Row> rows) {
    FingerprintAccumulator accumulator =
        FingerprintAccumulator.fingerprintAndCheck(TrickyRows.schema());
    rows.forEach(accumulator::add);
    return accumulator;
  }

  private static FingerprintAccumulator readBack(FormatSpec spec, Path file) throws Exception {
    FingerprintAccumulator accumulator =
        FingerprintAccumulator.fingerprintAndCheck(TrickyRows.schema());
    FileVerifier.Stats stats =
        FileVerifier.verify(
            spec, FileSystems.matchNewResource(file.toString(), false), accumulator);
    assertMeasures(stats, file);
    return accumulator;
  }

  @ParameterizedTest
  @MethodSource("specs")
  void fingerprintsAndChecksTheValuesOfTrickyRowsAsTheyWereWritten(FormatSpec spec)
      throws Exception {
    Path file = write(spec, TrickyRows.rows());

    FingerprintAccumulator inFile = readBack(spec, file);

    FingerprintAccumulator written = asWritten(TrickyRows.rows());
    assertThat(spec.toString(), inFile.fingerprint(), equalTo(written.fingerprint()));
    assertThat(spec.toString(), inFile.check(), equalTo(written.check()));
  }

  @ParameterizedTest
  @CsvSource({"CSV, ',999.99,', ',999.98,'", "JSON, ':999.99,', ':999.98,'"})
  void aValueChangedInAFileChangesItsColumnsFingerprint(
      FileFormat format, String value, String changed) throws Exception {
    FormatSpec spec = FormatSpec.of(format);
    Path file = write(spec, TrickyRows.rows());
    String text = Files.readString(file);
    assertThat(text.contains(value), equalTo(true));
    Files.writeString(file, text.replace(value, changed));

    FingerprintAccumulator inFile = readBack(spec, file);

    FingerprintAccumulator written = asWritten(TrickyRows.rows());
    assertThat(inFile.fingerprint().differences(written.fingerprint()), equalTo(List.of("c_dec5")));
    assertThat(inFile.check().differences(written.check()), equalTo(List.of("c_dec5")));
  }

  @Test
  void aJsonMemberOfTheWrongKindFailsNamingTheFile() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.JSON);
    Path file = write(spec, TrickyRows.rows());
    String text = Files.readString(file);
    assertThat(text.contains(":999.99,"), equalTo(true));
    Files.writeString(file, text.replace(":999.99,", ":\"999.99\","));

    IOException e = assertThrows(IOException.class, () -> readBack(spec, file));

    assertThat(e.getMessage(), containsString(file + " holds a value lakeroute did not write"));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void countsNoRowsInAFileOfNoRows(FormatSpec spec) throws Exception {
    Path file = write(spec, List.of());

    FileVerifier.Stats stats = verify(spec, file);

    assertThat(spec.toString(), stats.rows, equalTo(0L));
    assertMeasures(stats, file);
    switch (spec.format()) {
      case PARQUET:
        assertThat(
            FormatFiles.parquetFooter(file).getFileMetaData().getSchema(),
            equalTo(ParquetSink.parquetSchema(TrickyRows.schema())));
        break;
      case AVRO:
        assertThat(
            FormatFiles.avroFileSchema(file), equalTo(AvroSink.avroSchema(TrickyRows.schema())));
        break;
      case CSV:
        List<List<String>> records = FormatFiles.csvRecords(file, spec);
        assertThat(records.size(), equalTo(spec.csv().header() ? 1 : 0));
        break;
      case JSON:
        assertThat(FormatFiles.jsonLines(file, spec).size(), equalTo(0));
        break;
    }
  }

  /** Enough rows to cross the sinks' and the verifier's buffers many times. */
  private static List<Row> manyRows(int copies) {
    Schema schema = TrickyRows.schema();
    List<Row> rows = new ArrayList<>();
    for (int copy = 0; copy < copies; copy++) {
      for (Row row : TrickyRows.rows()) {
        List<Object> values = new ArrayList<>(row.getValues());
        values.set(0, copy * TrickyRows.ROW_COUNT + rows.size() % TrickyRows.ROW_COUNT);
        rows.add(Row.withSchema(schema).attachValues(values));
      }
    }
    return rows;
  }

  @ParameterizedTest
  @MethodSource("specs")
  void countsManyRows(FormatSpec spec) throws Exception {
    List<Row> rows = manyRows(3_000);
    Path file = write(spec, rows);

    FileVerifier.Stats stats = verify(spec, file);

    assertThat(spec.toString(), stats.rows, equalTo((long) rows.size()));
    assertMeasures(stats, file);
  }

  @ParameterizedTest
  @EnumSource(FileFormat.class)
  void countsWhatFileIoWrote(FileFormat format) throws Exception {
    FormatSpec spec =
        format == FileFormat.CSV || format == FileFormat.JSON
            ? FormatSpec.of(format).withCodec("gzip")
            : FormatSpec.of(format);
    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    FileVerifier.Stats stats = verify(spec, file);

    assertThat(stats.rows, equalTo((long) TrickyRows.ROW_COUNT));
    assertMeasures(stats, file);
  }

  private static long csvRecords(String text, CsvOptions csv) throws IOException {
    return FileVerifier.csvRecords(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), csv);
  }

  @Test
  void csvRecordsEndAtLineBreaksOutsideQuotesAndNotEscaped() throws Exception {
    CsvOptions plain = CsvOptions.defaults().withHeader(false);
    CsvOptions escaped = plain.withEscape("\\");
    CsvOptions unquoted = escaped.withNullString("\\N").withQuoteMode("none");

    assertThat(csvRecords("", plain), equalTo(0L));
    assertThat(csvRecords("a\n", plain), equalTo(1L));
    assertThat(csvRecords("a\nb", plain), equalTo(2L));
    assertThat(csvRecords("a\r\nb\r\n", plain), equalTo(2L));
    assertThat(csvRecords("\"x\ny\",\"\r\n\"\n", plain), equalTo(1L));
    assertThat(csvRecords("\"a\"\"\n\"\"b\"\nc\n", plain), equalTo(2L));
    assertThat(csvRecords("\"a\\\"\nb\"\n", escaped), equalTo(1L));
    assertThat(csvRecords("\"a\\\\\"\nb\n", escaped), equalTo(2L));
    assertThat(csvRecords("x\\\ny\\\r\\\nz\n\\N\n", unquoted), equalTo(2L));
    assertThat(csvRecords("a\\\\\nb\n", unquoted), equalTo(2L));
    assertThat(csvRecords("h\n", CsvOptions.defaults()), equalTo(0L));
    assertThat(csvRecords("", CsvOptions.defaults()), equalTo(0L));
    assertThat(csvRecords("h\r\na\r\n", CsvOptions.defaults()), equalTo(1L));
  }

  @Test
  void countsCsvRecordsWithANonAsciiQuote() throws Exception {
    // 'ä' is C3 A4 in UTF-8 while "京" holds the byte E4, the low byte of 'ä' as a char.
    FormatSpec spec = FormatSpec.of(FileFormat.CSV).withCsv(CsvOptions.defaults().withQuote("ä"));
    Path file = write(spec, TrickyRows.rows());

    assertThat(verify(spec, file).rows, equalTo((long) TrickyRows.ROW_COUNT));
    TrickyRows.assertSameRows(
        TrickyRows.rows(), FormatFiles.readCsv(file, spec, TrickyRows.schema()));
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "AVRO"})
  void reportsAFileThatIsNotOfItsFormat(FileFormat format) throws Exception {
    FormatSpec spec = FormatSpec.of(format);
    Path file = dir.resolve("bad" + spec.suffix());
    Files.writeString(file, "id,name\n1,not really " + format.id() + "\n");

    IOException e = assertThrows(IOException.class, () -> verify(spec, file));
    if (format == FileFormat.PARQUET) {
      assertThat(e.getMessage(), containsString(file.toString()));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "AVRO"})
  void reportsATruncatedFile(FileFormat format) throws Exception {
    FormatSpec spec = FormatSpec.of(format);
    Path file = write(spec, TrickyRows.rows());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 20));

    // Avro's DataFileStream ends quietly at a truncated block, as if the file ended before it.
    IOException e = assertThrows(IOException.class, () -> verify(spec, file));
    assertThat(e.getMessage(), containsString(file.toString()));
  }

  @Test
  void reportsAnAvroBlockThatDoesNotEndWithTheSyncMarker() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.AVRO);
    Path file = write(spec, TrickyRows.rows());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);

    IOException e = assertThrows(IOException.class, () -> verify(spec, file));
    assertThat(e.getMessage(), containsString("sync marker"));
  }
}
