package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes a large object through Beam's FileSystems, reads it back and checks it is the same bytes
 * (SHA-256), then deletes it. Big enough to need the store's multi-part path (S3 multipart, GCS
 * resumable chunks, Azure blocks) many times over.
 */
final class LargeObjectRoundTrip {
  private LargeObjectRoundTrip() {}

  static void check(ResourceId file, long size) throws Exception {
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
