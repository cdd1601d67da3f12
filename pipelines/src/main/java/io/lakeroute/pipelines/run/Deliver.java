package io.lakeroute.pipelines.run;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.delivery.Publish;
import io.lakeroute.delivery.WriteQueryFiles;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.query.QueryPartition;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.validation.Reconcile;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * The data path every route shares: the planned query is read and written one file per partition
 * into staging, every file is read back, the counts are reconciled with the query's, and only then
 * is the run published.
 */
public final class Deliver {
  private Deliver() {}

  /**
   * Adds the steps to {@code pipeline}; the published manifest comes out, with the run's
   * fingerprints unless the run turned them off, and its partition column.
   */
  public static PCollection<Manifest> expand(
      Pipeline pipeline, QueryPlan plan, RunConfig run, Layout layout) {
    return pipeline
        .apply(
            WriteQueryFiles.of(plan)
                .withFormat(run.format())
                .to(layout)
                .withFingerprints(run.fingerprints()))
        .apply(
            Reconcile.expecting(plan.rowCount())
                .withPlannedPartitions(
                    plan.partitions().stream().map(QueryPartition::estimatedRows).toList()))
        .apply(
            Publish.to(layout)
                .withFormat(run.format())
                .withSchema(plan.schema())
                .withCursorRange(plan.cursorRange())
                .withPartitionColumn(run.partitioning().column()));
  }
}
