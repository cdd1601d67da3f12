package io.lakeroute.pipelines.routes;

import io.lakeroute.databricks.DatabricksClient;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.DatabricksTable;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import java.sql.SQLException;

/** Preflight checks more than one route makes. */
public final class Checks {
  private Checks() {}

  /**
   * Connects to Databricks and, when the run writes a table there, checks its schema exists.
   *
   * @param what the table or foreign catalog the step makes, for the message
   */
  public static void databricks(
      DatabricksConnection connection, DatabricksTable table, String what) {
    try (DatabricksClient client = connection.open()) {
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
              + ". Check the host, HTTP path, token, catalog and schema. Nothing was read yet.",
          null,
          "preflight");
    }
  }
}
