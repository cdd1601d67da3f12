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
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;
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
 * Every Beam FileSystem operation lakeroute's delivery uses, through Beam's own azfs filesystem
 * (AzureBlobStoreFileSystem, the Azure Storage SDK) against {@link LocalAzurite} on loopback, with
 * each credential form lakeroute offers.
 */
class LocalAzuriteIT {
  private static final String CONTAINER = "local-azurite-test";
  private static final String ROOT = "azfs://" + LocalAzurite.ACCOUNT + "/" + CONTAINER + "/";
  private static LocalAzurite azurite;
  private static PipelineOptions options;

  @BeforeAll
  static void startAzurite() {
    azurite = LocalAzurite.shared();
    azurite.createContainer(CONTAINER);
    options = PipelineOptionsFactory.fromArgs(azurite.beamArgs()).create();
    FileSystems.setDefaultPipelineOptions(options);
  }

  @AfterEach
  void defaultOptions() {
    FileSystems.setDefaultPipelineOptions(options);
  }

  @Test
  void serverCreatesContainersThroughTheSdk() throws IOException {
    azurite.createContainer("sdk-container");
    azurite.createContainer("sdk-container"); // idempotent
    FileSystems.setDefaultPipelineOptions(options);
    write(FileSystems.matchNewResource("azfs://any-account/sdk-container/a/one.txt", false), "one");
    assertThat(azurite.blobs("sdk-container", "a/"), equalTo(List.of("a/one.txt")));
    assertArrayEquals(bytes("one"), azurite.get("sdk-container", "a/one.txt"));
  }

