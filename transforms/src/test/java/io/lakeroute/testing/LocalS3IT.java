package io.lakeroute.testing;

import static io.lakeroute.testing.BeamFiles.bytes;
import static io.lakeroute.testing.BeamFiles.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

class LocalS3IT {
  private static LocalS3 s3;

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.shared();
    PipelineOptionsFactory.register(S3Options.class);
    S3Options options = PipelineOptionsFactory.fromArgs(s3.beamArgs()).as(S3Options.class);
    FileSystems.setDefaultPipelineOptions(options);
  }

  @Test
  void storesAndListsObjectsThroughTheSdk() {
    s3.createBucket("sdk-bucket");
    s3.createBucket("sdk-bucket"); // idempotent
    s3.put("sdk-bucket", "a/one.txt", bytes("one"));
    s3.client().putObject(b -> b.bucket("sdk-bucket").key("a/two.txt"), body("two"));
    s3.put("sdk-bucket", "b/three.txt", bytes("three"));

    assertEquals(List.of("a/one.txt", "a/two.txt"), s3.keys("sdk-bucket", "a/"));
    assertEquals(3, s3.keys("sdk-bucket", "").size());
    assertArrayEquals(bytes("two"), s3.get("sdk-bucket", "a/two.txt"));
  }

  @Test
  void beamFileSystemsWriteMatchRenameAndDelete() throws IOException {
    s3.createBucket("beam-bucket");
    ResourceId file = FileSystems.matchNewResource("s3://beam-bucket/dir/file.txt", false);

    // One owner for the channel: Beam's S3 channel is not idempotent on close (a second close
    // uploads another part to the finished upload and fails with NoSuchUploadException).
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
      out.write(bytes("hello, lake"));
    }
    assertArrayEquals(bytes("hello, lake"), s3.get("beam-bucket", "dir/file.txt"));
    assertArrayEquals(bytes("hello, lake"), read(file));

    MatchResult match = FileSystems.match("s3://beam-bucket/dir/*");
    assertEquals(MatchResult.Status.OK, match.status());
    List<Metadata> found = match.metadata();
    assertEquals(1, found.size());
    assertEquals("s3://beam-bucket/dir/file.txt", found.get(0).resourceId().toString());
    assertEquals(11, found.get(0).sizeBytes());

    ResourceId renamed = FileSystems.matchNewResource("s3://beam-bucket/dir/renamed.txt", false);
    FileSystems.rename(List.of(file), List.of(renamed));
    assertEquals(List.of("dir/renamed.txt"), s3.keys("beam-bucket", "dir/"));
    assertArrayEquals(bytes("hello, lake"), read(renamed));

    FileSystems.delete(List.of(renamed));
    assertEquals(List.of(), s3.keys("beam-bucket", "dir/"));
  }

  @Test
  void beamReportsAMissingBucket() throws IOException {
    ResourceId file = FileSystems.matchNewResource("s3://no-such-bucket/dir/file.txt", false);
    // The SDK's service exception comes through unwrapped: Beam wraps only client-side errors.
    NoSuchBucketException e =
        assertThrows(NoSuchBucketException.class, () -> FileSystems.create(file, MimeTypes.TEXT));
    assertEquals(404, e.statusCode());
    System.out.println("missing bucket, create: " + e);

    MatchResult match = FileSystems.match("s3://no-such-bucket/dir/*");
    System.out.println("missing bucket, match: " + match.status() + " " + describe(match));
    assertEquals(MatchResult.Status.ERROR, match.status());
  }

  @Test
  void beamWritesObjectsOfSeveralParts() throws IOException {
    s3.createBucket("big-bucket");
    byte[] block = new byte[1 << 20];
    new java.util.Random(7).nextBytes(block);
    ResourceId file = FileSystems.matchNewResource("s3://big-bucket/big.bin", false);
    long t0 = System.nanoTime();
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      for (int i = 0; i < 70; i++) {
        out.write(block);
      }
    }
    System.out.println("70 MiB through Beam in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    // Beam buffers 64 MiB per part, far above S3Mock's 10 MB request limit for form uploads.
    assertEquals(70L << 20, FileSystems.matchSingleFileSpec("s3://big-bucket/big.bin").sizeBytes());
    FileSystems.delete(List.of(file));
  }

  @Test
  void beamRoundTripsMoreThan300MegabytesUnchanged() throws Exception {
    s3.createBucket("large-bucket");
    // Six multipart parts of Beam's 64 MiB upload buffer.
    BeamFiles.roundTripLarge(
        FileSystems.matchNewResource("s3://large-bucket/320-mib.bin", false), 320L << 20);
  }

  @Test
  void keepsObjectsAcrossARestartOnTheSamePort() {
    s3.createBucket("restart-bucket");
    s3.put("restart-bucket", "kept.txt", bytes("kept"));
    String endpoint = s3.endpoint();

    s3.stop();
    s3.start();

    assertEquals(endpoint, s3.endpoint());
    assertEquals(List.of("kept.txt"), s3.keys("restart-bucket", ""));
    assertArrayEquals(bytes("kept"), s3.get("restart-bucket", "kept.txt"));
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    assertTrue(s3.endpoint().startsWith("http://127.0.0.1:"), s3.endpoint());
    LocalServersAssumptions.assertLoopbackOnly("S3Mock", s3.port());
  }

  private static software.amazon.awssdk.core.sync.RequestBody body(String text) {
    return software.amazon.awssdk.core.sync.RequestBody.fromString(text);
  }

  private static String describe(MatchResult match) {
    try {
      return match.metadata().toString();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
