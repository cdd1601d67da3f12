package io.lakeroute.pipelines.options;

import io.lakeroute.bigquery.BigQueryServicesFactory;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Route 5's target: the BigQuery table the delivered CSV is loaded into. Named {@code bigQuery…} so
 * as not to clash with Beam's own BigQuery options ({@code --bigQueryProject}, {@code
 * --tempDatasetId}, …), which apply as well.
 */
public interface BigQueryRouteOptions extends PipelineOptions {
  @Description(
      "BigQuery table the run is loaded into, project:dataset.table (--route=bigquery); the"
          + " dataset must exist, the table is created on first load.")
  String getBigQueryTable();

  void setBigQueryTable(String value);

  @Description(
      "replace: the table becomes exactly the run's rows (one WRITE_TRUNCATE load job); append:"
          + " the run's rows are added (WRITE_APPEND).")
  @Default.String("replace")
  String getBigQueryDisposition();

  void setBigQueryDisposition(String value);

  @Description(
      "Class making the BigQuery services the load goes through (a BigQueryServicesFactory);"
          + " without it, Google's BigQuery.")
  Class<? extends BigQueryServicesFactory> getBigQueryServicesFactoryClass();

  void setBigQueryServicesFactoryClass(Class<? extends BigQueryServicesFactory> value);

  @Description(
      "With --route=bigquery: the Unity Catalog foreign catalog through which Databricks reads the"
          + " loaded table (Lakehouse Federation); needs the workspace flags of the Databricks step"
          + " and --databricksKeySecret.")
  String getDatabricksForeignCatalog();

  void setDatabricksForeignCatalog(String value);

  @Description("Name of the Databricks connection of type bigquery (created if absent).")
  @Default.String("lakeroute_bigquery")
  String getDatabricksConnection();

  void setDatabricksConnection(String value);

  @Description(
      "Databricks secret holding the service-account key JSON of the connection, as scope/key;"
          + " the key itself never appears in a statement.")
  String getDatabricksKeySecret();

  void setDatabricksKeySecret(String value);
}
