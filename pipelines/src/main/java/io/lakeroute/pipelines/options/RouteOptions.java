package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Every option of a lakeroute run: the route, then one interface per concern. */
public interface RouteOptions
    extends SourceOptions,
        VerifyOptions,
        FormatOptions,
        DeliveryOptions,
        RunOptions,
        S3StoreOptions,
        GcsStoreOptions,
        AzureStoreOptions,
        DatabricksOptions,
        WarehouseOptions,
        RedshiftOptions,
        SynapseOptions,
        BigQueryRouteOptions,
        ReportingOptions,
        JobOptions {
  @Description(
      "Route to run: s3 (files → Amazon S3), azure-blob (files → Azure Blob Storage), gcs (files"
          + " → Google Cloud Storage), redshift (S3 → Redshift COPY), synapse (Azure Blob →"
          + " Synapse COPY INTO) or bigquery (CSV on GCS → BigQuery load job); each ends in"
          + " Databricks when --databricksTable (bigquery: --databricksForeignCatalog) is given,"
          + " and the object-store routes also take a local path.")
  @Default.String("s3")
  String getRoute();

  void setRoute(String value);
}
