package io.lakeroute.databricks;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.PartitionReader;
import java.sql.SQLException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The Databricks step as a transform: runs once the manifest is published, so Databricks never
 * reads a partial run, and fails the pipeline unless Databricks shows exactly the manifest's rows.
 *
 * <pre>{@code
 * manifest.apply(LoadDatabricks.to(target).using(DatabricksConnection.of(host, path, token)));
 * }</pre>
 */
public final class LoadDatabricks
    extends PTransform<PCollection<Manifest>, PCollection<DatabricksStep.Outcome>> {
  /** Gauge of the rows Databricks shows for the run. */
  public static final String ROWS_IN_DATABRICKS = "rows_in_databricks";

  /** Gauge of the step's wall time, so that the run summary can tell it from the delivery's. */
  public static final String DATABRICKS_MILLIS = "databricks_millis";

  private final DatabricksTarget target;
  private final DatabricksConnection connection;

  private LoadDatabricks(DatabricksTarget target, DatabricksConnection connection) {
    super("Load Databricks");
    this.target = target;
    this.connection = connection;
  }

  public static LoadDatabricks to(DatabricksTarget target) {
    if (target == null) {
      throw new IllegalArgumentException("target is required");
    }
    return new LoadDatabricks(target, null);
  }

  public LoadDatabricks using(DatabricksConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection is required");
    }
    return new LoadDatabricks(target, connection);
  }

  @Override
  public PCollection<DatabricksStep.Outcome> expand(PCollection<Manifest> manifest) {
    if (connection == null) {
      throw new IllegalStateException("LoadDatabricks needs using(connection)");
    }
    return manifest
        .apply("Table, load, count", ParDo.of(new LoadFn(target, connection)))
        .setCoder(SerializableCoder.of(DatabricksStep.Outcome.class));
  }

  private static final class LoadFn extends DoFn<Manifest, DatabricksStep.Outcome> {
    private final DatabricksTarget target;
    private final DatabricksConnection connection;

    LoadFn(DatabricksTarget target, DatabricksConnection connection) {
      this.target = target;
      this.connection = connection;
    }

    @ProcessElement
    public void process(@Element Manifest manifest, OutputReceiver<DatabricksStep.Outcome> out) {
      out.output(load(connection, target, manifest));
    }
  }

  /** Connects, runs the step and closes; also what a resumed run calls without a pipeline. */
  public static DatabricksStep.Outcome load(
      DatabricksConnection connection, DatabricksTarget target, Manifest manifest) {
    long start = System.nanoTime();
    try (DatabricksClient client = connection.open()) {
      DatabricksStep.Outcome outcome = DatabricksStep.run(client, target, manifest);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, ROWS_IN_DATABRICKS)
          .set(outcome.rowsVisible());
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, DATABRICKS_MILLIS)
          .set((System.nanoTime() - start) / 1_000_000);
      return outcome;
    } catch (SQLException e) {
      throw new DatabricksException(
          "Cannot reach Databricks at "
              + connection.url()
              + ": "
              + connection.scrub(e.getMessage())
              + ". Check --databricksHost/--databricksHttpPath (or --databricksJdbcUrl) and the"
              + " token. The files and manifest at "
              + manifest.location()
              + " are intact.",
          null,
          true);
    }
  }
}
