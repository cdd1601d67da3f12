package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Route 5's target: the BigQuery table the delivered CSV is loaded into. Named {@code bigQuery…} so
 * as not to clash with Beam's own BigQuery options ({@code --bigQueryProject}, {@code
 * --tempDatasetId}, …); of those the route uses {@code --bigQueryEndpoint}, Google's by default.
 */
public interface BigQueryRouteOptions extends PipelineOptions {
  @Description(
      "BigQuery table the run is loaded into, project:dataset.table (--route=bigquery); the"
          + " dataset must exist, the table is created on first load.")
  String getBigQueryTable();

  void setBigQueryTable(String value);

  @Description(
      "replace: the table holds exactly the run's rows; append: the run's rows are added, and a"
          + " re-run of the same run id replaces them; merge: rows matching --bigQueryMergeKeys"
          + " are replaced. Each is one load job into a staging table and one BigQuery"
          + " transaction.")
  @Default.String("replace")
  String getBigQueryDisposition();

  void setBigQueryDisposition(String value);

  @Description(
      "With --bigQueryDisposition=merge: the comma-separated columns that identify a row (NULL"
          + " matches NULL).")
  String getBigQueryMergeKeys();

  void setBigQueryMergeKeys(String value);

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
