package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class S3ErrorsTest {
  /** The SDK's own text when no provider of the default chain has credentials, abridged. */
  private static final String CHAIN_DUMP =
      "Unable to load credentials from any of the providers in the chain"
          + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
          + " EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(),"
          + " ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])),"
          + " ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) :"
          + " [SystemPropertyCredentialsProvider(): Unable to load credentials from system settings."
          + " Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or"
          + " system property (aws.accessKeyId)., …]";

  @Test
  void missingCredentialsAreOneLineSayingWhatToGive() {
    String explained =
        S3Errors.explain(
            new IOException(
                "writing the probe", SdkClientException.builder().message(CHAIN_DUMP).build()));
    assertThat(explained, containsString("no AWS credentials were found"));
    assertThat(explained, containsString("AWS_SECRET_ACCESS_KEY"));
    assertThat(explained.length(), lessThan(400));
  }

  @Test
  void otherFailuresAreLeftToTheCaller() {
    assertThat(S3Errors.explain(new IOException("Access Denied")), nullValue());
  }
}
