package io.lakeroute.bigquery;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.databricks.Federation;
import io.lakeroute.databricks.FederationSql;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.sql.SqlClient;
import io.lakeroute.validation.ReconciliationException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Route 5's Databricks step: Databricks reads the loaded BigQuery table in place through Lakehouse
 * Federation. Once the load is reconciled it creates (if absent) a connection of type {@code
 * bigquery} whose service-account key is a Databricks secret, never the key itself, and a foreign
 * catalog over the project; then it counts the table through the catalog, which must equal the rows
 * BigQuery holds. The statements are Databricks-only: proven as text (golden test) and against a
 * recording client, not executed by any stand-in.
 *
 * <pre>{@code
 * loaded.apply(
 *     FederateBigQuery.of(
 *             Federation.ofBigQuery("lakeroute_bigquery", "bq_sales", target.project(),
 *                 new Federation.Secret("lakeroute", "bq-key")),
 *             target)
 *         .using(DatabricksConnection.of(host, httpPath, token)));
 * }</pre>
 */
public final class FederateBigQuery
    extends PTransform<PCollection<LoadBigQuery.Outcome>, PCollection<Long>> {

  private final Federation federation;
  private final BigQueryTarget target;
  private final DatabricksConnection connection;

  private FederateBigQuery(
      Federation federation, BigQueryTarget target, DatabricksConnection connection) {
    super("Federate BigQuery in Databricks");
    this.federation = federation;
    this.target = target;
    this.connection = connection;
  }

  /** {@code federation} over {@code target}'s project (see {@link Federation#ofBigQuery}). */
  public static FederateBigQuery of(Federation federation, BigQueryTarget target) {
    if (federation == null || target == null) {
      throw new IllegalArgumentException("federation and target are required");
    }
    return new FederateBigQuery(federation, target, null);
  }

  public FederateBigQuery using(DatabricksConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection is required");
    }
    return new FederateBigQuery(federation, target, connection);
  }

  @Override
  public PCollection<Long> expand(PCollection<LoadBigQuery.Outcome> loaded) {
    if (connection == null) {
      throw new IllegalStateException("FederateBigQuery needs using(connection)");
    }
    return loaded.apply(
        "Connection, catalog, count",
        MapElements.into(TypeDescriptors.longs()).via(this::federate));
  }

  /** The statements that make the table readable from Databricks, in order. */
  public static List<String> statements(Federation federation, BigQueryTarget target) {
    List<String> statements = new ArrayList<>(FederationSql.statements(federation));
    statements.add(FederationSql.countRows(federation, target.dataset(), target.table()));
    return statements;
  }

  /**
   * Runs the statements through {@code client}; fails unless Databricks counts {@code bigQueryRows}
   * rows. Returns the count.
   */
  public static long run(
      SqlClient client, Federation federation, BigQueryTarget target, long bigQueryRows)
      throws SQLException {
    List<String> statements = statements(federation, target);
    client.execute(statements.get(0));
    client.execute(statements.get(1));
    long seen = Long.parseLong(client.query(statements.get(2)).get(0).get(0));
    Metrics.gauge(PartitionReader.METRICS_NAMESPACE, LoadDatabricks.ROWS_IN_DATABRICKS).set(seen);
    if (seen != bigQueryRows) {
      throw new ReconciliationException(
          ReconciliationException.Hop.DATABRICKS,
          "Databricks counts "
              + seen
              + " rows in "
              + federation.catalog()
              + "."
              + target.dataset()
              + "."
              + target.table()
              + ", BigQuery holds "
              + bigQueryRows
              + " in "
              + target.spec());
    }
    return seen;
  }

  private long federate(LoadBigQuery.Outcome loaded) {
    return federate(connection, federation, target, loaded);
  }

  /** Connects, runs the statements and closes; also what a resumed run calls without a pipeline. */
  public static long federate(
      DatabricksConnection connection,
      Federation federation,
      BigQueryTarget target,
      LoadBigQuery.Outcome loaded) {
    try (SqlClient client = connection.open()) {
      return run(client, federation, target, loaded.rowsInTable());
    } catch (SQLException e) {
      throw new DatabricksException(
          "Databricks could not federate "
              + target.spec()
              + " at "
              + connection.url()
              + ": "
              + connection.scrub(e.getMessage())
              + ". The table is loaded in BigQuery; the files and manifest are intact.",
          null);
    }
  }
}
