package io.lakeroute.bigquery;

import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;

/**
 * Makes the {@link BigQueryServices} a run loads through, named by class like Beam's own {@code
 * --s3ClientFactoryClass}; without one a run uses Google's. Needs a public no-argument constructor.
 */
public interface BigQueryServicesFactory {
  BigQueryServices create();
}
