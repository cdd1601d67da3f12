package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.StallingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14 item 6 for every route: a run fails with exit 75 after its load committed (a service
 * went away), the retry of the same command once the service is back (what the cron wrapper and an
 * Airflow retry send) and one more plain re-run each end with exactly one copy of the run's rows,
 * which the route's test proves by values.
 */
final class OneCopy {
  private OneCopy() {}

  /**
   * The tricky rows, held in the source for half a second per statement: the outage strikes while
   * the source runs it, after the preflight reached every service and before any load.
   */
  static final String HELD_TRICKY_QUERY =
      "--query=SELECT t.* FROM " + RouteFixture.TRICKY + " t CROSS JOIN (SELECT pg_sleep(0.5)) s";

  /** A service that goes away during a run and comes back after it. */
  interface Outage {
    /** Arms the outage before the run starts. */
    void arm() throws Exception;

    /** Brings the service back once the failed run has ended. */
    void heal() throws Exception;
  }

  /** What a route's test asserts after an attempt: one copy of the run's rows, by value. */
  @FunctionalInterface
  interface Copies {
    void assertOne() throws Exception;
  }

  /**
   * Runs {@code args} with {@code outage} striking: exit 75, and {@code loaded} holds (the load
   * committed before the failure); then the same command twice, each ending with exit 0 and {@code
   * oneCopy}.
   */
  static void failAfterLoadRetryAndRerun(
      List<String> args, Outage outage, Copies loaded, Copies oneCopy) throws Exception {
    outage.arm();
    RouteFixture.Outcome failed;
    try {
      failed = RouteFixture.launch(args);
    } finally {
      outage.heal();
    }
    assertThat(failed.err(), failed.code(), equalTo(ExitCode.TRANSIENT));
    assertThat(failed.err(), containsString("Retry the run."));
    loaded.assertOne();
    for (String attempt : List.of("the exit-75 retry", "a plain re-run")) {
      RouteFixture.Outcome outcome = RouteFixture.launch(args);
      assertThat(attempt + ": " + outcome.err(), outcome.code(), equalTo(ExitCode.OK));
      oneCopy.assertOne();
    }
  }

  /**
   * Databricks, reached through {@code relay}, going away while the source runs {@link
   * #HELD_TRICKY_QUERY}: the Databricks step then finds a port nobody listens on.
   */
  static Outage databricksGoesAway(RouteFixture fixture, StallingProxy relay) {
    return new Outage() {
      private CompletableFuture<Void> outage;

      @Override
      public void arm() {
        outage =
            RouteFixture.inBackground(
                () -> {
                  fixture.awaitSourceQuery("%pg_sleep(0.5)%");
                  relay.goDown();
                });
      }

      @Override
      public void heal() throws Exception {
        try {
          outage.get(2, TimeUnit.MINUTES);
        } finally {
          relay.comeBack();
        }
      }
    };
  }

  /**
   * The flags of {@code disposition} for the step whose flags start with {@code step} ({@code
   * warehouse}, {@code databricks}, {@code bigQuery}); a merge is on {@code id}, NULL included.
   */
  static List<String> disposition(String step, String disposition) {
    String flag = "--" + step + "Disposition=" + disposition;
    return disposition.equals("merge")
        ? List.of(flag, "--" + step + "MergeKeys=id")
        : List.of(flag);
  }

  /**
   * The flags of the Databricks step through {@code relay}, writing {@code table} in {@code
   * schema}, then {@code more}.
   */
  static List<String> databricksArgs(
      LocalDatabricks databricks, StallingProxy relay, String schema, String table, String... more)
      throws Exception {
    Path tokenFile = Files.createTempFile("databricks", ".token");
    Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
    tokenFile.toFile().deleteOnExit();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--databricksJdbcUrl="
                    + databricks
                        .jdbcUrlWithoutCredentials()
                        .replace(":" + databricks.port() + "/", ":" + relay.port() + "/"),
                "--databricksTokenFile=" + tokenFile,
                "--databricksDialect=spark",
                "--databricksCatalog=spark_catalog",
                "--databricksSchema=" + schema,
                "--databricksTable=" + table));
    args.addAll(List.of(more));
    return args;
  }
}
