package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/** Reads and writes through Beam's FileSystems, for the tests of the local object stores. */
final class BeamFiles {
  private BeamFiles() {}

  static void write(ResourceId file, byte[] content) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      out.write(content);
    }
  }

  static void write(ResourceId file, String text) throws IOException {
    write(file, bytes(text));
  }

  static byte[] read(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return in.readAllBytes();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The matched names, each without {@code root}. */
  static List<String> names(MatchResult match, String root) throws IOException {
    List<String> names = new ArrayList<>();
    for (Metadata metadata : match.metadata()) {
      names.add(metadata.resourceId().toString().substring(root.length()));
    }
    return names;
  }

  /** The exception and its causes on one line, for asserting on a message Beam wrapped. */
  static String causes(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append(" | ");
    }
    return all.toString();
  }

  /**
   * Writes a large object, reads it back and checks it is the same bytes (SHA-256), then deletes
   * it. Big enough to need the store's multi-part path (S3 multipart, GCS resumable chunks, Azure
   * blocks) many times over.
   */
  static void roundTripLarge(ResourceId file, long size) throws Exception {
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 20];
    Random random = new Random(42);
    long t0 = System.nanoTime();
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      for (long done = 0; done < size; done += block.length) {
        random.nextBytes(block);
        written.update(block);
        out.write(block);
      }
    }
    long t1 = System.nanoTime();
    MessageDigest read = MessageDigest.getInstance("SHA-256");
    long bytesRead = 0;
    try (InputStream in =
        new DigestInputStream(Channels.newInputStream(FileSystems.open(file)), read)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytesRead += n;
      }
    }
    System.out.printf(
        "%s, %d MiB: write %d ms, read %d ms%n",
        file, size >> 20, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);

    assertThat(bytesRead, equalTo(size));
    assertThat(FileSystems.matchSingleFileSpec(file.toString()).sizeBytes(), equalTo(size));
    assertThat(
        HexFormat.of().formatHex(read.digest()),
        equalTo(HexFormat.of().formatHex(written.digest())));
    FileSystems.delete(List.of(file));
  }
}
