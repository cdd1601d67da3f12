package io.lakeroute.pipelines.routes;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.DatabricksTable;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.sql.SqlClient;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;

/** Checks more than one route makes: options of other routes, and the Databricks preflight. */
public final class Checks {
  private Checks() {}

  /**
   * Fails when {@code flag} was given to a route that does not use it, rather than ignoring it
   * silently.
   *
   * @param owners the routes that take the flag, for the message
   */
  public static void notGiven(String route, String flag, Object value, String owners) {
    if (value != null) {
      throw new IllegalArgumentException(
          flag + " is only used by " + owners + " (this run is --route=" + route + ")");
    }
  }

  /** The options only the warehouse routes take. */
  public static void noWarehouse(String route, RouteOptions options) {
    notGiven(route, "--warehouseTable", options.getWarehouseTable(), "--route=redshift or synapse");
    notGiven(
        route, "--warehouseJdbcUrl", options.getWarehouseJdbcUrl(), "--route=redshift or synapse");
  }

  /** The options only route bigquery takes. */
  public static void noBigQuery(String route, RouteOptions options) {
    notGiven(route, "--bigQueryTable", options.getBigQueryTable(), "--route=bigquery");
    notGiven(
        route,
        "--databricksForeignCatalog",
        options.getDatabricksForeignCatalog(),
        "--route=bigquery (give --databricksTable to make the data visible in Databricks)");
  }

  /**
   * With --verifyStrict: fails, naming each column and why, when {@code sql}'s engine cannot
   * fingerprint a column of a query's {@code schema} as a table over {@code format} files holds it,
   * which a run without the option leaves out of that hop's comparison.
   *
   * @param hop the hop the engine is, for the message
   */
  public static void fingerprintable(String hop, FingerprintSql sql, Schema schema, String format) {
    Map<String, String> leftOut =
        leftOut(
            sql,
            schema.getFields().stream()
                .map(
                    f ->
                        new Manifest.Column(
                            f.getName(), Manifest.typeOf(f.getType()), f.getDescription()))
                .toList(),
            format);
    if (!leftOut.isEmpty()) {
      throw RunFailure.usage(
          "--verifyStrict: "
              + hop
              + " cannot fingerprint "
              + leftOut.entrySet().stream()
                  .map(e -> e.getKey() + " (" + e.getValue() + ")")
                  .sorted()
                  .collect(Collectors.joining(", "))
              + " with --format="
              + format
              + ". Nothing was delivered. Deliver --format=parquet or avro, whose binary stays binary"
              + " in the table, or run without --verifyStrict to compare every other column and"
              + " name these in the summary (docs/fingerprints.md).");
    }
  }

  /**
   * The columns {@code sql}'s engine cannot fingerprint as a table over {@code format} files holds
   * them, each with why.
   */
  public static Map<String, String> leftOut(
      FingerprintSql sql, List<Manifest.Column> columns, String format) {
    return ValuesCheck.of(
            sql, columns.stream().map(c -> FingerprintColumn.inTable(c, format)).toList())
        .leftOut();
  }

  /**
   * Connects to Databricks and, when the run writes a table there, checks its schema exists.
   *
   * @param what the table or foreign catalog the step makes, for the message
   */
  public static void databricks(
      DatabricksConnection connection, DatabricksTable table, String what) {
    try (SqlClient client = connection.open()) {
      // A foreign catalog is created by the step itself: connecting is all there is to check.
      if (table != null) {
        client.query(DatabricksSql.describeSchema(table));
      }
    } catch (SQLException | RuntimeException e) {
      throw new RunFailure(
          ExitCode.DATABRICKS,
          "Databricks is not ready for "
              + what
              + " at "
              + connection.url()
              + ": "
              + connection.scrub(e.getMessage())
              + ". Check the host, HTTP path, catalog, schema and the credentials of "
              + connection.principal()
              + ". Nothing was read yet.",
          null,
          "preflight");
    }
  }
}
