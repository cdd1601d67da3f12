package io.lakeroute.pipelines.routes;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.DatabricksStep;
import io.lakeroute.databricks.DatabricksTarget;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.ValuesCheck;

/**
 * A hop after the files that {@code lakeroute verify} re-checks in a published run: the route's
 * warehouse, BigQuery or Databricks table, reached with the same options as the run, its rows of
 * the run fingerprinted by the query the run used (docs/fingerprints.md).
 */
public interface PublishedHop {
  /**
   * The hop as verify's output names it: {@code warehouse}, {@code bigquery}, {@code databricks}.
   */
  String name();

  /** The rows checked, e.g. {@code postgres table "s"."t" (rows of run r1)}. */
  String rows(Manifest manifest);

  /**
   * Fingerprints the run's rows at this hop and compares with the manifest.
   *
   * @throws io.lakeroute.validation.ReconciliationException naming the hop's table and columns,
   *     with the message a run prints
   * @throws IllegalArgumentException when the hop cannot be re-checked from the manifest, saying
   *     why
   */
  ValuesCheck.Result verify(Manifest manifest);

  /** The Databricks table a route's Databricks step filled from the files (or its view of them). */
  static PublishedHop databricks(DatabricksTarget target, DatabricksConnection connection) {
    return new PublishedHop() {
      @Override
      public String name() {
        return "databricks";
      }

      @Override
      public String rows(Manifest manifest) {
        return new DatabricksSql(target, manifest).runRows().description();
      }

      @Override
      public ValuesCheck.Result verify(Manifest manifest) {
        return DatabricksStep.verify(connection, target, manifest);
      }
    };
  }
}
