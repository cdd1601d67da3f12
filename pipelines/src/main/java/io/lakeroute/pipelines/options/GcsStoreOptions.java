package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/**
 * Google Cloud Storage: Beam's own GCS options (--project, --gcsEndpoint,
 * --gcsUploadBufferSizeBytes, --impersonateServiceAccount, …) plus a service-account key file.
 * Without the key file, credentials are Google's application-default ones.
 */
public interface GcsStoreOptions extends GcsOptions {
  @Description(
      "Service-account key file (JSON) for gs:// destinations, read once where the run starts"
          + " (the driver): workers get the key with the pipeline, so on a cluster only the"
          + " submitting machine needs the file. Without it, application-default"
          + " credentials are used: GOOGLE_APPLICATION_CREDENTIALS, `gcloud auth"
          + " application-default login`, or the service account of the GCP VM.")
  String getGcsServiceAccountKeyFile();

  void setGcsServiceAccountKeyFile(String value);

  /** The key file's content, set by the launcher from the file; not a flag. */
  @Hidden
  ServiceAccountKey getGcsServiceAccountKey();

  void setGcsServiceAccountKey(ServiceAccountKey value);
}