  @Test
  void beamWritesReadsAndSeeks() throws IOException {
    ResourceId file = resource("small/hello.txt");
    byte[] content = new byte[3_000_000];
    new Random(7).nextBytes(content);
    write(file, content);

    assertArrayEquals(content, azurite.get(CONTAINER, "small/hello.txt"));
    assertArrayEquals(content, read(file));
    Metadata metadata = FileSystems.matchSingleFileSpec(file.toString());
    assertThat(metadata.sizeBytes(), equalTo(3_000_000L));
    assertThat(metadata.resourceId().toString(), equalTo(ROOT + "small/hello.txt"));
    // Parquet and the verifier read footers first: seek, then read.
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file)) {
      channel.position(2_999_000);
      ByteBuffer tail = ByteBuffer.allocate(1000);
      while (tail.hasRemaining() && channel.read(tail) >= 0) {}
      assertArrayEquals(Arrays.copyOfRange(content, 2_999_000, 3_000_000), tail.array());
      channel.position(5);
      ByteBuffer head = ByteBuffer.allocate(10);
      while (head.hasRemaining() && channel.read(head) >= 0) {}
      assertArrayEquals(Arrays.copyOfRange(content, 5, 15), head.array());
    }
  }

  @Test
  void beamRefusesToCreateABlobThatExists() throws IOException {
    // Why lakeroute deletes before it writes a probe, a manifest or a marker.
    ResourceId file = resource("once/file.txt");
    write(file, "first");
    IOException e = assertThrows(IOException.class, () -> write(file, "second"));
    assertThat(e.getMessage(), equalTo("This filename is already in use."));
    assertArrayEquals(bytes("first"), read(file));
  }

  @Test
  void beamMatchesGlobsAndExactNames() throws IOException {
    for (String name :
        List.of("glob/x.csv", "glob/w.txt", "glob/b/y.csv", "glob/b/c/z.csv", "globber/no.csv")) {
      write(resource(name), name);
    }
    assertThat(
        names(FileSystems.match(ROOT + "glob/*"), ROOT),
        containsInAnyOrder("glob/x.csv", "glob/w.txt"));
    assertThat(
        names(FileSystems.match(ROOT + "glob/*.csv"), ROOT), containsInAnyOrder("glob/x.csv"));
    assertThat(
        names(FileSystems.match(ROOT + "glob/**"), ROOT),
        containsInAnyOrder("glob/x.csv", "glob/w.txt", "glob/b/y.csv", "glob/b/c/z.csv"));
    MatchResult none = FileSystems.match(ROOT + "glob/*.parquet");
    assertThat(none.status(), equalTo(MatchResult.Status.OK));
    assertThat(none.metadata(), empty());
    List<MatchResult> exact =
        FileSystems.match(List.of(ROOT + "glob/x.csv", ROOT + "glob/missing.csv"));
    assertThat(exact.get(0).status(), equalTo(MatchResult.Status.OK));
    assertThat(exact.get(0).metadata().get(0).sizeBytes(), equalTo(10L));
    assertThat(exact.get(1).status(), equalTo(MatchResult.Status.NOT_FOUND));
  }

  @Test
  void beamRenamesByCopyAndDeleteAndOverwritesTheTarget() throws IOException {
    List<ResourceId> sources = new ArrayList<>();
    List<ResourceId> targets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sources.add(resource("rename/staging/part-" + i));
      write(sources.get(i), "part " + i);
      targets.add(resource("rename/run/part-" + i));
    }
    write(targets.get(0), "an earlier run");

    FileSystems.rename(sources, targets);

    assertThat(azurite.blobs(CONTAINER, "rename/staging/"), empty());
    assertThat(
        azurite.blobs(CONTAINER, "rename/run/"),
        equalTo(List.of("rename/run/part-0", "rename/run/part-1", "rename/run/part-2")));
    assertArrayEquals(bytes("part 0"), read(targets.get(0)));
    // A retried publish finds its sources gone.
    FileSystems.rename(sources, targets, StandardMoveOptions.IGNORE_MISSING_FILES);
    assertArrayEquals(bytes("part 2"), read(targets.get(2)));
  }

  @Test
  void beamDeletes() throws IOException {
    List<ResourceId> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      files.add(resource("delete/f" + i));
      write(files.get(i), "f" + i);
    }
    FileSystems.delete(files);
    assertThat(azurite.blobs(CONTAINER, "delete/"), empty());
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  @Test
  void beamReportsAMissingContainer() {
    ResourceId file =
        FileSystems.matchNewResource("azfs://devstoreaccount1/no-such-container/f.txt", false);
    IOException e = assertThrows(IOException.class, () -> write(file, "x"));
    assertThat(
        e.getMessage(),
        equalTo("This container does not exist. Creating containers is not supported."));
  }

  @Test
  void aWrongAccountKeyIsRefused() {
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(
                azurite.endpointArgs()[0],
                azurite.endpointArgs()[1],
                "--accessKey=" + LocalAzurite.KEY.replace('E', 'F'),
                "--blobstoreClientFactoryClass="
                    + io.lakeroute.delivery.AzureBlobClientBuilderFactory.class.getName())
            .create());
    RuntimeException e = assertThrows(RuntimeException.class, () -> write(resource("x"), "x"));
    assertThat(causes(e), containsString("403"));
    // Azure answers AuthenticationFailed; Azurite AuthorizationFailure, with Azure's message.
    assertThat(causes(e), containsString("Server failed to authenticate the request"));
  }

  @Test
  void aConnectionStringWorksOnlyThroughLakeroutesClientFactory() throws IOException {
    String connectionString = "--azureConnectionString=" + azurite.connectionString();
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(
                connectionString,
                "--blobstoreClientFactoryClass="
                    + DefaultBlobstoreClientBuilderFactory.class.getName())
            .create());
    // Beam's factory replaces the connection string's key with DefaultAzureCredential.
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> write(resource("cs/beam.txt"), "x"));
    assertThat(causes(e), containsString("requires https"));

    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(
                connectionString,
                "--blobstoreClientFactoryClass="
                    + io.lakeroute.delivery.AzureBlobClientBuilderFactory.class.getName())
            .create());
    write(resource("cs/staging"), "by connection string");
    FileSystems.rename(List.of(resource("cs/staging")), List.of(resource("cs/run")));
    assertArrayEquals(bytes("by connection string"), read(resource("cs/run")));
  }

  @Test
  void aSasTokenWritesRenamesAndDeletes() throws IOException {
    String sas = azurite.accountSas("racwdl");
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(
                azurite.endpointArgs()[0],
                // Beam appends the token to blob URLs when it copies: it must start with "?".
                "--sasToken=?" + sas,
                "--blobstoreClientFactoryClass="
                    + io.lakeroute.delivery.AzureBlobClientBuilderFactory.class.getName())
            .create());
    write(resource("sas/staging"), "by SAS");
    FileSystems.rename(List.of(resource("sas/staging")), List.of(resource("sas/run")));
    assertArrayEquals(bytes("by SAS"), read(resource("sas/run")));
    FileSystems.delete(List.of(resource("sas/run")));
    assertThat(azurite.blobs(CONTAINER, "sas/"), empty());
  }

  @Test
  void keepsBlobsAcrossARestartOnTheSamePort() throws IOException {
    write(resource("restart/kept.txt"), "kept");
    String endpoint = azurite.blobEndpoint();

    azurite.stop();
    azurite.start();

    assertThat(azurite.blobEndpoint(), equalTo(endpoint));
    assertArrayEquals(bytes("kept"), azurite.get(CONTAINER, "restart/kept.txt"));
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    assertThat(azurite.blobEndpoint(), startsWith("http://127.0.0.1:"));
    LocalServersAssumptions.assertLoopbackOnly("Azurite", azurite.port());
  }

  @Test
  void beamRoundTripsMoreThan300MegabytesUnchanged() throws Exception {
    // Beam's blob output stream uploads blocks and commits the block list on close.
    BeamFiles.roundTripLarge(resource("large/320-mib.bin"), 320L << 20);
  }

  private static ResourceId resource(String name) {
    return FileSystems.matchNewResource(ROOT + name, false);
  }
}
