package io.lakeroute.warehouse;

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
 * The warehouse step as a transform: runs once the manifest is published, loads exactly its files
 * with the warehouse's own bulk load, and fails the pipeline unless the warehouse loaded and shows
 * exactly the manifest's rows.
 *
 * <pre>{@code
 * manifest.apply(
 *     LoadWarehouse.to(new WarehouseTarget("sales", "customers", Disposition.MERGE, List.of("id")))
 *         .using(new WarehouseConnection(WarehouseDialect.REDSHIFT, url, user, password, roleArn)));
 * }</pre>
 */
public final class LoadWarehouse
    extends PTransform<PCollection<Manifest>, PCollection<WarehouseStep.Outcome>> {
  /** Gauge of this run's rows in the warehouse table. */
  public static final String ROWS_IN_WAREHOUSE = "rows_in_warehouse";

  /** Gauge of the step's duration, so the run summary can time it apart from the delivery. */
  public static final String LOAD_MILLIS = "load_millis";

  private final WarehouseTarget target;
  private final WarehouseConnection connection;

  private LoadWarehouse(WarehouseTarget target, WarehouseConnection connection) {
    super("Load warehouse");
    this.target = target;
    this.connection = connection;
  }

  public static LoadWarehouse to(WarehouseTarget target) {
    if (target == null) {
      throw new IllegalArgumentException("target is required");
    }
    return new LoadWarehouse(target, null);
  }

  public LoadWarehouse using(WarehouseConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection is required");
    }
    return new LoadWarehouse(target, connection);
  }

  @Override
  public PCollection<WarehouseStep.Outcome> expand(PCollection<Manifest> manifest) {
    if (connection == null) {
      throw new IllegalStateException("LoadWarehouse needs using(connection)");
    }
    return manifest
        .apply("Stage, load, apply, count", ParDo.of(new LoadFn(target, connection)))
        .setCoder(SerializableCoder.of(WarehouseStep.Outcome.class));
  }

  private static final class LoadFn extends DoFn<Manifest, WarehouseStep.Outcome> {
    private final WarehouseTarget target;
    private final WarehouseConnection connection;

    LoadFn(WarehouseTarget target, WarehouseConnection connection) {
      this.target = target;
      this.connection = connection;
    }

    @ProcessElement
    public void process(@Element Manifest manifest, OutputReceiver<WarehouseStep.Outcome> out) {
      out.output(load(connection, target, manifest));
    }
  }

  /**
   * Connects, runs the step and closes; also what a resumed run calls without a pipeline (Beam's
   * FileSystems must then be set up for the staged files' scheme).
   */
  public static WarehouseStep.Outcome load(
      WarehouseConnection connection, WarehouseTarget target, Manifest manifest) {
    WarehouseSql sql;
    try {
      sql = connection.sql(target, manifest);
    } catch (IllegalArgumentException e) {
      throw new WarehouseException(e.getMessage());
    }
    long start = System.nanoTime();
    try (WarehouseClient client = connection.open()) {
      WarehouseStep.Outcome outcome = WarehouseStep.run(client, connection, target, sql, manifest);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, ROWS_IN_WAREHOUSE)
          .set(outcome.rowsInTable());
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, LOAD_MILLIS)
          .set((System.nanoTime() - start) / 1_000_000);
      return outcome;
    } catch (SQLException e) {
      throw new WarehouseException(
          "Cannot reach "
              + connection.dialect().id()
              + " at "
              + connection.url()
              + ": "
              + connection.scrub(e.getMessage())
              + ". Check --warehouseJdbcUrl, --warehouseUser and the password. The files and"
              + " manifest at "
              + manifest.location()
              + " are intact.");
    }
  }
}
