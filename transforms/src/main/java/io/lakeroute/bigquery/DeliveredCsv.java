package io.lakeroute.bigquery;

import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.CsvParser;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads one delivered CSV file back, record by record, in the dialect its manifest records, and
 * proves it is the file the manifest lists: same SHA-256 and same number of records, header equal
 * to the manifest's columns. NULL is what the writer wrote for it: the NULL text, unquoted; the
 * same text quoted is a value.
 */
public final class DeliveredCsv {
  /** Receives each record; a null element is SQL NULL. */
  public interface RecordConsumer {
    void accept(String[] record) throws IOException;
  }

  private DeliveredCsv() {}

  /** The dialect a manifest says its CSV files were written in. */
  public static FormatSpec spec(Manifest manifest) {
    Manifest.Csv csv = manifest.csv();
    if (!FileFormat.CSV.id().equals(manifest.format()) || csv == null) {
      throw new IllegalArgumentException(
          "the run at " + manifest.location() + " is " + manifest.format() + ", not CSV");
    }
    return manifest.formatSpec();
  }

  /** Reads {@code file} of {@code manifest}, giving each record to {@code consumer}. */
  public static void read(Manifest manifest, Manifest.FileEntry file, RecordConsumer consumer)
      throws IOException {
    FormatSpec spec = spec(manifest);
    MessageDigest digest = sha256();
    long records;
    try (ReadableByteChannel channel =
        FileSystems.open(FileSystems.matchNewResource(file.uri(), false))) {
      InputStream raw =
          new DigestInputStream(
              new BufferedInputStream(Channels.newInputStream(channel), 1 << 16), digest);
      InputStream text =
          Channels.newInputStream(
              spec.fileCompression().readDecompressed(Channels.newChannel(raw)));
      records =
          parse(
              new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8), 1 << 16),
              spec.csv(),
              manifest,
              file,
              consumer);
      // Whatever follows the last record still belongs to the bytes the manifest describes.
      raw.transferTo(OutputStream.nullOutputStream());
    }
    String sha256 = HexFormat.of().formatHex(digest.digest());
    if (!sha256.equals(file.sha256()) || records != file.rows()) {
      throw new DeliveryException(
          file.uri()
              + " is not the file the manifest lists (manifest: "
              + file.rows()
              + " rows, SHA-256 "
              + file.sha256()
              + "; now: "
              + records
              + " rows, SHA-256 "
              + sha256
              + "). It changed after the run published it: run the route again.",
          null);
    }
  }

  private static long parse(
      Reader in,
      CsvOptions csv,
      Manifest manifest,
      Manifest.FileEntry file,
      RecordConsumer consumer)
      throws IOException {
    CsvParser parser = new CsvParser(in, csv);
    long records = 0;
    boolean header = csv.header();
    String[] record;
    while ((record = parser.next()) != null) {
      if (header) {
        header = false;
        checkHeader(record, manifest, file);
        continue;
      }
      if (record.length != manifest.columns().size()) {
        throw new DeliveryException(
            file.uri()
                + ": record "
                + (records + 1)
                + " has "
                + record.length
                + " fields, the manifest "
                + manifest.columns().size()
                + " columns",
            null);
      }
      consumer.accept(record);
      records++;
    }
    return records;
  }

  private static void checkHeader(String[] header, Manifest manifest, Manifest.FileEntry file) {
    List<String> names = manifest.columns().stream().map(Manifest.Column::name).toList();
    if (!List.of(header).equals(names)) {
      throw new DeliveryException(
          file.uri() + ": header " + List.of(header) + " is not the manifest's columns " + names,
          null);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
