package io.lakeroute.testing;

import static io.lakeroute.testing.BeamFiles.bytes;
import static io.lakeroute.testing.BeamFiles.causes;
import static io.lakeroute.testing.BeamFiles.names;
import static io.lakeroute.testing.BeamFiles.read;
import static io.lakeroute.testing.BeamFiles.write;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Beam FileSystem operation lakeroute's delivery uses, through Beam's own GCS filesystem
 * (GcsUtil, gcsio, google-api-client) against {@link LocalGcs} on loopback.
 */
class LocalGcsIT {
  private static final String BUCKET = "local-gcs-test";
  private static final String ROOT = "gs://" + BUCKET + "/";
  private static LocalGcs gcs;
  private static PipelineOptions options;

  @BeforeAll
  static void startGcs() {
    gcs = LocalGcs.shared();
    gcs.createBucket(BUCKET);
    options = PipelineOptionsFactory.fromArgs(gcs.beamArgs()).create();
    FileSystems.setDefaultPipelineOptions(options);
  }

  @AfterEach
  void defaultOptions() {
    FileSystems.setDefaultPipelineOptions(options);
  }

  @Test
  void serverCreatesBucketsAndObjects() {
    gcs.createBucket("http-bucket");
    gcs.createBucket("http-bucket"); // idempotent
    gcs.put("http-bucket", "a/one.txt", bytes("one"));
    gcs.put("http-bucket", "a/two.txt", bytes("two"));
    gcs.put("http-bucket", "b/three.txt", bytes("three"));

    assertThat(gcs.objects("http-bucket", "a/"), equalTo(List.of("a/one.txt", "a/two.txt")));
    assertThat(gcs.objects("http-bucket", "").size(), equalTo(3));
    assertArrayEquals(bytes("two"), gcs.get("http-bucket", "a/two.txt"));
  }

  @Test
  void beamWritesAndReadsBackASmallObject() throws IOException {
    ResourceId file = resource("small/hello.txt");
    write(file, bytes("hello, lake"));

    assertArrayEquals(bytes("hello, lake"), gcs.get(BUCKET, "small/hello.txt"));
    assertArrayEquals(bytes("hello, lake"), read(file));
    Metadata metadata = FileSystems.matchSingleFileSpec(file.toString());
    assertThat(metadata.sizeBytes(), equalTo(11L));
    assertThat(metadata.resourceId().toString(), equalTo("gs://" + BUCKET + "/small/hello.txt"));

    // Overwriting sends the current generation as a precondition (gcsio's ifGenerationMatch).
    write(file, bytes("hello again"));
    assertArrayEquals(bytes("hello again"), read(file));
  }

