package io.lakeroute.pipelines.config;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.lakeroute.pipelines.options.GcsStoreOptions;
import io.lakeroute.pipelines.options.ServiceAccountKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * --credentialFactoryClass}. This factory is that class. The launcher reads the key file once and
 * puts its content into the options ({@link GcsStoreOptions#getGcsServiceAccountKey}), which travel
 * with the pipeline, so a worker never needs the file on its own disk.
 */
public final class GcsKeyFileCredentialFactory implements CredentialFactory {
  private final ServiceAccountKey key;
  private final List<String> scopes;

  private GcsKeyFileCredentialFactory(ServiceAccountKey key, List<String> scopes) {
    this.key = key;
    this.scopes = scopes;
  }

  /** Beam creates credential factories through this method. */
  public static GcsKeyFileCredentialFactory fromOptions(PipelineOptions options) {
    GcsStoreOptions gcs = options.as(GcsStoreOptions.class);
    if (gcs.getGcsServiceAccountKey() == null) {
      throw new IllegalArgumentException(
          GcsKeyFileCredentialFactory.class.getSimpleName()
              + " needs --gcsServiceAccountKeyFile=/path/to/key.json, read by the launcher");
    }
    return new GcsKeyFileCredentialFactory(gcs.getGcsServiceAccountKey(), gcs.getGcpOauthScopes());
  }

  @Override
  public Credentials getCredential() throws IOException {
    return parse(key).createScoped(scopes);
  }

  /** The content of {@code keyFile}, read once. */
  static ServiceAccountKey read(String keyFile) throws IOException {
    return new ServiceAccountKey(Files.readString(Path.of(keyFile), StandardCharsets.UTF_8));
  }

  /** The key's credentials; only a service-account key ({@code "type": "service_account"}). */
  static ServiceAccountCredentials parse(ServiceAccountKey key) throws IOException {
    return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(key.bytes()));
  }
}
