package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the files go and under which run id. */
public interface DeliveryOptions extends PipelineOptions {
  @Description(
      "Destination URI: s3://bucket/prefix, azfs://account/container/prefix, gs://bucket/prefix or"
          + " file:///path (a plain path is"
          + " local). Files land in <destination>/<runId>/ (see --runId) with _manifest.json and, last,"
          + " _SUCCESS.")
  String getDestination();

  void setDestination(String value);
}
