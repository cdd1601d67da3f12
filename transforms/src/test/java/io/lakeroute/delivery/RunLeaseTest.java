package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run lease on a local path: fast, no server. The object stores: {@code RunLeaseStoresIT}. */
class RunLeaseTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  @TempDir Path temp;

  private Layout layout() {
    return Layout.of(temp.resolve("out").toString(), "2026-11-21");
  }

  private Path leaseFile() {
    return temp.resolve("out/_lakeroute_leases/2026-11-21.json");
  }

  @Test
  void aSecondRunIsRefusedNamingTheHolderUntilTheFirstReleases() {
    RunLease first = RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS);
    RunInProgressException refused =
        assertThrows(
            RunInProgressException.class,
            () -> RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS));
    assertThat(
        refused.getMessage(),
        containsString("run 2026-11-21 is in progress at " + temp.resolve("out") + " since "));
    assertThat(
        refused.getMessage(), containsString("held by " + refused.holder() + "; it expires at "));
    assertThat(refused.holder(), containsString("/" + ProcessHandle.current().pid()));
    assertThat(refused.expiresAt(), equalTo(first.expiresAt()));
    assertThat(RunLease.heldByLiveRun(layout()), equalTo(true));

    first.close();
    assertThat(Files.exists(leaseFile()), equalTo(false));
    assertThat(RunLease.heldByLiveRun(layout()), equalTo(false));
    RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS).close();
  }

  @Test
  void ofRunsStartingTogetherExactlyOneHoldsTheLease() throws Exception {
    int runs = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    List<Future<RunLease>> attempts = new ArrayList<>();
    Callable<RunLease> attempt =
        () -> {
          start.await();
          try {
            return RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS);
          } catch (RunInProgressException refused) {
            return null;
          }
        };
    for (int i = 0; i < runs; i++) {
      attempts.add(pool.submit(attempt));
    }
    start.countDown();
    List<RunLease> held = new ArrayList<>();
    for (Future<RunLease> f : attempts) {
      if (f.get() != null) {
        held.add(f.get());
      }
    }
    pool.shutdown();
    assertThat(held.size(), equalTo(1));
    held.get(0).close();
  }

  @Test
  void anExpiredLeaseIsTakenOver() throws Exception {
    writeLease("other-host", 4242, Instant.now().minusSeconds(60));
    try (RunLease lease = RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS)) {
      assertThat(lease.expiresAt(), greaterThan(Instant.now()));
      assertThat(
          Files.readString(leaseFile()),
          containsString("\"pid\" : " + ProcessHandle.current().pid()));
    }
  }

  @Test
  void anUnexpiredLeaseOfAnotherHostIsWaitedFor() throws Exception {
    writeLease("other-host", 4242, Instant.now().plusSeconds(600));
    RunInProgressException refused =
        assertThrows(
            RunInProgressException.class,
            () -> RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS));
    assertThat(refused.getMessage(), containsString("held by other-host/4242"));
  }

  @Test
  void aLeaseOfAProcessOfThisMachineThatNoLongerRunsIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    // The same lease as this process would write, but of a process that has ended.
    String mine = new String(RunLease.Holder.mine("2026-11-21", Duration.ofMinutes(10)).json());
    Files.createDirectories(leaseFile().getParent());
    Files.writeString(
        leaseFile(),
        mine.replace("\"pid\" : " + ProcessHandle.current().pid(), "\"pid\" : " + gone.pid()));
    try (RunLease lease = RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS)) {
      assertThat(lease.lost(), equalTo(false));
    }
  }

  @Test
  void aLeaseLeftByAnEndedRunOfThisProcessIsTakenOverAtOnce() throws Exception {
    // What a run leaves when its store is down as it ends, and a retry runs in the same process.
    Files.createDirectories(leaseFile().getParent());
    Files.write(leaseFile(), RunLease.Holder.mine("2026-11-21", Duration.ofMinutes(10)).json());
    try (RunLease lease = RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS)) {
      RunInProgressException refused =
          assertThrows(
              RunInProgressException.class,
              () -> RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS));
      assertThat(refused.expiresAt(), equalTo(lease.expiresAt()));
    }
  }

  @Test
  void theHolderRenewsItsLeaseAndLeavesATakenOverOneAlone() throws Exception {
    try (RunLease lease = RunLease.acquire(layout(), Duration.ofSeconds(3), OPTIONS)) {
      Instant first = lease.expiresAt();
      awaitRenewal(() -> lease.expiresAt().isAfter(first));
      assertThat(lease.expiresAt(), greaterThan(first));
      assertThat(RunLease.heldByLiveRun(layout()), equalTo(true));
      writeLease("other-host", 4242, Instant.now().plusSeconds(600));
      awaitRenewal(lease::lost);
      assertThat(lease.lost(), equalTo(true));
    }
    assertThat(Files.readString(leaseFile()), containsString("other-host"));
  }

  @Test
  void stagingCleanupSparesAnOldFolderWhoseRunHoldsALiveLease() throws Exception {
    Layout running = Layout.of(temp.resolve("out").toString(), "long-run");
    Path file = temp.resolve("out/_lakeroute_staging/long-run/part-0.csv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "untouched for two days");
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(2))));

    try (RunLease lease = RunLease.acquire(running, Duration.ofMinutes(10), OPTIONS)) {
      Staging.cleanAbandoned(layout(), Duration.ofHours(24));
      assertThat(Files.exists(file), equalTo(true));
    }
    Staging.cleanAbandoned(layout(), Duration.ofHours(24));
    assertThat(Files.exists(file), equalTo(false));
  }

  @Test
  void anUnreadableLeaseIsTakenOver() throws Exception {
    Files.createDirectories(leaseFile().getParent());
    Files.writeString(leaseFile(), "{ half a lease");
    RunLease.acquire(layout(), Duration.ofMinutes(10), OPTIONS).close();
  }

  private void writeLease(String host, long pid, Instant expiresAt) throws Exception {
    Files.createDirectories(leaseFile().getParent());
    String json =
        "{\"runId\":\"2026-11-21\",\"host\":\""
            + host
            + "\",\"pid\":"
            + pid
            + ",\"token\":\"t-"
            + pid
            + "\",\"acquiredAt\":\""
            + expiresAt.minusSeconds(3600)
            + "\",\"expiresAt\":\""
            + expiresAt
            + "\"}";
    // Replaced whole, as a store's put would, so a renewal never reads half of it.
    Path next = leaseFile().resolveSibling("written");
    Files.writeString(next, json, StandardCharsets.UTF_8);
    Files.move(
        next,
        leaseFile(),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
