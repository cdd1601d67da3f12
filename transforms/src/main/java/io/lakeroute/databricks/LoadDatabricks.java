package io.lakeroute.databricks;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.sql.SqlClient;
import java.sql.SQLException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

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

  /** Gauge of the columns whose fingerprints Databricks showed equal to the files'. */
  public static final String VALUES_IN_DATABRICKS = "values_in_databricks";

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
    DatabricksConnection connection = this.connection;
    DatabricksTarget target = this.target;
    return manifest
        .apply(
            "Table, load, count",
            MapElements.into(TypeDescriptor.of(DatabricksStep.Outcome.class))
                .via(published -> load(connection, target, published)))
        .setCoder(SerializableCoder.of(DatabricksStep.Outcome.class));
  }

  /** Connects, runs the step and closes; also what a resumed run calls without a pipeline. */
  public static DatabricksStep.Outcome load(
      DatabricksConnection connection, DatabricksTarget target, Manifest manifest) {
    long start = System.nanoTime();
    try (SqlClient client = connection.open()) {
      DatabricksStep.Outcome outcome = DatabricksStep.run(client, target, manifest);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, ROWS_IN_DATABRICKS)
          .set(outcome.rowsVisible());
      outcome.values().report("Databricks", VALUES_IN_DATABRICKS);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, DATABRICKS_MILLIS)
          .set((System.nanoTime() - start) / 1_000_000);
      return outcome;
    } catch (SQLException e) {
      throw new DatabricksException(
          "Cannot reach Databricks at "
              + connection.url()
              + ": "
              + connection.scrub(e.getMessage())
              + ". Check the Databricks host and HTTP path (DatabricksConnection.of) or URL"
              + " (withUrl), and the token. The files and manifest at "
              + manifest.location()
              + " are intact.",
          null,
          true);
    }
  }
}
