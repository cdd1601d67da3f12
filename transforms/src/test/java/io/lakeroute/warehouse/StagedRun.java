package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatFiles;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.testing.TrickyRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * A published run of {@link TrickyRows} for the warehouse load tests: the rows written by the
 * format's own sink into two files, put into an object store, and the manifest that lists them,
 * with the fingerprints of the rows as a run records them.
 */
public final class StagedRun {
  private StagedRun() {}

  /**
   * Writes the tricky rows in {@code format} with {@code codec} as two files under {@code location}
   * (a store URI ending in {@code /}), each handed to {@code put} with its name, and returns the
   * run's manifest.
   */
  public static Manifest trickyRows(
      String format, String codec, String location, BiConsumer<String, byte[]> put)
      throws IOException {
    FormatSpec spec =
        FormatSpec.of(FileFormat.valueOf(format.toUpperCase(Locale.ROOT))).withCodec(codec);
    Schema schema = TrickyRows.schema();
    List<Row> rows = TrickyRows.rows();
    Path dir = Files.createTempDirectory("lakeroute-staged");
    List<Manifest.FileEntry> files = new ArrayList<>();
    long bytes = 0;
    int half = rows.size() / 2;
    for (List<Row> part : List.of(rows.subList(0, half), rows.subList(half, rows.size()))) {
      String name = String.format("part-%05d-of-00002%s", files.size(), spec.suffix());
      Path file = FormatFiles.writeDirect(spec, schema, part, dir.resolve(name));
      byte[] content = Files.readAllBytes(file);
      Files.delete(file);
      put.accept(name, content);
      FingerprintAccumulator fingerprint = FingerprintAccumulator.of(schema);
      part.forEach(fingerprint::add);
      files.add(
          new Manifest.FileEntry(
              name, location + name, part.size(), content.length, "", fingerprint.fingerprint()));
      bytes += content.length;
    }
    Files.delete(dir);
    CsvOptions csv = spec.csv();
    return new Manifest(
        Manifest.VERSION,
        "r1",
        "2026-01-01T00:00:00Z",
        location,
        spec.format().id(),
        spec.codec(),
        spec.format() == FileFormat.CSV
            ? new Manifest.Csv(
                csv.header(),
                String.valueOf(csv.delimiter()),
                String.valueOf(csv.quote()),
                null,
                csv.quoteMode().name().toLowerCase(Locale.ROOT),
                csv.nullString(),
                csv.lineEnding().equals("\n") ? "LF" : "CRLF")
            : null,
        rows.size(),
        files.size(),
        bytes,
        schema.getFields().stream()
            .map(f -> new Manifest.Column(f.getName(), Manifest.typeOf(f.getType()), ""))
            .toList(),
        files,
        files.stream()
            .map(Manifest.FileEntry::fingerprint)
            .reduce(Fingerprint.empty(schema.getFieldNames()), Fingerprint::merge));
  }

  /** {@code manifest} listing only {@code files}, its counts unchanged: a manifest that lies. */
  static Manifest withFiles(Manifest manifest, List<Manifest.FileEntry> files) {
    return new Manifest(
        manifest.manifestVersion(),
        manifest.runId(),
        manifest.createdAt(),
        manifest.location(),
        manifest.format(),
        manifest.codec(),
        manifest.csv(),
        manifest.rowCount(),
        manifest.fileCount(),
        manifest.totalBytes(),
        manifest.columns(),
        files,
        manifest.fingerprint());
  }
}
