package io.lakeroute.delivery;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How long a service may stay silent before the run gives up on it. Workers read it from the
 * pipeline's options, so a client built on a Spark executor (the Azure Blob client of {@link
 * AzureBlobClientBuilderFactory}) applies the same bound as the driver.
 */
public interface StallTimeoutOptions extends PipelineOptions {
  /** The smallest bound: below it a busy but healthy service would be taken for a stalled one. */
  int MIN_STALL_TIMEOUT_SECONDS = 5;

  /** The largest bound, a day: a scheduler waiting longer has lost the run anyway. */
  int MAX_STALL_TIMEOUT_SECONDS = 86_400;

  @Description(
      "Seconds a connection to the source or an object store may stay silent before the run"
          + " ends as transient (exit 75), 5 to 86,400; also bounds the source login. Raise it for a"
          + " source query that computes longer than this before its first rows.")
  @Default.Integer(300)
  int getStallTimeoutSeconds();

  void setStallTimeoutSeconds(int value);
}
