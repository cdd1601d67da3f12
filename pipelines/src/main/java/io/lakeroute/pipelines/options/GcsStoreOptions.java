package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.Description;

/**
 * Google Cloud Storage: Beam's own GCS options (--project, --gcsEndpoint,
 * --gcsUploadBufferSizeBytes, --impersonateServiceAccount, …) plus a service-account key file.
 * Without the key file, credentials are Google's application-default ones.
 */
public interface GcsStoreOptions extends GcsOptions {
  @Description(
      "Service-account key file (JSON) for gs:// destinations. Every worker reads it, so on a"
          + " cluster it must exist at this path on each node. Without it, application-default"
          + " credentials are used: GOOGLE_APPLICATION_CREDENTIALS, `gcloud auth"
          + " application-default login`, or the service account of the GCP VM.")
  String getGcsServiceAccountKeyFile();

  void setGcsServiceAccountKeyFile(String value);
}
