package io.lakeroute.pipelines.config;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.lakeroute.pipelines.options.GcsStoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.extensions.gcp.auth.CredentialFactory;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Beam's GCS credentials from {@code --gcsServiceAccountKeyFile}.
 *
 * <p>A credential object set on the launcher's options would not reach the workers: Beam does not
 * serialize {@code gcpCredential}, and each worker rebuilds it from {@code
 * --credentialFactoryClass}. This factory is that class, so every worker reads the same key file.
 */
public final class GcsKeyFileCredentialFactory implements CredentialFactory {
  private final String keyFile;
  private final List<String> scopes;

  private GcsKeyFileCredentialFactory(String keyFile, List<String> scopes) {
    this.keyFile = keyFile;
    this.scopes = scopes;
  }

  /** Beam creates credential factories through this method. */
  public static GcsKeyFileCredentialFactory fromOptions(PipelineOptions options) {
    GcsStoreOptions gcs = options.as(GcsStoreOptions.class);
    if (gcs.getGcsServiceAccountKeyFile() == null) {
      throw new IllegalArgumentException(
          GcsKeyFileCredentialFactory.class.getSimpleName()
              + " needs --gcsServiceAccountKeyFile=/path/to/key.json");
    }
    return new GcsKeyFileCredentialFactory(
        gcs.getGcsServiceAccountKeyFile(), gcs.getGcpOauthScopes());
  }

  @Override
  public Credentials getCredential() throws IOException {
    return read(keyFile).createScoped(scopes);
  }

  /** The key in {@code keyFile}; only a service-account key ({@code "type": "service_account"}). */
  static ServiceAccountCredentials read(String keyFile) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(keyFile))) {
      return ServiceAccountCredentials.fromStream(in);
    }
  }
}