  @Test
  void beamUploadsInManyChunksAndReadsAtAnyPosition() throws Exception {
    GcsOptions smallChunks = PipelineOptionsFactory.fromArgs(gcs.beamArgs()).as(GcsOptions.class);
    smallChunks.setGcsUploadBufferSizeBytes(1 << 20);
    FileSystems.setDefaultPipelineOptions(smallChunks);
    byte[] content = new byte[20_000_000];
    new Random(7).nextBytes(content);
    ResourceId file = resource("chunked/twenty-mb.bin");
    int before = count(gcs.log(), "PUT /upload/storage/v1/b/" + BUCKET + "/o?");

    long t0 = System.nanoTime();
    write(file, content);
    long t1 = System.nanoTime();
    byte[] back = read(file);
    System.out.printf(
        "20 MB in 1 MiB chunks: write %d ms, read %d ms%n",
        (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);

    assertArrayEquals(content, back);
    assertThat(FileSystems.matchSingleFileSpec(file.toString()).sizeBytes(), equalTo(20_000_000L));
    int chunks = count(gcs.log(), "PUT /upload/storage/v1/b/" + BUCKET + "/o?") - before;
    assertThat("PUT requests of the upload", chunks, greaterThanOrEqualTo(20));

    // Parquet and the verifier read footers first: seek, then read.
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file)) {
      channel.position(19_999_000);
      ByteBuffer tail = ByteBuffer.allocate(1000);
      while (tail.hasRemaining() && channel.read(tail) >= 0) {}
      assertArrayEquals(Arrays.copyOfRange(content, 19_999_000, 20_000_000), tail.array());
      channel.position(5);
      ByteBuffer head = ByteBuffer.allocate(10);
      while (head.hasRemaining() && channel.read(head) >= 0) {}
      assertArrayEquals(Arrays.copyOfRange(content, 5, 15), head.array());
    }
  }

  @Test
  void beamMatchesGlobs() throws IOException {
    for (String name :
        List.of("glob/x.csv", "glob/w.txt", "glob/b/y.csv", "glob/b/c/z.csv", "globber/no.csv")) {
      write(resource(name), bytes(name));
    }

    assertThat(
        names(FileSystems.match(ROOT + "glob/*"), ROOT),
        containsInAnyOrder("glob/x.csv", "glob/w.txt"));
    assertThat(
        names(FileSystems.match(ROOT + "glob/*.csv"), ROOT), containsInAnyOrder("glob/x.csv"));
    assertThat(
        names(FileSystems.match(ROOT + "glob/**"), ROOT),
        containsInAnyOrder("glob/x.csv", "glob/w.txt", "glob/b/y.csv", "glob/b/c/z.csv"));
    // Beam reads "**/" as "any number of folders, none included".
    assertThat(
        names(FileSystems.match(ROOT + "glob/**/*.csv"), ROOT),
        containsInAnyOrder("glob/x.csv", "glob/b/y.csv", "glob/b/c/z.csv"));
    // A glob that matches nothing is OK and empty on gs:// (an exact name is NOT_FOUND).
    MatchResult none = FileSystems.match(ROOT + "glob/*.parquet");
    assertThat(none.status(), equalTo(MatchResult.Status.OK));
    assertThat(none.metadata(), empty());

    // Several exact names at once go out as one JSON batch of gets.
    List<MatchResult> exact =
        FileSystems.match(
            List.of(ROOT + "glob/x.csv", ROOT + "glob/missing.csv", ROOT + "glob/b/y.csv"));
    assertThat(exact.get(0).status(), equalTo(MatchResult.Status.OK));
    assertThat(exact.get(0).metadata().get(0).sizeBytes(), equalTo(10L));
    assertThat(exact.get(1).status(), equalTo(MatchResult.Status.NOT_FOUND));
    assertThat(exact.get(2).status(), equalTo(MatchResult.Status.OK));
    assertThat(gcs.log(), containsString("POST /batch/storage/v1"));
  }

  @Test
  void beamRenamesByCopyAndDelete() throws IOException {
    List<ResourceId> sources = new ArrayList<>();
    List<ResourceId> targets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ResourceId source = resource("rename/staging/part-" + i);
      write(source, bytes("part " + i));
      sources.add(source);
      targets.add(resource("rename/run/part-" + i));
    }

    FileSystems.rename(sources, targets);

    assertThat(gcs.objects(BUCKET, "rename/staging/"), empty());
    assertThat(
        gcs.objects(BUCKET, "rename/run/"),
        equalTo(List.of("rename/run/part-0", "rename/run/part-1", "rename/run/part-2")));
    assertArrayEquals(bytes("part 1"), read(targets.get(1)));
    assertThat(gcs.log(), containsString("rewriteTo"));

    // A retried publish finds its sources gone.
    FileSystems.rename(sources, targets, StandardMoveOptions.IGNORE_MISSING_FILES);
    assertArrayEquals(bytes("part 2"), read(targets.get(2)));
  }

  @Test
  void beamDeletes() throws IOException {
    List<ResourceId> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      files.add(resource("delete/f" + i));
      write(files.get(i), bytes("f" + i));
    }
    FileSystems.delete(files);
    assertThat(gcs.objects(BUCKET, "delete/"), empty());

    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  @Test
  void beamReportsAMissingBucket() throws IOException {
    ResourceId file = FileSystems.matchNewResource("gs://no-such-bucket/dir/file.txt", false);
    IOException write = assertThrows(IOException.class, () -> write(file, bytes("x")));
    System.out.println("missing bucket, create: " + causes(write));
    assertThat(causes(write), containsString("The specified bucket does not exist."));

    MatchResult match = FileSystems.match("gs://no-such-bucket/dir/*");
    System.out.println("missing bucket, match: " + match.status());
    assertThat(match.status(), equalTo(MatchResult.Status.ERROR));
    assertThat(gcs.objects(BUCKET, "dir/"), empty());
  }

  @Test
  void keepsObjectsAcrossARestartOnTheSamePort() {
    gcs.createBucket("restart-bucket");
    gcs.put("restart-bucket", "kept.txt", bytes("kept"));
    String endpoint = gcs.endpoint();

    gcs.stop();
    gcs.start();

    assertThat(gcs.endpoint(), equalTo(endpoint));
    assertThat(gcs.objects("restart-bucket", ""), equalTo(List.of("kept.txt")));
    assertArrayEquals(bytes("kept"), gcs.get("restart-bucket", "kept.txt"));
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    assertThat(gcs.endpoint(), startsWith("http://127.0.0.1:"));
    LocalServersAssumptions.assertLoopbackOnly("the GCS server", gcs.port());
  }

  @Test
  void beamRoundTripsMoreThan300MegabytesUnchanged() throws Exception {
    BeamFiles.roundTripLarge(resource("large/320-mib.bin"), 320L << 20);
  }

  private static ResourceId resource(String name) {
    return FileSystems.matchNewResource(ROOT + name, false);
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
