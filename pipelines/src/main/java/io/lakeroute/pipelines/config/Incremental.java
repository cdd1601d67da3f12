package io.lakeroute.pipelines.config;

import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.query.Cursor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;

/**
 * Where an incremental run starts (docs/incremental.md). There is no state store to lose: a run's
 * manifest records the cursor range it read, and the next run takes the highest mark among the
 * complete runs ({@link Layout#COMPLETE_MARKER}) published at its destination. A run whose later
 * step failed is not complete, so the next run reads its rows again instead of skipping them; a
 * re-run of a published run id reads exactly that run's range again.
 */
public final class Incremental {
  private Incremental() {}

  /**
   * The cursor a run reads with, its mark resolved, and how it was chosen, for the summary.
   *
   * @param mode {@code first}, {@code incremental}, {@code replay} or {@code full-refresh}
   * @param previousMark the mark the run starts from (before the lag), or null
   * @param markRun the run whose manifest gave the mark, or null
   */
  public record Start(Cursor cursor, String mode, String previousMark, String markRun) {}

  /**
   * Refuses what would make an incremental table wrong: a table replaced by each run would hold
   * only the newest rows, and rows read twice (a lag, a full refresh) would be appended twice.
   */
  public static void check(RouteOptions options, String routeId, Set<Step> laterSteps) {
    if (options.getCursorColumn() == null) {
      return;
    }
    boolean rereads = options.getCursorLag() != null || options.getFullRefresh();
    List<String> problems = new ArrayList<>();
    if (laterSteps.contains(Step.LOAD)) {
      boolean bigQuery = routeId.equals("bigquery");
      String flag = bigQuery ? "--bigQueryDisposition" : "--warehouseDisposition";
      String keys = bigQuery ? "--bigQueryMergeKeys" : "--warehouseMergeKeys";
      problem(
          problems,
          flag,
          keys,
          bigQuery ? options.getBigQueryDisposition() : options.getWarehouseDisposition(),
          rereads);
    }
    // The BigQuery route's Databricks step federates the warehouse table: no files, no mode.
    boolean databricksLoads = laterSteps.contains(Step.DATABRICKS) && !routeId.equals("bigquery");
    if (databricksLoads
        && !"delta".equalsIgnoreCase(String.valueOf(options.getDatabricksMode()).strip())) {
      problems.add(
          "--databricksMode="
              + options.getDatabricksMode()
              + " shows only the newest run's files in Databricks: use --databricksMode=delta");
    } else if (databricksLoads) {
      problem(
          problems,
          "--databricksDisposition",
          "--databricksMergeKeys",
          options.getDatabricksDisposition(),
          rereads);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "--cursorColumn="
              + options.getCursorColumn()
              + " reads only new and changed rows: "
              + String.join("; ", problems));
    }
  }

  private static void problem(
      List<String> problems, String flag, String keys, String disposition, boolean rereads) {
    String value = disposition == null ? "" : disposition.strip().toLowerCase(Locale.ROOT);
    if (value.equals("replace")) {
      problems.add(
          flag
              + "=replace would leave only them in the table: use merge (with "
              + keys
              + "), or append for rows that never change");
    } else if (rereads && !value.equals("merge")) {
      problems.add(
          "a lag (--cursorLag) or a full refresh (--fullRefresh) reads rows an earlier run"
              + " delivered, and "
              + flag
              + "="
              + value
              + " would add them twice: use "
              + flag
              + "=merge with "
              + keys);
    }
  }

  /** The run's cursor with its mark, from the manifests at the destination; null without one. */
  public static Start resolve(RunConfig run, Layout layout) {
    Cursor cursor = run.cursor();
    if (cursor == null) {
      return null;
    }
    if (run.fullRefresh()) {
      return new Start(cursor.after(null), "full-refresh", null, null);
    }
    Optional<Manifest> own = ownPublished(layout);
    if (own.isPresent() && sameColumn(own.get(), cursor)) {
      Cursor.Range range = own.get().cursor();
      return new Start(cursor.replaying(range), "replay", range.from(), run.runId());
    }
    Manifest latest = null;
    for (Manifest manifest : completeRuns(layout)) {
      if (manifest.runId().equals(layout.runId()) || !sameColumn(manifest, cursor)) {
        continue;
      }
      try {
        if (latest == null || manifest.cursor().endsAfter(latest.cursor())) {
          latest = manifest;
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "The runs at "
                + layout.destination()
                + " recorded cursor "
                + cursor.column()
                + " with different types ("
                + latest.runId()
                + ": "
                + latest.cursor().type()
                + ", "
                + manifest.runId()
                + ": "
                + manifest.cursor().type()
                + "): start over with --fullRefresh",
            e);
      }
    }
    if (latest == null) {
      return new Start(cursor.after(null), "first", null, null);
    }
    return new Start(
        cursor.after(latest.cursor().to()), "incremental", latest.cursor().to(), latest.runId());
  }

  /** What a run read of its cursor column, in a sentence for the run's summary; null for all. */
  public static String describe(Start start, Cursor.Range range) {
    if (start == null || range == null) {
      return null;
    }
    String upTo =
        range.to() == null
            ? "; the column holds no value yet"
            : " up to " + range.to() + ", the new mark";
    return switch (start.mode()) {
      case "first" -> range.column() + ": first run, every row" + upTo;
      case "full-refresh" -> range.column() + ": full refresh (--fullRefresh), every row" + upTo;
      case "replay" ->
          range.column()
              + ": a re-run of "
              + start.markRun()
              + ", replaying its own range ("
              + range.from()
              + ", "
              + range.to()
              + "]";
      default ->
          range.column()
              + ": incremental, rows past "
              + range.from()
              + (range.from().equals(start.previousMark())
                  ? " (the mark of run " + start.markRun() + ")"
                  : " (run "
                      + start.markRun()
                      + "'s mark "
                      + start.previousMark()
                      + ", less the lag)")
              + upTo;
    };
  }

  private static boolean sameColumn(Manifest manifest, Cursor cursor) {
    return manifest.cursor() != null
        && manifest.cursor().column().equalsIgnoreCase(cursor.column());
  }

  /** This run id's manifest when it was published completely before. */
  private static Optional<Manifest> ownPublished(Layout layout) {
    try {
      return Manifest.published(layout);
    } catch (IOException e) {
      throw unreadable(layout.manifest().toString(), e);
    }
  }

  /** The manifests of every complete run under the destination. */
  private static List<Manifest> completeRuns(Layout layout) {
    List<Manifest> manifests = new ArrayList<>();
    try {
      MatchResult markers = FileSystems.match(layout.completeMarkers());
      if (markers.status() != MatchResult.Status.OK) {
        return manifests;
      }
      for (MatchResult.Metadata marker : markers.metadata()) {
        manifests.add(
            Manifest.read(
                marker
                    .resourceId()
                    .getCurrentDirectory()
                    .resolve(Layout.MANIFEST, StandardResolveOptions.RESOLVE_FILE)));
      }
      return manifests;
    } catch (IOException e) {
      throw unreadable(layout.completeMarkers(), e);
    }
  }

  private static DeliveryException unreadable(String where, IOException e) {
    return new DeliveryException(
        "The published runs at "
            + where
            + " cannot be read to find the cursor's high-water mark: "
            + e.getMessage()
            + ". Fix the store's access, or start over with --fullRefresh",
        e);
  }
}
