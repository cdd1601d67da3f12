package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.StallingProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that keeps its connections open but stops answering ends the run as transient (exit 75)
 * within the stall timeout, with its summary written and nothing published, instead of leaving a
 * scheduler waiting forever. The hung service is a {@link StallingProxy} in front of PostgreSQL or
 * S3Mock: a relay that, past a number of bytes, passes nothing on and closes nothing.
 */
class StallIT {
  private static final int STALL_SECONDS = 5;
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  private List<String> args(String sourceUrl, String s3Endpoint, String prefix) {
    List<String> args = new ArrayList<>();
    args.add("--runner=DirectRunner");
    args.add("--jdbcUrl=" + sourceUrl);
    args.add("--jdbcUser=" + fixture.postgres.user());
    args.add("--jdbcPasswordFile=" + fixture.passwordFile);
    for (String arg : fixture.s3.launcherArgs()) {
      args.add(arg.startsWith("--endpoint=") ? "--endpoint=" + s3Endpoint : arg);
    }
    args.add("--query=SELECT * FROM " + RouteFixture.CUSTOMERS);
    args.add("--partitionColumn=id");
    args.add("--partitions=2");
    args.add("--format=csv");
    args.add("--stallTimeoutSeconds=" + STALL_SECONDS);
    args.add("--logicalDate=2026-12-07");
    args.add("--destination=s3://" + RouteFixture.BUCKET + "/" + prefix);
    args.add("--summaryPath=" + temp.resolve("summary.json"));
    return args;
  }

  /** Runs, checks the transient end, and returns how long the run took. */
  private Duration assertEndsTransient(List<String> args, String prefix) throws Exception {
    long start = System.nanoTime();
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.TRANSIENT));
    assertThat(outcome.err(), containsString("stall timeout (--stallTimeoutSeconds)"));
    assertThat(outcome.err(), containsString("Retry the run"));
    String summary = RouteFixture.slurp(temp.resolve("summary.json"));
    assertThat(summary, containsString("\"status\" : \"failed\""));
    assertThat(summary, containsString("\"exitCode\" : 75"));
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, prefix + "/2026-12-07/"), empty());
    return took;
  }

  @Test
  void aSourceThatStopsAnsweringMidReadEndsTheRunAsTransient() throws Exception {
    int port = URI.create(fixture.postgres.jdbcUrl().substring("jdbc:".length())).getPort();
    // The planning queries answer a few kilobytes; the partitions' rows are megabytes.
    try (StallingProxy proxy = StallingProxy.afterAnswered(port, 256 * 1024)) {
      String url = fixture.postgres.jdbcUrl().replace(":" + port + "/", ":" + proxy.port() + "/");
      Duration took =
          assertEndsTransient(args(url, fixture.s3.endpoint(), "stall-source"), "stall-source");
      assertThat(proxy.stalled(), equalTo(true));
      System.out.println("A stalled source ended the run in " + took);
      // A hang never ends; the bound leaves room for a slow machine's pipeline start and cleanup.
      assertThat(took.toString(), took, lessThan(Duration.ofMinutes(3)));
    }
  }

  @Test
  void anObjectStoreThatStopsAnsweringMidUploadEndsTheRunAsTransient() throws Exception {
    int port = URI.create(fixture.s3.endpoint()).getPort();
    // The lease and the checks before the run send little; the files' upload megabytes.
    try (StallingProxy proxy = StallingProxy.afterSent(port, 512 * 1024)) {
      Duration took =
          assertEndsTransient(
              args(fixture.postgres.jdbcUrl(), "http://127.0.0.1:" + proxy.port(), "stall-store"),
              "stall-store");
      assertThat(proxy.stalled(), equalTo(true));
      System.out.println("A stalled object store ended the run in " + took);
      assertThat(took.toString(), took, lessThan(Duration.ofMinutes(4)));
    }
  }
}
