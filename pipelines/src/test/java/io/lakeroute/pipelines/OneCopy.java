package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.StallingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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

  /** The run id of the runs through Databricks; a warehouse keeps it in every row. */
  static final String RUN_ID = "r1";

  /**
   * The tricky rows, held in the source for half a second per statement: the outage strikes while
   * the source runs it, after the preflight reached every service and before any load.
   */
  private static final String HELD_TRICKY_QUERY =
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
    assertThat(failed.err(), containsString("stay published"));
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
  private static Outage databricksGoesAway(RouteFixture fixture, StallingProxy relay) {
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
   * Routes 2 and 4: {@code args} (the route's, without query or run id) in {@code disposition},
   * Databricks reading the warehouse table as {@code schema.table}; after each attempt {@code
   * warehouse} holds, and Databricks shows every value of the tricky rows once.
   */
  static void ofAWarehouseRoute(
      List<String> args, String disposition, String schema, String table, Copies warehouse)
      throws Exception {
    viaDatabricks(
        args,
        disposition("warehouse", disposition),
        schema,
        table,
        warehouse,
        () -> {
          warehouse.assertOne();
          try (Connection connection = LocalDatabricks.shared().connect()) {
            DatabricksRows.assertTrickyRows(connection, schema + "." + table, "csv", RUN_ID);
          }
        });
  }

  /**
   * Routes 1 and 3: {@code args} (the route's and its destination, without query or run id) in
   * Parquet, loaded into Delta table {@code table} of {@link DatabricksRouteIT#SCHEMA} in {@code
   * disposition}; after the failure {@code published} holds, after each later attempt the table
   * holds every value of the tricky rows once.
   */
  static void ofAFilesRoute(List<String> args, String disposition, String table, Copies published)
      throws Exception {
    List<String> flags = new ArrayList<>(List.of("--format=parquet", "--databricksMode=delta"));
    flags.addAll(disposition("databricks", disposition));
    viaDatabricks(
        args,
        flags,
        DatabricksRouteIT.SCHEMA,
        table,
        published,
        () -> DatabricksRouteIT.assertSameRows(table, FileFormat.PARQUET));
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

  /** The sequence with Databricks, reached through a relay, going away mid-run. */
  private static void viaDatabricks(
      List<String> args,
      List<String> flags,
      String schema,
      String table,
      Copies loaded,
      Copies oneCopy)
      throws Exception {
    LocalDatabricks databricks = LocalDatabricks.shared();
    try (StallingProxy relay = StallingProxy.passing(databricks.port())) {
      Path tokenFile = Files.createTempFile("databricks", ".token");
      Files.writeString(tokenFile, LocalDatabricks.TOKEN + "\n");
      tokenFile.toFile().deleteOnExit();
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of(HELD_TRICKY_QUERY, "--runId=" + RUN_ID));
      all.addAll(flags);
      all.addAll(
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
      failAfterLoadRetryAndRerun(
          all, databricksGoesAway(RouteFixture.get(), relay), loaded, oneCopy);
    }
  }
}
