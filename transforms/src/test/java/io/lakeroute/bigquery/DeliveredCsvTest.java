package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.ValueText;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.testing.TrickyRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading delivered CSV back: files written by lakeroute's own CsvSink in every dialect it supports
 * (local disk, no stand-in), read with DeliveredCsv, give back every value and every NULL.
 */
class DeliveredCsvTest {
  @TempDir Path temp;

  static Stream<Arguments> dialects() {
    return Stream.of(
        Arguments.of("defaults", CsvOptions.defaults(), "none"),
        Arguments.of("gzip", CsvOptions.defaults(), "gzip"),
        Arguments.of(
            "crlf, all quoted",
            CsvOptions.defaults().withLineEnding("CRLF").withQuoteMode("all"),
            "none"),
        Arguments.of(
            "pipe, NULL text",
            CsvOptions.defaults().withDelimiter("|").withNullString("NULL"),
            "none"),
        Arguments.of(
            "backslash escape",
            CsvOptions.defaults().withEscape("\\").withNullString("\\N"),
            "none"),
        Arguments.of(
            "unquoted, escaped",
            CsvOptions.defaults().withEscape("\\").withNullString("\\N").withQuoteMode("none"),
            "none"),
        Arguments.of("no header", CsvOptions.defaults().withHeader(false), "none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dialects")
  void readsBackEveryValueAndNull(String name, CsvOptions options, String codec) throws Exception {
    Schema schema = TrickyRows.schema();
    List<Row> rows = TrickyRows.rows();
    Manifest manifest =
        CsvRuns.write(
            temp,
            CsvRuns.spec(options, codec),
            schema,
            List.of(rows.subList(0, 3), rows.subList(3, rows.size())));

    List<String[]> read = new ArrayList<>();
    for (Manifest.FileEntry file : manifest.files()) {
      DeliveredCsv.read(manifest, file, read::add);
    }

    assertThat(read.size(), equalTo(rows.size()));
    for (int i = 0; i < rows.size(); i++) {
      List<String> expected = new ArrayList<>();
      for (Schema.Field field : schema.getFields()) {
        Object value = rows.get(i).getValue(field.getName());
        expected.add(
            value == null ? null : ValueText.format(SqlTypeMapping.kindOf(field.getType()), value));
      }
      assertThat("row " + i, Arrays.asList(read.get(i)), equalTo(expected));
    }
  }

  @Test
  void aFileChangedAfterPublishingIsRefusedNamingIt() throws Exception {
    Schema schema = TrickyRows.schema();
    Manifest manifest =
        CsvRuns.write(
            temp, CsvRuns.spec(CsvOptions.defaults(), "none"), schema, List.of(TrickyRows.rows()));
    Manifest.FileEntry file = manifest.files().get(0);
    Path path = Path.of(file.uri());
    String text = Files.readString(path, StandardCharsets.UTF_8);
    Files.writeString(path, text.replace("plain text", "plain texT"), StandardCharsets.UTF_8);

    DeliveryException e =
        assertThrows(DeliveryException.class, () -> DeliveredCsv.read(manifest, file, r -> {}));
    assertThat(e.getMessage(), containsString(file.uri() + " is not the file the manifest lists"));
    assertThat(e.getMessage(), containsString("It changed after the run published it"));
  }

  @Test
  void aHeaderOtherThanTheManifestsColumnsIsRefused() throws Exception {
    Schema schema = TrickyRows.schema();
    Manifest written =
        CsvRuns.write(
            temp, CsvRuns.spec(CsvOptions.defaults(), "none"), schema, List.of(TrickyRows.rows()));
    List<Manifest.Column> renamed = new ArrayList<>(written.columns());
    renamed.set(1, new Manifest.Column("amount", "decimal(38,10)", null));
    Manifest manifest =
        new Manifest(
            written.manifestVersion(),
            written.runId(),
            written.createdAt(),
            written.location(),
            written.format(),
            written.codec(),
            written.csv(),
            written.rowCount(),
            written.fileCount(),
            written.totalBytes(),
            renamed,
            written.files());

    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () -> DeliveredCsv.read(manifest, manifest.files().get(0), r -> {}));
    assertThat(e.getMessage(), containsString("is not the manifest's columns"));
  }
}
