package io.lakeroute.pipelines;

import io.lakeroute.bigquery.LoadBigQuery;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.PartitionReader;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What a finished run produced: the pipeline's result, the published manifest and the timings. */
public final class RouteResult {
  private final PipelineResult pipelineResult;
  private final Manifest manifest;
  private final long queryRows;
  private final double seconds;

  RouteResult(PipelineResult pipelineResult, Manifest manifest, long queryRows, double seconds) {
    this.pipelineResult = pipelineResult;
    this.manifest = manifest;
    this.queryRows = queryRows;
    this.seconds = seconds;
  }

  public PipelineResult pipelineResult() {
    return pipelineResult;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Rows the query returned, as counted by the planner. */
  public long queryRows() {
    return queryRows;
  }

  /** Rows the readers streamed from the source (a Beam counter; -1 if the runner has none). */
  public long rowsRead() {
    MetricQueryResults results = query(PartitionReader.ROWS_READ);
    long total = -1;
    for (MetricResult<Long> counter :
        results == null ? List.<MetricResult<Long>>of() : results.getCounters()) {
      total = Math.max(total, 0) + counter.getAttempted();
    }
    return total;
  }

  /** Rows Databricks showed for the run (a Beam gauge), or -1 without a Databricks step. */
  public long rowsInDatabricks() {
    return gauge(LoadDatabricks.ROWS_IN_DATABRICKS);
  }

  /** Rows the BigQuery load added (or, replacing, left) (a Beam gauge), or -1 without one. */
  public long rowsInBigQuery() {
    return gauge(LoadBigQuery.ROWS_IN_BIGQUERY);
  }

  private long gauge(String name) {
    MetricQueryResults results = query(name);
    for (MetricResult<GaugeResult> gauge :
        results == null ? List.<MetricResult<GaugeResult>>of() : results.getGauges()) {
      return gauge.getAttempted().getValue();
    }
    return -1;
  }

  public double seconds() {
    return seconds;
  }

  /** lakeroute's metric {@code name}, or null on a runner that cannot be asked for metrics. */
  private MetricQueryResults query(String name) {
    try {
      return pipelineResult
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
