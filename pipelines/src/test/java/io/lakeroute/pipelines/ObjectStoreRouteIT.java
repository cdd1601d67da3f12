package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.RunSummary;
import io.lakeroute.validation.VerifyPublished;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route 1 end to end: PostgreSQL 15 → every format → S3Mock, on the Direct and the Spark runner
 * (local[2]). Checks what a user relies on: the counts reconcile, the bucket holds exactly the
 * published files, manifest and marker, the bytes in S3 are the bytes the manifest describes, and
 * no staging leftovers remain.
 */
class ObjectStoreRouteIT {
  private static RouteFixture fixture;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  static Stream<Arguments> runnersAndFormats() {
    List<Arguments> cases = new ArrayList<>();
    for (String runner : List.of("DirectRunner", "SparkRunner")) {
      for (String format : List.of("parquet", "avro", "csv", "json")) {
        cases.add(Arguments.of(runner, format));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runnersAndFormats")
  void deliversCustomersToS3(String runner, String format) throws Exception {
    String prefix = "route1/" + runner + "/" + format;
    String runId = "it-" + format;
    RouteResult result =
        Lakeroute.run(
            Lakeroute.parse(
                RouteFixture.array(
                    fixture.args(
                        runner,
                        "--query=SELECT * FROM customers",
                        "--partitionColumn=id",
                        "--partitions=3",
                        "--format=" + format,
                        "--compression=" + (format.equals("csv") ? "gzip" : ""),
                        "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix,
                        "--runId=" + runId))));

    Manifest manifest = result.manifest();
    assertThat(result.queryRows(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(manifest.files(), hasSize(3));
    assertThat(manifest.columns(), hasSize(20));

    List<String> keys = fixture.s3.keys(RouteFixture.BUCKET, prefix + "/");
    List<String> expected = new ArrayList<>();
    for (Manifest.FileEntry file : manifest.files()) {
      expected.add(prefix + "/" + runId + "/" + file.name());
      byte[] bytes = fixture.s3.get(RouteFixture.BUCKET, prefix + "/" + runId + "/" + file.name());
      assertThat(file.name() + " size", (long) bytes.length, equalTo(file.bytes()));
      assertThat(
          file.name() + " sha256",
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
          equalTo(file.sha256()));
    }
    expected.add(prefix + "/" + runId + "/_manifest.json");
    expected.add(prefix + "/" + runId + "/_SUCCESS");
    expected.add(prefix + "/" + runId + "/_COMPLETE");
    assertThat(keys, containsInAnyOrder(expected.toArray()));
    assertThat(
        manifest.files().stream().map(Manifest.FileEntry::uri).toList(),
        everyItem(startsWith("s3://" + RouteFixture.BUCKET + "/" + prefix + "/" + runId + "/")));
    assertThat(fixture.s3.keys(RouteFixture.BUCKET, prefix + "/_lakeroute_staging/"), empty());
  }

  @Test
  void withoutFingerprintsRowsAreCheckedByCountsAndFilesByCountsAndSha256() throws Exception {
    String prefix = "route1/unfingerprinted";
    RouteOptions options =
        Lakeroute.parse(
            RouteFixture.array(
                fixture.args(
                    "DirectRunner",
                    "--query=SELECT * FROM customers",
                    "--partitionColumn=id",
                    "--partitions=2",
                    "--format=csv",
                    "--fingerprints=false",
                    "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix,
                    "--runId=it")));
    RouteResult result = Lakeroute.run(options);

    Manifest manifest = result.manifest();
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(manifest.fingerprint(), nullValue());
    assertThat(
        manifest.files().stream().map(Manifest.FileEntry::fingerprint).toList(),
        everyItem(nullValue()));
    assertThat(
        RunSummary.format(options, result, null),
        containsString(
            "not fingerprinted (--fingerprints=false): rows checked by counts, files by counts and"
                + " SHA-256"));
    VerifyPublished.Result verified = VerifyPublished.of(manifest);
    assertThat(verified.fingerprinted(), equalTo(false));
    assertThat(verified.differences(), empty());
    assertThat(verified.rows(), equalTo(RouteFixture.CUSTOMER_ROWS));
  }
}
