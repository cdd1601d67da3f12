package io.lakeroute.pipelines.routes;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RouteTest {
  @Test
  void namesAreCaseInsensitiveAndAnUnknownOneListsEveryRoute() {
    assertThat(Route.of(" S3 "), equalTo(Route.S3));
    assertThat(Route.of("azure-blob"), equalTo(Route.AZURE_BLOB));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Route.of("s4"));
    assertThat(e.getMessage(), containsString("--route=s4 is not a route: use one of [s3, "));
  }

  @Test
  void aRouteTakesItsOwnStoreAndALocalPath() {
    assertDoesNotThrow(() -> Route.S3.checkDestination("s3://bucket/prefix"));
    assertDoesNotThrow(() -> Route.S3.checkDestination("/tmp/out"));
    assertDoesNotThrow(() -> Route.GCS.checkDestination("file:///tmp/out"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Route.S3.checkDestination("gs://bucket/x"));
    assertThat(
        e.getMessage(),
        equalTo(
            "--destination=gs://bucket/x is not a location --route=s3 delivers to: use a local"
                + " path or s3://…"));
  }

  @Test
  void bigQueryTakesGcsAndCsvOnly() {
    assertThat(Route.of("bigquery"), equalTo(Route.BIGQUERY));
    assertDoesNotThrow(() -> Route.BIGQUERY.checkDestination("gs://bucket/prefix"));
    assertDoesNotThrow(() -> Route.BIGQUERY.checkFormat("csv"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Route.BIGQUERY.checkDestination("/tmp/out"));
    assertThat(
        e.getMessage(),
        equalTo(
            "--destination=/tmp/out is not a location --route=bigquery delivers to: use gs://…"));
    e = assertThrows(IllegalArgumentException.class, () -> Route.BIGQUERY.checkFormat("parquet"));
    assertThat(
        e.getMessage(),
        equalTo(
            "--format=parquet cannot be loaded by --route=bigquery, which loads the delivered CSV:"
                + " use --format=csv"));
    assertDoesNotThrow(() -> Route.GCS.checkFormat("parquet"));
  }

  @Test
  void schemesAreReadLikeBeamReadsThem() {
    assertThat(Route.schemeOf("S3://b/p"), equalTo("s3"));
    assertThat(Route.schemeOf("azfs://acct/c/p"), equalTo("azfs"));
    assertThat(Route.schemeOf("relative/dir"), equalTo("file"));
    assertThat(Route.schemeOf("C:\\\\data"), equalTo("file"));
  }
}
