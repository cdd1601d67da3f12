package io.lakeroute.pipelines.routes;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.bigquery.BigQueryRoute;
import io.lakeroute.pipelines.routes.files.FilesRoute;
import io.lakeroute.pipelines.run.Step;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static RoutePlan configure(String... args) {
    RouteOptions options = Lakeroute.parse(args);
    return Routes.of(options.getRoute())
        .configure(options, RunConfig.from(options, name -> null), name -> null);
  }

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> configure(args)).getMessage();
  }

  @Test
  void namesAreCaseInsensitiveAndAnUnknownOneListsEveryRoute() {
    assertThat(Routes.of(" S3 "), equalTo(FilesRoute.S3));
    assertThat(Routes.of("azure-blob"), equalTo(FilesRoute.AZURE_BLOB));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Routes.of("s4"));
    assertThat(e.getMessage(), containsString("--route=s4 is not a route: use one of [s3, "));
  }

  @Test
  void aRouteTakesItsOwnStoreAndALocalPath() {
    assertDoesNotThrow(() -> Destinations.check("s3", "s3://bucket/prefix", Set.of("s3", "file")));
    assertDoesNotThrow(() -> Destinations.check("s3", "/tmp/out", Set.of("s3", "file")));
    assertThat(
        refusal("--route=s3", "--jdbcUrl=jdbc:h2:mem:x", "--query=q", "--destination=gs://b/x"),
        equalTo(
            "--destination=gs://b/x is not a location --route=s3 delivers to: use a local"
                + " path or s3://…"));
    assertThat(
        configure("--route=gcs", "--jdbcUrl=jdbc:h2:mem:x", "--query=q", "--destination=/tmp/o")
            .laterSteps(),
        equalTo(Set.of()));
  }

  @Test
  void bigQueryTakesGcsAndCsvOnly() {
    assertThat(Routes.of("bigquery"), equalTo(BigQueryRoute.BIGQUERY));
    String[] base = {"--route=bigquery", "--jdbcUrl=jdbc:h2:mem:x", "--query=q"};
    assertThat(
        refusal(concat(base, "--format=csv", "--destination=/tmp/out")),
        equalTo(
            "--destination=/tmp/out is not a location --route=bigquery delivers to: use gs://…"));
    assertThat(
        refusal(concat(base, "--format=parquet", "--destination=gs://b/p")),
        equalTo(
            "--format=parquet cannot be loaded by --route=bigquery, which loads the delivered CSV:"
                + " use --format=csv"));
    assertThat(
        configure(concat(base, "--format=csv", "--destination=gs://b/p", "--bigQueryTable=my-project:sales.customers"))
            .laterSteps(),
        equalTo(Set.of(Step.LOAD)));
  }

  @Test
  void schemesAreReadLikeBeamReadsThem() {
    assertThat(Destinations.schemeOf("S3://b/p"), equalTo("s3"));
    assertThat(Destinations.schemeOf("azfs://acct/c/p"), equalTo("azfs"));
    assertThat(Destinations.schemeOf("relative/dir"), equalTo("file"));
    assertThat(Destinations.schemeOf("C:\\\\data"), equalTo("file"));
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
