package io.lakeroute.formats;

import static io.lakeroute.testing.TrickyRows.assertSameRows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values larger than every buffer between a sink and its channel (ChannelOutput's 256 KiB, the CSV
 * writer's 64 KiB, Avro's blocks, Parquet's pages), so that writes of any length reach the file in
 * order and positions stay right.
 */
class LargeValuesTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", FieldType.INT32)
          .addNullableField("text", FieldType.STRING)
          .addNullableField("blob", FieldType.BYTES)
          .build();

  private static List<Row> rows() {
    Random random = new Random(42);
    List<Row> rows = new ArrayList<>();
    for (int id = 0; id < 4; id++) {
      StringBuilder text = new StringBuilder();
      // Multi-byte characters and CSV specials, so that byte and char lengths differ.
      String pieces = "ab,\"\n\r;\t\\é東🚀";
      int length = (id + 1) * 700_000;
      while (text.length() < length) {
        text.append(pieces.charAt(random.nextInt(pieces.length() - 2)));
        if (random.nextInt(50) == 0) {
          text.append("🚀");
        }
      }
      byte[] blob = new byte[(id + 1) * 300_000];
      random.nextBytes(blob);
      rows.add(Row.withSchema(SCHEMA).attachValues(Arrays.asList(id, text.toString(), blob)));
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(FileFormat.class)
  void roundTripsValuesOfMegabytes(FileFormat format) throws Exception {
    FormatSpec spec =
        format == FileFormat.CSV
            ? FormatSpec.of(format)
                .withCsv(
                    CsvOptions.defaults()
                        .withEscape("\\")
                        .withQuoteMode("none")
                        .withNullString("\\N"))
            : FormatSpec.of(format);
    List<Row> rows = rows();
    Path file = FormatFiles.writeDirect(spec, SCHEMA, rows, dir.resolve("large" + spec.suffix()));

    List<Row> read;
    switch (format) {
      case PARQUET:
        read = FormatFiles.readParquet(file, SCHEMA);
        break;
      case AVRO:
        read = FormatFiles.readAvro(file, SCHEMA);
        break;
      case CSV:
        read = FormatFiles.readCsv(file, spec, SCHEMA);
        break;
      default:
        read = FormatFiles.readJson(file, spec, SCHEMA);
    }
    assertSameRows(rows, read);
    FileVerifier.Stats stats =
        FileVerifier.verify(spec, FileSystems.matchNewResource(file.toString(), false));
    assertThat(stats.rows, equalTo((long) rows.size()));
    assertThat(stats.bytes, equalTo(Files.size(file)));
  }
}
