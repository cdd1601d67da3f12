package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.sql.JdbcClient;
import java.sql.SQLException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The warehouse step as a transform: runs once the manifest is published, loads exactly its files
 * with the warehouse's own bulk load, and fails the pipeline unless the warehouse loaded and shows
 * exactly the manifest's rows.
 *
 * <pre>{@code
 * manifest.apply(
 *     LoadWarehouse.to(new WarehouseTarget("sales", "customers", Disposition.MERGE, List.of("id")))
 *         .using(WarehouseConnection.of(WarehouseDialect.REDSHIFT).withJdbcUrl(url)
 *             .withUser(user).withPassword(password).withStorageCredential(roleArn)));
 * }</pre>
 */
public final class LoadWarehouse
    extends PTransform<PCollection<Manifest>, PCollection<WarehouseStep.Outcome>> {
  /** Gauge of this run's rows in the warehouse table. */
  public static final String ROWS_IN_WAREHOUSE = "rows_in_warehouse";

  /** Gauge of the columns whose fingerprints the warehouse showed equal to the files'. */
  public static final String VALUES_IN_WAREHOUSE = "values_in_warehouse";

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
    if (connection == null || connection.url() == null) {
      throw new IllegalArgumentException(
          "a connection with the warehouse JDBC URL (withJdbcUrl) is required");
    }
    return new LoadWarehouse(target, connection);
  }

  @Override
  public PCollection<WarehouseStep.Outcome> expand(PCollection<Manifest> manifest) {
    if (connection == null) {
      throw new IllegalStateException("LoadWarehouse needs using(connection)");
    }
    WarehouseConnection connection = this.connection;
    WarehouseTarget target = this.target;
    return manifest
        .apply(
            "Stage, load, apply, count",
            MapElements.into(TypeDescriptor.of(WarehouseStep.Outcome.class))
                .via(published -> load(connection, target, published)))
        .setCoder(SerializableCoder.of(WarehouseStep.Outcome.class));
  }

  /**
   * Connects, runs the step and closes; also what a resumed run calls without a pipeline (Beam's
   * FileSystems must then be set up for the staged files' scheme).
   */
  public static WarehouseStep.Outcome load(
      WarehouseConnection connection, WarehouseTarget target, Manifest manifest) {
    WarehouseSql sql = sql(connection, target, manifest);
    long start = System.nanoTime();
    try (JdbcClient client = connection.open()) {
      WarehouseStep.Outcome outcome = WarehouseStep.run(client, connection, sql);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, ROWS_IN_WAREHOUSE)
          .set(outcome.rowsInTable());
      outcome.values().report("the warehouse", VALUES_IN_WAREHOUSE);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, LOAD_MILLIS)
          .set((System.nanoTime() - start) / 1_000_000);
      return outcome;
    } catch (SQLException e) {
      throw unreachable(connection, manifest, e);
    }
  }

  /**
   * The run's rows as the table holds them, without loading: what a run resumed after the load
   * reads (the load proved their values before it committed; a merge's soft deletes make them fewer
   * than the manifest's).
   */
  public static WarehouseStep.Outcome counted(
      WarehouseConnection connection, WarehouseTarget target, Manifest manifest) {
    WarehouseSql sql = sql(connection, target, manifest);
    try (JdbcClient client = connection.open()) {
      long rows = Long.parseLong(client.query(sql.countRun()).get(0).get(0));
      return new WarehouseStep.Outcome(
          manifest.runId(),
          -1,
          rows,
          ValuesCheck.Result.notChecked(connection.dialect().fingerprintSql().engine()));
    } catch (SQLException e) {
      throw unreachable(connection, manifest, e);
    }
  }

  /** The step's SQL; a run the warehouse cannot load as delivered fails naming why. */
  private static WarehouseSql sql(
      WarehouseConnection connection, WarehouseTarget target, Manifest manifest) {
    try {
      return connection.sql(target, manifest);
    } catch (IllegalArgumentException e) {
      throw new WarehouseException(e.getMessage());
    }
  }

  private static WarehouseException unreachable(
      WarehouseConnection connection, Manifest manifest, Exception e) {
    return new WarehouseException(
        "Cannot reach "
            + connection.dialect().id()
            + " at "
            + connection.url()
            + ": "
            + connection.scrub(e.getMessage())
            + ". Check the warehouse JDBC URL (withJdbcUrl), user (withUser) and password"
            + " (withPassword). The files and manifest at "
            + manifest.location()
            + " are intact.");
  }
}
