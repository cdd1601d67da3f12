package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.launch.Launcher;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.query.Cursor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where an incremental run starts, read from manifests in a local destination, and the dispositions
 * it refuses; server-free.
 */
class IncrementalTest {
  @TempDir Path destination;

  @Test
  void theMarkIsTheHighestAmongCompleteRunsAndAnIncompleteRunIsReadAgain() throws Exception {
    publish("2026-12-01", new Cursor.Range("seq", "int64", null, "9"), true);
    publish("2026-12-02", new Cursor.Range("seq", "int64", "9", "120"), true);
    // A backfill of an older date, run later, has the lower mark: the highest still wins.
    publish("2026-11-30", new Cursor.Range("seq", "int64", null, "5"), true);
    // Published but its Databricks step failed: not complete, so its rows are read again.
    publish("2026-12-03", new Cursor.Range("seq", "int64", "120", "200"), false);

    Incremental.Start start = resolve("2026-12-04", "--cursorColumn=seq", "--cursorLag=20");
    assertThat(start.mode(), equalTo("incremental"));
    assertThat(start.previousMark(), equalTo("120"));
    assertThat(start.markRun(), equalTo("2026-12-02"));
    assertThat(start.cursor(), equalTo(Cursor.on("seq").withLag("20").after("120")));
  }

  @Test
  void aRerunReplaysItsOwnRangeAndAFullRefreshReadsEverything() throws Exception {
    publish("2026-12-02", new Cursor.Range("seq", "int64", "9", "120"), true);
    publish("2026-12-03", new Cursor.Range("seq", "int64", "120", "200"), false);

    Incremental.Start replay = resolve("2026-12-03", "--cursorColumn=seq");
    assertThat(replay.mode(), equalTo("replay"));
    assertThat(
        replay.cursor(),
        equalTo(Cursor.on("seq").replaying(new Cursor.Range("seq", "int64", "120", "200"))));

    Incremental.Start full = resolve("2026-12-03", "--cursorColumn=seq", "--fullRefresh");
    assertThat(full.mode(), equalTo("full-refresh"));
    assertThat(full.cursor(), equalTo(Cursor.on("seq")));
  }

  @Test
  void aNewDestinationOrAnotherCursorStartsFromTheBeginning() throws Exception {
    assertThat(resolve("2026-12-01", "--cursorColumn=seq").mode(), equalTo("first"));
    publish(
        "2026-12-01", new Cursor.Range("updated_at", "timestamp", null, "2026-12-01T10:00"), true);
    Incremental.Start other = resolve("2026-12-02", "--cursorColumn=seq");
    assertThat(other.mode(), equalTo("first"));
    assertThat(other.previousMark(), nullValue());
    assertThat(resolve("2026-12-02"), nullValue());
  }

  @Test
  void tablesThatWouldLoseOrDoubleRowsAreRefusedNamingTheOption() {
    IllegalArgumentException replace =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Incremental.check(
                    options("--cursorColumn=id", "--databricksMode=delta"),
                    "s3",
                    Set.of(Step.DATABRICKS)));
    assertThat(replace.getMessage(), containsString("--databricksDisposition=replace would leave"));
    IllegalArgumentException external =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Incremental.check(
                    options("--cursorColumn=id", "--databricksDisposition=append"),
                    "s3",
                    Set.of(Step.DATABRICKS)));
    assertThat(external.getMessage(), containsString("use --databricksMode=delta"));
    IllegalArgumentException lag =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Incremental.check(
                    options("--cursorColumn=id", "--cursorLag=10"), "redshift", Set.of(Step.LOAD)));
    assertThat(
        lag.getMessage(),
        containsString("would add them twice: use --warehouseDisposition=merge with"));
    IllegalArgumentException bigQuery =
        assertThrows(
            IllegalArgumentException.class,
            () -> Incremental.check(options("--cursorColumn=id"), "bigquery", Set.of(Step.LOAD)));
    assertThat(bigQuery.getMessage(), containsString("--bigQueryDisposition=replace"));

    // What keeps every row: merge with a lag, append without, files only with anything.
    Incremental.check(
        options(
            "--cursorColumn=id",
            "--cursorLag=10",
            "--databricksMode=delta",
            "--databricksDisposition=merge",
            "--warehouseDisposition=merge"),
        "redshift",
        Set.of(Step.LOAD, Step.DATABRICKS));
    Incremental.check(options("--cursorColumn=id"), "redshift", Set.of(Step.LOAD));
    Incremental.check(options("--cursorColumn=id", "--fullRefresh"), "s3", Set.of());
  }

  @Test
  void aLagOrAFullRefreshWithoutACursorIsRefused() {
    IllegalArgumentException lag =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunConfig.from(options("--cursorLag=PT1H"), name -> null));
    assertThat(lag.getMessage(), containsString("give the cursor column too (--cursorColumn)"));
  }

  private void publish(String runId, Cursor.Range range, boolean complete) throws Exception {
    Path run = Files.createDirectories(destination.resolve(runId));
    Manifest manifest =
        new Manifest(
            Manifest.VERSION,
            runId,
            "2026-12-07T00:00:00Z",
            run.toString(),
            "parquet",
            "snappy",
            null,
            0,
            0,
            0,
            List.of(),
            List.of(),
            null,
            range,
            null);
    Files.writeString(run.resolve(Layout.MANIFEST), manifest.toJson());
    Files.writeString(run.resolve(Layout.DONE_MARKER), "{}");
    if (complete) {
      Files.writeString(run.resolve(Layout.COMPLETE_MARKER), "{}");
    }
  }

  private Incremental.Start resolve(String runId, String... flags) {
    RouteOptions options = options(flags);
    RunConfig run = RunConfig.from(withRunId(options, runId), name -> null);
    return Incremental.resolve(run, run.layout());
  }

  private RouteOptions withRunId(RouteOptions options, String runId) {
    options.setRunId(runId);
    return options;
  }

  private RouteOptions options(String... flags) {
    List<String> args = new ArrayList<>(Arrays.asList(flags));
    args.add("--jdbcUrl=jdbc:h2:mem:incremental_test");
    args.add("--query=SELECT 1 AS seq");
    args.add("--destination=" + destination);
    return Launcher.parse(args.toArray(new String[0]));
  }
}
