package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.LocalAzurite;
import io.lakeroute.testing.LocalGcs;
import io.lakeroute.testing.LocalS3;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run lease on each object store's local stand-in (S3Mock, Azurite, the GCS server): of runs
 * that start together exactly one holds it, a second is refused naming the holder, an expired one
 * is taken over, the holder renews it and leaves a lease taken over from it alone.
 */
class RunLeaseStoresIT {
  private static final String BUCKET = "run-lease-it";

  /** Beam options reaching the store, and a fresh destination on it. */
  private record Store(PipelineOptions options, String destination) {}

  private static Store store(String name) {
    String prefix = "/leases-" + UUID.randomUUID();
    Store store =
        switch (name) {
          case "s3" -> {
            LocalS3 s3 = LocalS3.shared();
            s3.createBucket(BUCKET);
            yield new Store(options(s3.beamArgs()), "s3://" + BUCKET + prefix);
          }
          case "azure" -> {
            LocalAzurite azurite = LocalAzurite.shared();
            azurite.createContainer(BUCKET);
            yield new Store(
                options(azurite.beamArgs()),
                "azfs://" + LocalAzurite.ACCOUNT + "/" + BUCKET + prefix);
          }
          case "gcs" -> {
            LocalGcs gcs = LocalGcs.shared();
            gcs.createBucket(BUCKET);
            yield new Store(options(gcs.beamArgs()), "gs://" + BUCKET + prefix);
          }
          default -> throw new IllegalArgumentException(name);
        };
    FileSystems.setDefaultPipelineOptions(store.options());
    return store;
  }

  private static PipelineOptions options(String[] args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().create();
  }

  /**
   * S3Mock 5.2.0 checks {@code If-None-Match} and then writes, without a lock between the two
   * (ObjectController.putObject), so simultaneous creates can both succeed there; Amazon S3 makes
   * the check and the write one step. The race is proven on the stores whose stand-ins are atomic.
   */
  @ParameterizedTest
  @ValueSource(strings = {"azure", "gcs"})
  void ofRunsStartingTogetherExactlyOneHoldsTheLease(String name) throws Exception {
    Store store = store(name);
    Layout layout = Layout.of(store.destination(), "r1");
    int runs = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    List<Future<RunLease>> attempts = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      attempts.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  return RunLease.acquire(layout, Duration.ofMinutes(10), store.options());
                } catch (RunInProgressException refused) {
                  return null;
                }
              }));
    }
    start.countDown();
    List<RunLease> held = new ArrayList<>();
    for (Future<RunLease> attempt : attempts) {
      if (attempt.get() != null) {
        held.add(attempt.get());
      }
    }
    pool.shutdown();
    assertThat(held.size(), equalTo(1));
    held.get(0).close();
    assertThat(exists(layout), equalTo(false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "azure", "gcs"})
  void aSecondRunIsRefusedNamingTheHolderUntilTheFirstReleases(String name) throws Exception {
    Store store = store(name);
    Layout layout = Layout.of(store.destination(), "r1");
    try (RunLease first = RunLease.acquire(layout, Duration.ofMinutes(10), store.options())) {
      RunInProgressException refused =
          assertThrows(
              RunInProgressException.class,
              () -> RunLease.acquire(layout, Duration.ofMinutes(10), store.options()));
      assertThat(
          refused.getMessage(),
          containsString("run r1 is in progress at " + store.destination() + " since "));
      assertThat(refused.getMessage(), containsString("/" + ProcessHandle.current().pid()));
      assertThat(refused.expiresAt(), equalTo(first.expiresAt()));
      assertThat(RunLease.heldByLiveRun(layout), equalTo(true));
    }
    assertThat(exists(layout), equalTo(false));
    RunLease.acquire(layout, Duration.ofMinutes(10), store.options()).close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "azure", "gcs"})
  void anExpiredLeaseIsTakenOverRenewedAndLeftAloneOnceTakenFromIt(String name) throws Exception {
    Store store = store(name);
    Layout layout = Layout.of(store.destination(), "r1");
    write(layout, "killed-host", Instant.now().minusSeconds(1));
    try (RunLease lease = RunLease.acquire(layout, Duration.ofSeconds(3), store.options())) {
      assertThat(read(layout), containsString("\"pid\" : " + ProcessHandle.current().pid()));
      Instant first = lease.expiresAt();
      awaitRenewal(() -> lease.expiresAt().isAfter(first));
      assertThat(lease.expiresAt(), greaterThan(first));
      write(layout, "later-host", Instant.now().plusSeconds(600));
      awaitRenewal(lease::lost);
      assertThat(lease.lost(), equalTo(true));
    }
    assertThat(read(layout), containsString("later-host"));
  }

  private static void write(Layout layout, String host, Instant expiresAt) throws IOException {
    String json =
        "{\"runId\":\"r1\",\"host\":\""
            + host
            + "\",\"pid\":4242,\"token\":\""
            + host
            + "\",\"acquiredAt\":\""
            + expiresAt.minusSeconds(3600)
            + "\",\"expiresAt\":\""
            + expiresAt
            + "\"}";
    try (WritableByteChannel out = Staging.createReplacing(layout.lease(), "application/json")) {
      out.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String read(Layout layout) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(layout.lease()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean exists(Layout layout) throws IOException {
    return FileSystems.match(layout.lease().toString()).status() == MatchResult.Status.OK;
  }

  /** Waits, up to 30 s, for the lease's renewal thread (every ttl/3) to make {@code done} true. */
  private static void awaitRenewal(java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
