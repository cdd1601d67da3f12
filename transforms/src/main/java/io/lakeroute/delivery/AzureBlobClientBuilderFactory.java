package io.lakeroute.delivery;

import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import java.time.Duration;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;

/**
 * Builds Beam's Azure Blob client with exactly one credential: the connection string, else the SAS
 * token, else the account key, else Beam's {@code --azureCredentialsProvider} (the default Azure
 * credential chain).
 *
 * <p>Beam's {@code DefaultBlobstoreClientBuilderFactory} applies the connection string first and
 * then always calls {@code credential(TokenCredential)} with {@code --azureCredentialsProvider},
 * which has a default ({@code DefaultAzureCredential}). The Azure SDK's builder keeps only the last
 * credential it is given, so a connection string alone ends up as a bearer token request (and, on
 * an {@code http://} endpoint such as Azurite, as "bearer token requires https"). Pass this class
 * as {@code --blobstoreClientFactoryClass}; every worker builds its client through it.
 *
 * <p>The client's default HTTP client waits a minute on a silent connection and retries without a
 * bound per try; this one waits the run's stall timeout ({@link StallTimeoutOptions}).
 */
public final class AzureBlobClientBuilderFactory implements BlobstoreClientBuilderFactory {
  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
    if (!isEmpty(options.getAzureConnectionString())) {
      builder.connectionString(options.getAzureConnectionString());
      if (!isEmpty(options.getBlobServiceEndpoint())) {
        builder.endpoint(options.getBlobServiceEndpoint());
      }
    } else {
      if (!isEmpty(options.getBlobServiceEndpoint())) {
        builder.endpoint(options.getBlobServiceEndpoint());
      }
      if (!isEmpty(options.getSasToken())) {
        builder.sasToken(options.getSasToken());
      } else if (!isEmpty(options.getAccountName()) && !isEmpty(options.getAccessKey())) {
        builder.credential(
            new StorageSharedKeyCredential(options.getAccountName(), options.getAccessKey()));
      } else if (options.getAzureCredentialsProvider() != null) {
        builder.credential(options.getAzureCredentialsProvider());
      }
    }
    if (options.getCustomerProvidedKey() != null) {
      builder.customerProvidedKey(options.getCustomerProvidedKey());
    }
    if (options.getPipelinePolicy() != null) {
      builder.addPolicy(options.getPipelinePolicy());
    }
    Duration silence =
        Duration.ofSeconds(options.as(StallTimeoutOptions.class).getStallTimeoutSeconds());
    builder.clientOptions(
        new HttpClientOptions()
            .setConnectTimeout(silence)
            .setReadTimeout(silence)
            .setWriteTimeout(silence)
            .setResponseTimeout(silence));
    if (options.getHttpClient() != null) {
      builder.httpClient(options.getHttpClient());
    }
    if (options.getHttpPipeline() != null) {
      builder.pipeline(options.getHttpPipeline());
    }
    return builder;
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
