package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Azure Blob Storage: Beam's own Blobstore options (--blobServiceEndpoint, --accountName, …) plus
 * where lakeroute reads the secret from. A secret is never a flag value: an account key, a SAS
 * token or a connection string comes from an environment variable or a file, and lakeroute hands it
 * to Beam's options itself. Without any, the default Azure credential chain is used.
 */
public interface AzureStoreOptions extends BlobstoreOptions {
  @Description(
      "Environment variable holding the storage account key for azfs:// destinations (used when"
          + " set and no other Azure secret is given).")
  @Default.String("AZURE_STORAGE_KEY")
  String getAzureAccountKeyEnv();

  void setAzureAccountKeyEnv(String value);

  @Description("File holding the storage account key; wins over every environment variable.")
  String getAzureAccountKeyFile();

  void setAzureAccountKeyFile(String value);

  @Description(
      "Environment variable holding a SAS token (account or container SAS with read, add, create,"
          + " write, delete and list permissions).")
  @Default.String("AZURE_STORAGE_SAS_TOKEN")
  String getAzureSasTokenEnv();

  void setAzureSasTokenEnv(String value);

  @Description("File holding a SAS token; wins over every environment variable.")
  String getAzureSasTokenFile();

  void setAzureSasTokenFile(String value);

  @Description("Environment variable holding a storage connection string.")
  @Default.String("AZURE_STORAGE_CONNECTION_STRING")
  String getAzureConnectionStringEnv();

  void setAzureConnectionStringEnv(String value);

  @Description("File holding a storage connection string; wins over every environment variable.")
  String getAzureConnectionStringFile();

  void setAzureConnectionStringFile(String value);
}
