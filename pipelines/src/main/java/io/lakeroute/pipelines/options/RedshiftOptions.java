package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Route redshift: how Redshift reads the staged files. */
public interface RedshiftOptions extends PipelineOptions {
  @Description(
      "ARN of the IAM role Redshift assumes to read the staging bucket, e.g."
          + " arn:aws:iam::123456789012:role/redshift-load (required with --warehouseDialect=redshift"
          + " and postgres).")
  String getRedshiftIamRole();

  void setRedshiftIamRole(String value);
}
