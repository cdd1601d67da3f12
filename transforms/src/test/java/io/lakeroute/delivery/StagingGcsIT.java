package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.lakeroute.testing.LocalGcs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe that runs before any data is read, against {@link LocalGcs}: each way a gs://
 * destination can be unusable gives one line naming the bucket or the credential and the fix.
 */
class StagingGcsIT {
  private static final String BUCKET = "staging-gcs-test";
  private static LocalGcs gcs;

  @BeforeAll
  static void startGcs() {
    gcs = LocalGcs.shared();
    gcs.createBucket(BUCKET);
  }

  @AfterEach
  void noCredentials() {
    use(null);
  }

  @Test
  void aWritableBucketPassesAndKeepsNothing() {
    use(null);
    Staging.checkWritable(Layout.of("gs://" + BUCKET + "/ok", "r1"));
    assertThat(gcs.objects(BUCKET, "ok/"), empty());
  }

  @Test
  void aMissingBucketIsNamed() {
    use(null);
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () -> Staging.checkWritable(Layout.of("gs://no-such-bucket/exports", "r1")));
    assertThat(
        e.getMessage(),
        containsString(
            "Cannot write to the destination gs://no-such-bucket/exports: bucket"
                + " gs://no-such-bucket does not exist (GCS: 404 The specified bucket does not"
                + " exist.). Create it, or correct the destination."));
    assertThat(e.getMessage(), not(containsString("\n")));
  }

  @Test
  void aServiceAccountKeyTheServerKnowsWorks() throws IOException {
    use(key(gcs.createServiceAccountKey("writer@demo-lakeroute.iam.gserviceaccount.com")));
    Staging.checkWritable(Layout.of("gs://" + BUCKET + "/keyed", "r1"));
    assertThat(gcs.log(), containsString("POST /token → 200"));
  }

  @Test
  void aRefusedServiceAccountKeyFailsAtTheTokenEndpoint() throws IOException {
    use(key(gcs.forgedServiceAccountKey("rotated@demo-lakeroute.iam.gserviceaccount.com")));
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () -> Staging.checkWritable(Layout.of("gs://" + BUCKET + "/forged", "r1")));
    assertThat(
        e.getMessage(),
        containsString(
            "Google refused the credentials when asked for an access token (400 invalid_grant:"
                + " Invalid JWT Signature.)"));
    assertThat(e.getMessage(), not(containsString("PRIVATE KEY")));
  }

  @Test
  void anAccessTokenGcsDoesNotKnowIsRefused() {
    // Refreshes as a credential does after a 401, into another token the server never issued.
    use(
        new GoogleCredentials() {
          @Override
          public AccessToken refreshAccessToken() {
            return new AccessToken(
                "ya29.not-issued-" + System.nanoTime(),
                new Date(System.currentTimeMillis() + 3_600_000));
          }
        });
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () -> Staging.checkWritable(Layout.of("gs://" + BUCKET + "/token", "r1")));
    assertThat(
        e.getMessage(),
        containsString("GCS refused the request's credentials (GCS: 401 Invalid Credentials)"));
  }

  @Test
  void aPrivateBucketRefusesAnonymousRequests() {
    gcs.createPrivateBucket("staging-private");
    use(null);
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () -> Staging.checkWritable(Layout.of("gs://staging-private/anonymous", "r1")));
    assertThat(
        e.getMessage(),
        containsString(
            "GCS refused the request's credentials (GCS: 401 Anonymous caller does not have"
                + " storage.objects access to the Google Cloud Storage bucket.): none were sent"));
  }

  /** Beam's GCS filesystem with these credentials, or none (Beam's no-op credentials). */
  private static void use(Credentials credentials) {
    GcsOptions options = PipelineOptionsFactory.fromArgs(gcs.beamArgs()).as(GcsOptions.class);
    if (credentials != null) {
      options.setGcpCredential(credentials);
    }
    FileSystems.setDefaultPipelineOptions(options);
  }

  private static Credentials key(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ServiceAccountCredentials.fromStream(in)
          .createScoped("https://www.googleapis.com/auth/devstorage.read_write");
    }
  }
}
