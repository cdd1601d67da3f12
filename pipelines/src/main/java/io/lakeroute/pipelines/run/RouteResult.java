package io.lakeroute.pipelines.run;

import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.warehouse.LoadWarehouse;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What a finished run produced: the published manifest, the counts of every hop, the timings. */
public final class RouteResult {
  private final Manifest manifest;
  private final long queryRows;
  private final long rowsRead;
  private final long rowsInWarehouse;
  private final long rowsInDatabricks;
  private final double seconds;
  private final String consistency;
  private final String cursor;
  private final long valuesInSource;
  private final Map<String, String> valuesLeftOut;
  private final long valuesInWarehouse;
  private final long valuesInDatabricks;

  RouteResult(
      Manifest manifest,
      long queryRows,
      long rowsRead,
      long rowsInWarehouse,
      long rowsInDatabricks,
      double seconds,
      String consistency,
      String cursor,
      long valuesInSource,
      long valuesInWarehouse,
      long valuesInDatabricks,
      Map<String, String> valuesLeftOut) {
    this.valuesInSource = valuesInSource;
    this.valuesLeftOut = Map.copyOf(valuesLeftOut);
    this.valuesInWarehouse = valuesInWarehouse;
    this.valuesInDatabricks = valuesInDatabricks;
    this.consistency = consistency;
    this.cursor = cursor;
    this.manifest = manifest;
    this.queryRows = queryRows;
    this.rowsRead = rowsRead;
    this.rowsInWarehouse = rowsInWarehouse;
    this.rowsInDatabricks = rowsInDatabricks;
    this.seconds = seconds;
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * How the partitions saw one state of the source (QueryPlan.consistency()); null for a run
   * resumed from a manifest.
   */
  public String consistency() {
    return consistency;
  }

  /** What an incremental run read of its cursor column, in a sentence; null for every row. */
  public String cursor() {
    return cursor;
  }

  /** Rows the query returned, as counted by the planner; -1 for a run resumed from a manifest. */
  public long queryRows() {
    return queryRows;
  }

  /** Rows the readers streamed from the source (a Beam counter); -1 when not known. */
  public long rowsRead() {
    return rowsRead;
  }

  /** This run's rows in the warehouse table, or -1 without a warehouse. */
  public long rowsInWarehouse() {
    return rowsInWarehouse;
  }

  /** Rows Databricks showed for the run, or -1 without a Databricks step. */
  public long rowsInDatabricks() {
    return rowsInDatabricks;
  }

  /**
   * The columns whose fingerprints the warehouse (or BigQuery) showed equal to the files', or -1
   * when its values were not compared (no such step, a resumed run).
   */
  public long valuesInWarehouse() {
    return valuesInWarehouse;
  }

  /**
   * The columns whose fingerprints the source computed equal to the rows read (--verifySource), or
   * -1 when the source did not fingerprint its rows.
   */
  public long valuesInSource() {
    return valuesInSource;
  }

  /**
   * The columns the warehouse left out of its values comparison, each with why (its engine cannot
   * fingerprint them as its table holds them); empty when it compared every column.
   */
  public Map<String, String> valuesLeftOut() {
    return valuesLeftOut;
  }

  /** As {@link #valuesInWarehouse()}, in Databricks. */
  public long valuesInDatabricks() {
    return valuesInDatabricks;
  }

  public double seconds() {
    return seconds;
  }

  /** The sum of lakeroute counter {@code name}, or -1 on a runner that cannot be asked. */
  public static long counter(PipelineResult result, String name) {
    MetricQueryResults results = query(result, name);
    long total = -1;
    if (results != null) {
      for (MetricResult<Long> counter : results.getCounters()) {
        total = Math.max(total, 0) + counter.getAttempted();
      }
    }
    return total;
  }

  /** lakeroute gauge {@code name}, or -1 when no step set it. */
  public static long gauge(PipelineResult result, String name) {
    MetricQueryResults results = query(result, name);
    if (results != null) {
      for (MetricResult<GaugeResult> gauge : results.getGauges()) {
        return gauge.getAttempted().getValue();
      }
    }
    return -1;
  }

  public static Optional<Long> databricksMillis(PipelineResult result) {
    return millis(result, LoadDatabricks.DATABRICKS_MILLIS);
  }

  public static Optional<Long> loadMillis(PipelineResult result) {
    return millis(result, LoadWarehouse.LOAD_MILLIS);
  }

  private static Optional<Long> millis(PipelineResult result, String gauge) {
    long millis = gauge(result, gauge);
    return millis < 0 ? Optional.empty() : Optional.of(millis);
  }

  private static MetricQueryResults query(PipelineResult result, String name) {
    try {
      return result
          .metrics()
          .queryMetrics(
              MetricsFilter.builder()
                  .addNameFilter(MetricNameFilter.named(PartitionReader.METRICS_NAMESPACE, name))
                  .build());
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }
}
