package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Amazon S3 (and S3-compatible stores): Beam's own S3 options (--awsRegion, --endpoint,
 * --awsCredentialsProvider, …) plus path-style addressing. Credentials come from the AWS default
 * chain (environment, profile, instance role) or from --awsCredentialsFile; a secret key in
 * --awsCredentialsProvider is refused, since the process list would show it.
 */
public interface S3StoreOptions extends S3Options {
  @Description(
      "Address buckets as https://endpoint/bucket rather than https://bucket.endpoint; needed by"
          + " most S3-compatible stores and by S3Mock.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);

  @Description(
      "File holding the S3 access key, in the AWS credentials file format (aws_access_key_id,"
          + " aws_secret_access_key, optionally aws_session_token; the first profile is used)."
          + " Without it the AWS default chain applies: environment, profile, instance role.")
  String getAwsCredentialsFile();

  void setAwsCredentialsFile(String value);
}
