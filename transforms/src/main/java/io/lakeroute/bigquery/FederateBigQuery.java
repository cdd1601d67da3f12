package io.lakeroute.bigquery;

import io.lakeroute.databricks.DatabricksClient;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.databricks.FederationSql;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.validation.ReconciliationException;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

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
 *     FederateBigQuery.of(new Federation("bq_sales", "lakeroute_bigquery", "lakeroute", "bq-key"),
 *             target)
 *         .using(DatabricksConnection.of(host, httpPath, token)));
 * }</pre>
 */
public final class FederateBigQuery
    extends PTransform<PCollection<LoadBigQuery.Outcome>, PCollection<Long>> {

  /**
   * The foreign catalog, the connection and the Databricks secret (scope and key) holding the
   * service-account key JSON.
   */
  public record Federation(String catalog, String connection, String secretScope, String secretKey)
      implements Serializable {
    public Federation {
      // Generating the statements checks every name, so a bad one fails before any data moves.
      FederationSql.createBigQueryConnection(
          connection, new FederationSql.Secret(secretScope, secretKey));
      FederationSql.createForeignCatalog(catalog, connection, FederationSql.Source.BIGQUERY, "");
    }

    /** {@code scope/key}, as {@code --databricksKeySecret} takes it. */
    public static String[] secret(String scopeAndKey) {
      String[] parts = scopeAndKey == null ? new String[0] : scopeAndKey.split("/", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "--databricksKeySecret="
                + scopeAndKey
                + " is not a Databricks secret: use scope/key (the secret holding the"
                + " service-account key JSON)");
      }
      return parts;
    }
  }

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
    return loaded.apply("Connection, catalog, count", ParDo.of(new FederateFn(this)));
  }

  /** The statements that make the table readable from Databricks, in order. */
  public static List<String> statements(Federation federation, BigQueryTarget target) {
    return List.of(
        FederationSql.createBigQueryConnection(
            federation.connection(),
            new FederationSql.Secret(federation.secretScope(), federation.secretKey())),
        FederationSql.createForeignCatalog(
            federation.catalog(),
            federation.connection(),
            FederationSql.Source.BIGQUERY,
            target.project()),
        FederationSql.countRows(federation.catalog(), target.dataset(), target.table()));
  }

  /**
   * Runs the statements through {@code client}; fails unless Databricks counts {@code bigQueryRows}
   * rows. Returns the count.
   */
  public static long run(
      DatabricksClient client, Federation federation, BigQueryTarget target, long bigQueryRows)
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

  private static final class FederateFn extends DoFn<LoadBigQuery.Outcome, Long> {
    private final Federation federation;
    private final BigQueryTarget target;
    private final DatabricksConnection connection;

    FederateFn(FederateBigQuery transform) {
      this.federation = transform.federation;
      this.target = transform.target;
      this.connection = transform.connection;
    }

    @ProcessElement
    public void process(@Element LoadBigQuery.Outcome loaded, OutputReceiver<Long> out) {
      try (DatabricksClient client = connection.open()) {
        out.output(run(client, federation, target, loaded.rowsAfter()));
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
}
