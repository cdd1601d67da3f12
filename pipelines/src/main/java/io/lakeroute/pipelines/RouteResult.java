package io.lakeroute.pipelines;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.PartitionReader;
import org.apache.beam.sdk.PipelineResult;
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
    return counter(PartitionReader.ROWS_READ);
  }

  /** Rows Databricks showed for the run (a Beam gauge), or -1 without a Databricks step. */
  public long rowsInDatabricks() {
    try {
      MetricQueryResults results =
          pipelineResult
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(
                          MetricNameFilter.named(
                              PartitionReader.METRICS_NAMESPACE,
                              io.lakeroute.databricks.LoadDatabricks.ROWS_IN_DATABRICKS))
                      .build());
      for (MetricResult<org.apache.beam.sdk.metrics.GaugeResult> gauge : results.getGauges()) {
        return gauge.getAttempted().getValue();
      }
      return -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  public double seconds() {
    return seconds;
  }

  private long counter(String name) {
    try {
      MetricQueryResults results =
          pipelineResult
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(
                          MetricNameFilter.named(PartitionReader.METRICS_NAMESPACE, name))
                      .build());
      long total = 0;
      boolean found = false;
      for (MetricResult<Long> counter : results.getCounters()) {
        total += counter.getAttempted();
        found = true;
      }
      return found ? total : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
