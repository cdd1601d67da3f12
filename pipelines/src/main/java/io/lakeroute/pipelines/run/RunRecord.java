package io.lakeroute.pipelines.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.config.Incremental;
import io.lakeroute.query.Cursor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run did, step by step, kept while it runs so that a failed run reports as much as a good
 * one. It becomes one entry of the JSON summary ({@link #toJson}); its schema is documented in
 * docs/operations.md ("Run summary") and only ever grows.
 */
public final class RunRecord {
  public static final int SCHEMA_VERSION = 1;
  public static final List<String> STEPS =
      List.of("preflight", "plan", "deliver", "load", "databricks");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, String> status = new LinkedHashMap<>();
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private final Instant startedAt = Instant.now();
  private String table;
  private String route;
  private String runner;
  private String runId;
  private String logicalDate;
  private String fromStep = Step.QUERY.id();
  private String location;
  private Instant finishedAt;
  private Long queryRows;
  private Long databricksRows;
  private Long warehouseRows;
  private long valuesInSource = -1;
  private Map<String, String> valuesLeftOut = Map.of();
  private long valuesInWarehouse = -1;
  private long valuesInDatabricks = -1;
  private Manifest manifest;
  private String consistency;
  private RunFailure failure;
  private String failedStep;
  private Map<String, Object> lineage;
  private Incremental.Start cursorStart;
  private Cursor.Range cursorRange;
  private boolean alreadyComplete;
  private ObjectNode reported;

  public RunRecord() {
    STEPS.forEach(s -> status.put(s, "not_run"));
  }

  /**
   * The record of a run another process made and reported in its JSON summary (a job's table run in
   * a JVM of its own), entered in this command's summary as it was reported.
   */
  public static RunRecord reported(ObjectNode run) {
    RunRecord record = new RunRecord();
    record.reported = run;
    record.table = run.path("table").asText(null);
    return record;
  }

  public void identify(
      String route, String runner, String runId, String logicalDate, String fromStep) {
    this.route = route;
    this.runner = runner;
    this.runId = runId;
    this.logicalDate = logicalDate;
    this.fromStep = fromStep;
  }

  /** The job file's name of the table this run delivers; null outside a job. */
  public void table(String table) {
    this.table = table;
  }

  public String table() {
    return table;
  }

  public void location(String location) {
    this.location = location;
  }

  /** Records how {@code step} ended and how long it took. */
  public void step(String step, String outcome, double stepSeconds) {
    status.put(step, outcome);
    seconds.put(step, stepSeconds);
  }

  public void skipped(String step) {
    status.put(step, "skipped");
  }

  /** The run failed in {@code step} (null when it failed before any step began). */
  public void failed(RunFailure failure, String step, double stepSeconds) {
    this.failure = failure;
    this.failedStep = step;
    if (step != null) {
      step(step, "failed", stepSeconds);
    }
  }

  /** Records {@code failure} unless a step already recorded the run's failure. */
  public void failedUnlessRecorded(RunFailure failure) {
    if (this.failure == null) {
      failed(failure, failure.step(), 0);
    }
  }

  /**
   * The columns whose fingerprints the source showed equal to the rows read, and the warehouse and
   * Databricks to the files' (-1: not compared there), and the columns the warehouse left out, each
   * with why.
   */
  public void values(
      long inSource, long inWarehouse, long inDatabricks, Map<String, String> leftOut) {
    this.valuesInSource = inSource;
    this.valuesLeftOut = Map.copyOf(leftOut);
    this.valuesInWarehouse = inWarehouse;
    this.valuesInDatabricks = inDatabricks;
  }

  public void counts(Long queryRows, Long warehouseRows, Long databricksRows) {
    this.queryRows = queryRows;
    this.warehouseRows = warehouseRows;
    this.databricksRows = databricksRows;
  }

  /** What became of the run's OpenLineage events; null when none were asked for. */
  public void lineage(Map<String, Object> lineage) {
    this.lineage = lineage;
  }

  /** How the run's partitions saw one state of the source (QueryPlan.consistency()). */
  public void consistency(String consistency) {
    this.consistency = consistency;
  }

  /** A job's table whose run for this date completed before: nothing was run again. */
  public void alreadyComplete(String location) {
    this.alreadyComplete = true;
    this.location = location;
    STEPS.forEach(this::skipped);
  }

  /** How an incremental run chose where to start reading ({@link Incremental}). */
  public void cursorStart(Incremental.Start start) {
    this.cursorStart = start;
  }

  public Incremental.Start cursorStart() {
    return cursorStart;
  }

  /** The cursor range the run read, as planned in its snapshot. */
  public void cursorRange(Cursor.Range range) {
    this.cursorRange = range;
  }

  public void manifest(Manifest manifest) {
    this.manifest = manifest;
  }

  public void finish() {
    finishedAt = Instant.now();
  }

  public boolean ok() {
    return reported != null ? !"failed".equals(reported.path("status").asText()) : failure == null;
  }

  ObjectNode toJson() {
    if (reported != null) {
      return reported;
    }
    ObjectNode run = JSON.createObjectNode();
    if (table != null) {
      run.put("table", table);
    }
    run.put("route", route);
    run.put("runner", runner);
    run.put("runId", runId);
    run.put("logicalDate", logicalDate);
    run.put("fromStep", fromStep);
    run.put("status", !ok() ? "failed" : alreadyComplete ? "already-complete" : "succeeded");
    run.put("startedAt", startedAt.toString());
    Instant end = finishedAt == null ? Instant.now() : finishedAt;
    run.put("finishedAt", end.toString());
    run.put("seconds", (end.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
    run.put("location", manifest != null ? manifest.location() : location);
    if (consistency != null) {
      run.put("sourceConsistency", consistency);
    }
    ArrayNode steps = run.putArray("steps");
    for (String step : STEPS) {
      ObjectNode node = steps.addObject().put("name", step).put("status", status.get(step));
      if (seconds.containsKey(step)) {
        node.put("seconds", Math.round(seconds.get(step) * 1000) / 1000.0);
      }
    }
    ObjectNode counts = run.putObject("counts");
    putCount(counts, "query", queryRows);
    putCount(counts, "files", manifest == null ? null : manifest.rowCount());
    putCount(counts, "warehouse", warehouseRows);
    putCount(counts, "databricks", databricksRows);
    run.put("fileCount", manifest == null ? 0 : manifest.fileCount());
    run.put("bytes", manifest == null ? 0 : manifest.totalBytes());
    ArrayNode files = run.putArray("files");
    if (manifest != null) {
      for (Manifest.FileEntry file : manifest.files()) {
        files
            .addObject()
            .put("uri", file.uri())
            .put("rows", file.rows())
            .put("bytes", file.bytes())
            .put("sha256", file.sha256());
      }
    }
    // The values of each hop: the run's fingerprint, which the rows read and every file matched
    // (a difference fails the run), as the manifest records it.
    if (manifest != null && manifest.fingerprint() != null) {
      ObjectNode values =
          run.putObject("values")
              .put("canonicalForm", manifest.fingerprint().version())
              .put("verdict", "equal")
              .put("hops", RunSummary.hops(valuesInSource, valuesInWarehouse, valuesInDatabricks));
      ObjectNode columnsEqual = values.putObject("columnsEqual");
      putCount(columnsEqual, "source", valuesInSource);
      putCount(columnsEqual, "warehouse", valuesInWarehouse);
      putCount(columnsEqual, "databricks", valuesInDatabricks);
      ObjectNode leftOut = values.putObject("leftOut");
      valuesLeftOut.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> leftOut.put(e.getKey(), e.getValue()));
      values.set("fingerprint", JSON.valueToTree(manifest.fingerprint()));
    } else {
      run.putNull("values");
    }
    if (cursorStart != null) {
      Cursor.Range range =
          cursorRange != null ? cursorRange : manifest == null ? null : manifest.cursor();
      ObjectNode cursor =
          run.putObject("cursor")
              .put("column", cursorStart.cursor().column())
              .put("mode", cursorStart.mode())
              .put("markBefore", cursorStart.previousMark())
              .put("markRun", cursorStart.markRun());
      if (range != null) {
        cursor.put("type", range.type()).put("from", range.from()).put("markAfter", range.to());
      }
    } else {
      run.putNull("cursor");
    }
    run.set("lineage", lineage == null ? null : JSON.valueToTree(lineage));
    if (failure == null) {
      run.putNull("error");
    } else {
      run.putObject("error")
          .put("exitCode", failure.exitCode().code())
          .put("class", failure.exitCode().id())
          .put("step", failedStep)
          .put("retryable", failure.exitCode() == ExitCode.TRANSIENT)
          .put("message", failure.getMessage());
    }
    return run;
  }

  private static void putCount(ObjectNode counts, String name, Long value) {
    if (value == null || value < 0) {
      counts.putNull(name);
    } else {
      counts.put(name, value);
    }
  }

  /**
   * The whole summary: the outcome of the command ({@code exit} null while it runs), then one entry
   * per run (a backfill has many).
   */
  public static String summary(List<RunRecord> runs, ExitCode exit) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    if (exit == null) {
      // Written when the command starts, so that an unwritable path fails before data moves.
      root.put("status", "running");
      root.putNull("exitCode");
    } else {
      root.put("status", exit == ExitCode.OK ? "succeeded" : "failed");
      root.put("exitCode", exit.code());
    }
    ArrayNode array = root.putArray("runs");
    runs.forEach(r -> array.add(r.toJson()));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
