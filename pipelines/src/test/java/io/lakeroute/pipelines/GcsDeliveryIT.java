package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.RouteFixture.Outcome;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.testing.LocalGcs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route 1's delivery to Google Cloud Storage end to end: PostgreSQL 15 → CSV → gs:// on the Direct
 * and the Spark runner (local[2]), through Beam's own GCS filesystem against {@link LocalGcs}.
 * Checks what ObjectStoreRouteIT checks for S3, reads the CSV back from the bucket with an
 * independent parser, proves a service-account key reaches Spark's workers, and that a missing
 * bucket or a refused credential fails before the query runs.
 */
class GcsDeliveryIT {
  private static RouteFixture fixture;
  private static LocalGcs gcs;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    gcs = fixture.gcs();
  }

  static Stream<Arguments> runnersAndCompressions() {
    List<Arguments> cases = new ArrayList<>();
    for (String runner : List.of("DirectRunner", "SparkRunner")) {
      for (String compression : List.of("gzip", "none")) {
        cases.add(Arguments.of(runner, compression));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} csv {1}")
  @MethodSource("runnersAndCompressions")
  void deliversCustomersAsCsvToGcs(String runner, String compression) throws Exception {
    String prefix = "route/" + runner + "/csv-" + compression;
    String runId = "it-csv";
    RouteResult result =
        Lakeroute.run(
            Lakeroute.parse(
                RouteFixture.array(
                    fixture.gcsArgs(
                        runner,
                        "--query=SELECT * FROM customers",
                        "--partitionColumn=id",
                        "--partitions=3",
                        "--format=csv",
                        "--compression=" + compression,
                        "--destination=gs://" + RouteFixture.GCS_BUCKET + "/" + prefix,
                        "--runId=" + runId))));

    Manifest manifest = result.manifest();
    assertThat(result.queryRows(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(manifest.files(), hasSize(3));
    assertThat(manifest.columns(), hasSize(20));

    String run = prefix + "/" + runId + "/";
    List<String> expected = new ArrayList<>();
    long rows = 0;
    for (Manifest.FileEntry file : manifest.files()) {
      expected.add(run + file.name());
      assertThat(file.name(), endsWith(compression.equals("gzip") ? ".csv.gz" : ".csv"));
      byte[] bytes = gcs.get(RouteFixture.GCS_BUCKET, run + file.name());
      assertThat(file.name() + " size", (long) bytes.length, equalTo(file.bytes()));
      assertThat(file.name() + " sha256", sha256(bytes), equalTo(file.sha256()));
      List<CSVRecord> records = csv(bytes, compression.equals("gzip"));
      assertThat(records.get(0).get(0), equalTo("id"));
      assertThat(file.name() + " rows", records.size() - 1L, equalTo(file.rows()));
      rows += records.size() - 1;
    }
    assertThat(rows, equalTo(RouteFixture.CUSTOMER_ROWS));
    expected.add(run + "_manifest.json");
    expected.add(run + "_SUCCESS");
    expected.add(run + "_COMPLETE");
    assertThat(
        gcs.objects(RouteFixture.GCS_BUCKET, prefix + "/"), containsInAnyOrder(expected.toArray()));
    assertThat(
        manifest.files().stream().map(Manifest.FileEntry::uri).toList(),
        everyItem(startsWith("gs://" + RouteFixture.GCS_BUCKET + "/" + run)));
    assertThat(gcs.objects(RouteFixture.GCS_BUCKET, prefix + "/_lakeroute_staging/"), empty());
  }

  @Test
  void aServiceAccountKeyReachesSparksWorkers() throws Exception {
    // A private bucket answers anonymous requests with 401: a worker that lost the key would fail.
    gcs.createPrivateBucket("lakeroute-gcs-it-private");
    Path key = gcs.createServiceAccountKey("lakeroute-it@demo-lakeroute.iam.gserviceaccount.com");
    int tokensBefore = count(gcs.log(), "POST /token → 200");
    List<String> args = fixture.sourceArgs("SparkRunner");
    args.addAll(List.of(gcs.endpointArgs()));
    args.add("--route=gcs");
    args.addAll(
        List.of(
            "--gcsServiceAccountKeyFile=" + key,
            "--query=SELECT * FROM customers",
            "--partitionColumn=id",
            "--partitions=2",
            "--format=parquet",
            "--destination=gs://lakeroute-gcs-it-private/keyed",
            "--runId=k1"));

    RouteResult result = Lakeroute.run(Lakeroute.parse(RouteFixture.array(args)));

    assertThat(result.manifest().rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(
        gcs.objects("lakeroute-gcs-it-private", "keyed/k1/"),
        containsInAnyOrder(
            "keyed/k1/part-00000-of-00002.parquet",
            "keyed/k1/part-00001-of-00002.parquet",
            "keyed/k1/_manifest.json",
            "keyed/k1/_SUCCESS",
            "keyed/k1/_COMPLETE"));
    assertThat(count(gcs.log(), "POST /token → 200") > tokensBefore, equalTo(true));
  }

  @Test
  void aMissingBucketFailsBeforeTheQueryRuns() throws Exception {
    Outcome outcome =
        launch(fixture.gcsArgs("DirectRunner", "--destination=gs://no-such-bucket/exports"));
    assertThat(outcome.code(), equalTo(ExitCode.DELIVERY));
    assertThat(
        outcome.err(),
        containsString(
            "bucket gs://no-such-bucket does not exist (GCS: 404 The specified bucket does not"
                + " exist.). Create it, or correct the destination."));
    assertThat(outcome.err(), containsString("Credentials: --credentialFactoryClass="));
  }

  @Test
  void aRefusedServiceAccountKeyFailsBeforeTheQueryRunsAndIsNamed() throws Exception {
    Path key = gcs.forgedServiceAccountKey("rotated@demo-lakeroute.iam.gserviceaccount.com");
    List<String> args = fixture.sourceArgs("DirectRunner");
    args.addAll(List.of(gcs.endpointArgs()));
    args.add("--route=gcs");
    args.add("--gcsServiceAccountKeyFile=" + key);
    args.add("--destination=gs://" + RouteFixture.GCS_BUCKET + "/refused");
    Outcome outcome = launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.DELIVERY));
    assertThat(
        outcome.err(),
        containsString(
            "Google refused the credentials when asked for an access token (400 invalid_grant:"
                + " Invalid JWT Signature.)"));
    assertThat(
        outcome.err(),
        containsString(
            "Credentials: service-account key --gcsServiceAccountKeyFile="
                + key
                + " (rotated@demo-lakeroute.iam.gserviceaccount.com)"));
    assertThat(outcome.err(), not(containsString("PRIVATE KEY")));
  }

  @Test
  void aMissingKeyFileIsAUsageErrorNamingTheOption() throws Exception {
    List<String> args = fixture.sourceArgs("DirectRunner");
    args.addAll(List.of(gcs.endpointArgs()));
    args.add("--route=gcs");
    args.add("--gcsServiceAccountKeyFile=" + temp.resolve("absent.json"));
    args.add("--destination=gs://" + RouteFixture.GCS_BUCKET + "/absent");
    Outcome outcome = launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(
        outcome.err(),
        containsString(
            "--gcsServiceAccountKeyFile=" + temp.resolve("absent.json") + " does not exist"));
  }

  @Test
  void aKeyFileThatIsNotAKeyIsAUsageErrorThatNeverShowsIt() throws Exception {
    Path notAKey = temp.resolve("key.pem");
    Files.writeString(notAKey, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n");
    List<String> args = fixture.sourceArgs("DirectRunner");
    args.addAll(List.of(gcs.endpointArgs()));
    args.add("--route=gcs");
    args.add("--gcsServiceAccountKeyFile=" + notAKey);
    args.add("--destination=gs://" + RouteFixture.GCS_BUCKET + "/not-a-key");
    Outcome outcome = launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString("is not a service-account key"));
    assertThat(outcome.err(), not(containsString("c2VjcmV0")));
  }

  private Outcome launch(List<String> args) throws Exception {
    return fixture.launchNothingRead(args);
  }

  private static List<CSVRecord> csv(byte[] bytes, boolean gzipped) throws Exception {
    InputStream in = new ByteArrayInputStream(bytes);
    if (gzipped) {
      in = new GZIPInputStream(in);
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        CSVParser parser = CSVFormat.DEFAULT.parse(reader)) {
      return parser.getRecords();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
