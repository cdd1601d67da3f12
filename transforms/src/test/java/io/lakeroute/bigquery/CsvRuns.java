package io.lakeroute.bigquery;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatFiles;
import io.lakeroute.formats.FormatSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Delivered CSV runs on the local disk: files written by lakeroute's CsvSink, and their manifest.
 */
final class CsvRuns {
  private CsvRuns() {}

  /** Writes each list of rows as one file of the run in {@code dir}; returns its manifest. */
  static Manifest write(Path dir, FormatSpec spec, Schema schema, List<List<Row>> files)
      throws IOException {
    Files.createDirectories(dir);
    List<Manifest.FileEntry> entries = new ArrayList<>();
    long rows = 0;
    long bytes = 0;
    for (int i = 0; i < files.size(); i++) {
      String name =
          String.format(Locale.ROOT, "part-%05d-of-%05d%s", i, files.size(), spec.suffix());
      Path file = FormatFiles.writeDirect(spec, schema, files.get(i), dir.resolve(name));
      byte[] content = Files.readAllBytes(file);
      entries.add(
          new Manifest.FileEntry(
              name, file.toString(), files.get(i).size(), content.length, sha256(content)));
      rows += files.get(i).size();
      bytes += content.length;
    }
    return new Manifest(
        Manifest.VERSION,
        "run1",
        "2026-11-22T00:00:00Z",
        dir.toString(),
        FileFormat.CSV.id(),
        spec.codec(),
        csv(spec.csv()),
        rows,
        entries.size(),
        bytes,
        schema.getFields().stream()
            .map(f -> new Manifest.Column(f.getName(), Manifest.typeOf(f.getType()), null))
            .toList(),
        entries);
  }

  static Manifest.Csv csv(CsvOptions options) {
    return new Manifest.Csv(
        options.header(),
        String.valueOf(options.delimiter()),
        String.valueOf(options.quote()),
        options.escape() == null ? null : String.valueOf(options.escape()),
        options.quoteMode().name().toLowerCase(Locale.ROOT),
        options.nullString(),
        options.lineEnding().equals("\n") ? "LF" : "CRLF");
  }

  static FormatSpec spec(CsvOptions options, String codec) {
    return FormatSpec.of(FileFormat.CSV).withCodec(codec).withCsv(options);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
