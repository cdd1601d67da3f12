package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Route synapse: how Synapse reads the staged blobs. */
public interface SynapseOptions extends PipelineOptions {
  @Description(
      "managed-identity: COPY INTO reads the container as the workspace's managed identity; sas: with"
          + " a Shared Access Signature from --synapseSasTokenEnv or --synapseSasTokenFile.")
  @Default.String("managed-identity")
  String getSynapseCredential();

  void setSynapseCredential(String value);

  @Description(
      "Environment variable holding the container's SAS token (with --synapseCredential=sas).")
  @Default.String("LAKEROUTE_SYNAPSE_SAS_TOKEN")
  String getSynapseSasTokenEnv();

  void setSynapseSasTokenEnv(String value);

  @Description("File holding the container's SAS token; wins over --synapseSasTokenEnv.")
  String getSynapseSasTokenFile();

  void setSynapseSasTokenFile(String value);
}
