package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.options.RouteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which stores a route accepts and how gs:// credentials are chosen. Application-default
 * credentials are looked up through a stand-in: the real lookup asks Google's metadata server.
 */
class StoresTest {
  private static final Stores.CredentialLookup NO_ADC =
      () -> {
        throw new IOException("The Application Default Credentials are not available.");
      };

  @TempDir Path temp;

  @Test
  void acceptsLocalS3AndGcsDestinations() {
    assertThat(Stores.configure(options(), "/tmp/x", NO_ADC), equalTo(null));
    assertThat(Stores.configure(options(), "s3://bucket/x", NO_ADC), equalTo(null));
    assertThat(
        Stores.configure(
            options("--credentialFactoryClass=" + NoopCredentialFactory.class.getName()),
            "gs://bucket/x",
            NO_ADC),
        equalTo("--credentialFactoryClass=" + NoopCredentialFactory.class.getName()));
  }

  @Test
  void withoutAKeyFileApplicationDefaultCredentialsAreRequiredBeforeAnythingRuns() {
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () -> Stores.configure(options("--destination=gs://b/x"), "gs://b/x", NO_ADC));
    assertThat(
        e.getMessage(),
        containsString(
            "No Google credentials for --destination=gs://b/x: application-default credentials"
                + " were not found (IOException). Give --gcsServiceAccountKeyFile=/path/key.json"));
  }

  @Test
  void applicationDefaultCredentialsAreUsedWhenFound() {
    RouteOptions options = options();
    GoogleCredentials found =
        GoogleCredentials.create(
            new AccessToken("t", new Date(System.currentTimeMillis() + 60_000)));
    String described = Stores.configure(options, "gs://b/x", () -> found);
    assertThat(described, containsString("application-default credentials"));
    assertThat(options.getGcpCredential(), notNullValue());
  }

  @Test
  void aKeyFileIsReadNowAndSelectsTheKeyFileFactory() throws Exception {
    Path key = temp.resolve("key.json");
    Files.writeString(key, serviceAccountKey("reader@demo-lakeroute.iam.gserviceaccount.com"));
    RouteOptions options = options("--gcsServiceAccountKeyFile=" + key);
    String described = Stores.configure(options, "gs://b/x", NO_ADC);
    assertThat(
        described,
        equalTo(
            "service-account key --gcsServiceAccountKeyFile="
                + key
                + " (reader@demo-lakeroute.iam.gserviceaccount.com)"));
    assertThat(
        options.getCredentialFactoryClass(), equalTo((Object) GcsKeyFileCredentialFactory.class));
    // The file is read once, here: a worker gets the key with the options the runner ships, so
    // it needs no file of its own, and printed options never show the key.
    Files.delete(key);
    RouteOptions onWorker =
        SerializableUtils.clone(new SerializablePipelineOptions(options))
            .get()
            .as(RouteOptions.class);
    ServiceAccountCredentials credentials =
        (ServiceAccountCredentials)
            GcsKeyFileCredentialFactory.fromOptions(onWorker).getCredential();
    assertThat(
        credentials.getClientEmail(), equalTo("reader@demo-lakeroute.iam.gserviceaccount.com"));
    assertThat(onWorker.toString(), not(containsString("PRIVATE KEY")));
    assertThat(onWorker.toString(), containsString("(a service-account key, not shown)"));
  }

  @Test
  void aKeyFileAndAnotherCredentialFactoryConflict() throws Exception {
    Path key = temp.resolve("key.json");
    Files.writeString(key, serviceAccountKey("a@demo-lakeroute.iam.gserviceaccount.com"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Stores.configure(
                    options(
                        "--gcsServiceAccountKeyFile=" + key,
                        "--credentialFactoryClass=" + NoopCredentialFactory.class.getName()),
                    "gs://b/x",
                    NO_ADC));
    assertThat(e.getMessage(), containsString("not both"));
  }

  @Test
  void aKeyFileOfAnotherKindIsRefusedWithoutQuotingIt() throws Exception {
    Path key = temp.resolve("user.json");
    Files.writeString(
        key,
        "{\"type\":\"authorized_user\",\"client_id\":\"x\",\"client_secret\":\"very-secret\","
            + "\"refresh_token\":\"also-secret\"}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Stores.configure(options("--gcsServiceAccountKeyFile=" + key), "gs://b/x", NO_ADC));
    assertThat(e.getMessage(), containsString("is not a service-account key"));
    assertThat(e.getMessage(), not(containsString("secret")));
  }

  private static RouteOptions options(String... args) {
    return Lakeroute.parse(args);
  }

  /** A syntactically valid key; its private key is generated, never used to sign here. */
  private static String serviceAccountKey(String clientEmail) throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\\n"
            + java.util.Base64.getEncoder()
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\\n-----END PRIVATE KEY-----\\n";
    return "{\"type\":\"service_account\",\"project_id\":\"demo-lakeroute\",\"private_key_id\":\"1\","
        + "\"private_key\":\""
        + pem
        + "\",\"client_email\":\""
        + clientEmail
        + "\",\"client_id\":\"1\",\"token_uri\":\"http://127.0.0.1:9/token\"}";
  }
}
