package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.demo.CustomerTable;
import io.lakeroute.pipelines.run.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in the middle of a delivery, against PostgreSQL 15 and S3Mock on loopback: the process
 * killed, the object store stopped, the source restarted. Each time nothing partial becomes visible
 * at the run's folder, the exit code says what happened, and a plain re-run heals without
 * duplicating anything. The fault is injected once the source is streaming a partition's rows (seen
 * in {@code pg_stat_activity}), so it always lands mid-write.
 */
class FaultIT {
  private static final String TABLE = "faults";
  private static final long ROWS = 1_000_000;
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    try (Connection connection = fixture.postgres.connect()) {
      connection.createStatement().execute("DROP TABLE IF EXISTS " + TABLE);
      CustomerTable.createWithCopy(connection, TABLE, ROWS);
    }
  }

  private static List<String> args(String prefix) {
    // Small upload parts, so that the object store is written to while rows stream.
    return fixture.args(
        "DirectRunner",
        "--query=SELECT * FROM " + TABLE,
        "--format=csv",
        "--partitionColumn=id",
        "--partitions=4",
        "--s3UploadBufferSizeBytes=5242880",
        "--logicalDate=2026-11-21",
        "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix);
  }

  private static List<String> keys(String prefix) {
    return fixture.s3.keys(RouteFixture.BUCKET, prefix);
  }

  /** Waits until a partition's rows stream from the source, then a second more. */
  private static void awaitStreaming() throws Exception {
    fixture.awaitSourceQuery("SELECT * FROM (SELECT * FROM " + TABLE + ") lakeroute_q WHERE%");
    Thread.sleep(1000);
  }

  /** After a fault: no run folder content at all, and a re-run delivers every row once. */
  private static void assertNothingVisibleThenARerunHeals(String prefix) throws Exception {
    assertThat(keys(prefix + "/2026-11-21/"), empty());
    RouteFixture.Outcome rerun = RouteFixture.launch(args(prefix));
    assertThat(rerun.err(), rerun.code(), equalTo(ExitCode.OK));
    Manifest manifest =
        Manifest.fromJson(
            new String(
                fixture.s3.get(RouteFixture.BUCKET, prefix + "/2026-11-21/_manifest.json"),
                StandardCharsets.UTF_8));
    assertThat(manifest.rowCount(), equalTo(ROWS));
    // Four files, the manifest, _SUCCESS and _COMPLETE.
    assertThat(keys(prefix + "/2026-11-21/").size(), equalTo(4 + 3));
    assertThat(keys(prefix + "/_lakeroute_staging/"), empty());
  }

  @Test
  void aProcessKilledDuringDeliveryLeavesNothingVisibleAndARerunHeals() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-jar");
    command.add(System.getProperty("lakeroute.jar"));
    command.addAll(args("fault-kill"));
    Path log = temp.resolve("killed.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitStreaming();
      assertThat(Files.readString(log), process.isAlive(), equalTo(true));
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } finally {
      process.destroyForcibly();
    }
    assertThat(keys("fault-kill/"), not(hasItem("fault-kill/2026-11-21/_SUCCESS")));
    assertNothingVisibleThenARerunHeals("fault-kill");
  }

  @Test
  void anObjectStoreStoppedMidWriteFailsRetryablyAndARerunHeals() throws Exception {
    CompletableFuture<Void> outage =
        RouteFixture.inBackground(
            () -> {
              awaitStreaming();
              fixture.s3.stop();
            });
    RouteFixture.Outcome outcome;
    try {
      outcome = RouteFixture.launch(args("fault-store"));
      outage.get(2, TimeUnit.MINUTES);
    } finally {
      fixture.s3.start();
    }
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.TRANSIENT));
    assertThat(outcome.err(), containsString("Retry the run."));
    assertNothingVisibleThenARerunHeals("fault-store");
  }

  @Test
  void aSourceRestartedMidReadFailsRetryablyAndARerunHeals() throws Exception {
    CompletableFuture<Void> restart =
        RouteFixture.inBackground(
            () -> {
              awaitStreaming();
              fixture.postgres.stop();
              fixture.postgres.start();
            });
    RouteFixture.Outcome outcome = RouteFixture.launch(args("fault-source"));
    restart.get(2, TimeUnit.MINUTES);
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.TRANSIENT));
    assertThat(outcome.err(), containsString("Reading partition"));
    assertNothingVisibleThenARerunHeals("fault-source");
  }
}
