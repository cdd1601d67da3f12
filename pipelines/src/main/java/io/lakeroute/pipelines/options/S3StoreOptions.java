package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Amazon S3 (and S3-compatible stores): Beam's own S3 options (--awsRegion, --endpoint,
 * --awsCredentialsProvider, …) plus path-style addressing. Credentials come from the AWS default
 * chain (environment, profile, instance role) unless --awsCredentialsProvider says otherwise.
 */
public interface S3StoreOptions extends S3Options {
  @Description(
      "Address buckets as https://endpoint/bucket rather than https://bucket.endpoint; needed by"
          + " most S3-compatible stores and by S3Mock.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);
}
