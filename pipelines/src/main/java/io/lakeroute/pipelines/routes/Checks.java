package io.lakeroute.pipelines.routes;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.DatabricksTable;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.sql.SqlClient;
import java.sql.SQLException;

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
