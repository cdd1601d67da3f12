package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Every option of a lakeroute run: the route, then one interface per concern. */
public interface RouteOptions
    extends SourceOptions,
        FormatOptions,
        DeliveryOptions,
        S3StoreOptions,
        GcsStoreOptions,
        DatabricksOptions {
  @Description(
      "Route to run: s3 (query → files → Amazon S3, Google Cloud Storage or a local folder →"
          + " Databricks when --databricksTable is given).")
  @Default.String("s3")
  String getRoute();

  void setRoute(String value);
}
