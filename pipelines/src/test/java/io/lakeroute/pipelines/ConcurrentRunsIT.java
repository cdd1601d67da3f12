package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.RouteFixture.Outcome;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalAzurite;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two runs of one run id on each store (S3Mock, Azurite, the GCS server, a local path): the second
 * starts while the first holds the destination's lease, exits 75 naming the holder and touches
 * nothing; the first publishes its own data. Then a lease left by a killed run on another machine,
 * expired, is taken over by the next run. That the store's create-if-absent lets exactly one of two
 * simultaneous runs win is proven in {@code RunLeaseTest} and {@code RunLeaseStoresIT}.
 */
class ConcurrentRunsIT {
  private static final String CONTAINER = "lakeroute-concurrent-it";
  private static final String RUN_ID = "2026-11-21";

  /** Each execution of the query sleeps once: planning and reading hold the first run ~8 s. */
  private static final String SLOW_QUERY =
      "SELECT c.* FROM " + RouteFixture.CUSTOMERS + " c, (SELECT pg_sleep(4)) held";

  private static RouteFixture fixture;

  @TempDir static Path local;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  private static List<String> args(String store, String query) {
    List<String> args = new ArrayList<>();
    String prefix = "concurrent-" + System.nanoTime();
    switch (store) {
      case "s3" -> {
        args.addAll(fixture.args("DirectRunner"));
        args.add("--destination=s3://" + RouteFixture.BUCKET + "/" + prefix);
      }
      case "gcs" -> {
        args.addAll(fixture.gcsArgs("DirectRunner"));
        args.add("--destination=gs://" + RouteFixture.GCS_BUCKET + "/" + prefix);
      }
      case "azure" -> {
        LocalAzurite azurite = LocalAzurite.shared();
        azurite.createContainer(CONTAINER);
        args.addAll(fixture.sourceArgs("DirectRunner"));
        args.addAll(List.of(azurite.endpointArgs()));
        args.add("--route=azure-blob");
        args.add("--azureAccountKeyFile=" + azurite.keyFile());
        args.add("--destination=azfs://" + LocalAzurite.ACCOUNT + "/" + CONTAINER + "/" + prefix);
      }
      case "local" -> {
        args.addAll(fixture.sourceArgs("DirectRunner"));
        args.add("--destination=" + local.resolve(prefix));
      }
      default -> throw new IllegalArgumentException(store);
    }
    args.add("--runId=" + RUN_ID);
    args.add("--format=csv");
    args.add("--query=" + query);
    return args;
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "azure", "gcs", "local"})
  void aSecondRunOfTheSameRunIdWaitsForTheFirstWhichPublishesItsOwnData(String store)
      throws Exception {
    List<String> args = args(store, SLOW_QUERY);
    CompletableFuture<Outcome> first =
        CompletableFuture.supplyAsync(() -> RouteFixture.launch(args));
    awaitQueryOf(first);
    Outcome second = RouteFixture.launch(args);
    Outcome winner = first.get(3, TimeUnit.MINUTES);

    assertThat(winner.err(), winner.code(), equalTo(ExitCode.OK));
    assertThat(second.err(), second.code(), equalTo(ExitCode.TRANSIENT));
    String holder = InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
    assertThat(
        second.err(),
        containsString("run " + RUN_ID + " is in progress at " + destination(args) + " since "));
    assertThat(second.err(), containsString("held by " + holder + "; it expires at "));
    assertThat(second.err(), containsString("retry once that run has ended"));
    assertPublishedOnce(destination(args));
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "azure", "gcs", "local"})
  void aLeaseLeftByAKilledRunIsTakenOverOnceExpired(String store) throws Exception {
    List<String> args = args(store, "SELECT * FROM " + RouteFixture.CUSTOMERS);
    // A dry run readies Beam's filesystem of the store, and writes nothing.
    Outcome configure = RouteFixture.launch(with(args, "--dryRun=true"));
    assertThat(configure.err(), configure.code(), equalTo(ExitCode.OK));
    Layout layout = Layout.of(destination(args), RUN_ID);
    // What a run killed on another machine leaves behind, past its expiry.
    Instant expired = Instant.now().minusSeconds(1);
    write(
        layout.lease(),
        "{\"runId\":\""
            + RUN_ID
            + "\",\"host\":\"killed-host\",\"pid\":4242,\"token\":\"killed\",\"acquiredAt\":\""
            + expired.minusSeconds(600)
            + "\",\"expiresAt\":\""
            + expired
            + "\"}");

    Outcome next = RouteFixture.launch(args);

    assertThat(next.err(), next.code(), equalTo(ExitCode.OK));
    assertPublishedOnce(layout.destination());
  }

  /** Waits until the first run is past its preflight, holding the lease: its query runs. */
  private static void awaitQueryOf(CompletableFuture<Outcome> first) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (first.isDone()) {
        throw new AssertionError("the first run ended before its query ran: " + first.get().err());
      }
      try (Connection connection = fixture.postgres.connect();
          ResultSet running =
              connection
                  .createStatement()
                  .executeQuery(
                      "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active'"
                          + " AND query LIKE '%pg_sleep(4)%' AND pid <> pg_backend_pid()")) {
        running.next();
        if (running.getLong(1) > 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the first run's query never ran");
  }

  /**
   * The run's folder holds one run's files, as its manifest lists them (rows and SHA-256), no
   * staging is left, and the lease is released.
   */
  private static void assertPublishedOnce(String destination) throws Exception {
    Layout layout = Layout.of(destination, RUN_ID);
    Manifest manifest = Manifest.fromJson(read(layout.manifest()));
    assertThat(manifest.runId(), equalTo(RUN_ID));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    long rows = 0;
    for (Manifest.FileEntry file : manifest.files()) {
      byte[] bytes = bytes(FileSystems.matchNewResource(file.uri(), false));
      assertThat(file.name() + " sha256", sha256(bytes), equalTo(file.sha256()));
      rows += file.rows();
    }
    assertThat(rows, equalTo(RouteFixture.CUSTOMER_ROWS));
    // The files, the manifest, _SUCCESS and _COMPLETE.
    assertThat(
        names(layout.runDirectory().toString() + "*").size(), equalTo(manifest.fileCount() + 3));
    assertThat(names(layout.stagingDirectory().toString() + "**"), empty());
    assertThat(names(layout.lease().toString()), empty());
  }

  private static String destination(List<String> args) {
    String given =
        args.stream()
            .filter(a -> a.startsWith("--destination="))
            .findFirst()
            .orElseThrow()
            .substring("--destination=".length());
    return Layout.of(given, RUN_ID).destination();
  }

  private static List<String> with(List<String> args, String more) {
    List<String> all = new ArrayList<>(args);
    all.add(more);
    return all;
  }

  private static List<String> names(String pattern) throws IOException {
    MatchResult match = FileSystems.match(pattern);
    List<String> names = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata metadata : match.metadata()) {
        if (!metadata.resourceId().isDirectory()) {
          names.add(metadata.resourceId().toString());
        }
      }
    }
    return names;
  }

  private static void write(ResourceId file, String content) throws IOException {
    try (WritableByteChannel out = FileSystems.create(file, "application/json")) {
      out.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String read(ResourceId file) throws IOException {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
