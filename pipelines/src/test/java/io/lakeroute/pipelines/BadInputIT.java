package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input ends the run with one clear message, the exit code of its class, no secret
 * in the output and nothing visible at the destination.
 */
class BadInputIT {
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  private RouteFixture.Outcome launch(List<String> args) {
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.out() + outcome.err(), not(containsString(fixture.postgres.password())));
    return outcome;
  }

  private List<String> args(String destination, String... more) {
    List<String> args = new ArrayList<>(fixture.args("DirectRunner", more));
    args.add("--destination=" + destination);
    return args;
  }

  private String local(String name) {
    return temp.resolve(name).toUri().toString();
  }

  private void assertNothingVisible(String name) throws Exception {
    Path root = temp.resolve(name);
    if (Files.exists(root)) {
      try (var files = Files.walk(root)) {
        assertThat(files.filter(Files::isRegularFile).toList(), empty());
      }
    }
  }

  @Test
  void wrongJdbcUrlIsASourceError() throws Exception {
    List<String> args = args(local("out"), "--query=SELECT 1 AS x");
    args.replaceAll(
        a -> a.startsWith("--jdbcUrl=") ? "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/nowhere" : a);
    RouteFixture.Outcome outcome = launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(outcome.err(), containsString("Cannot connect to the source"));
    assertThat(outcome.err(), containsString("in the JDBC URL"));
    assertNothingVisible("out");
  }

  @Test
  void badCredentialsNameTheOptionsAndNotThePassword() throws Exception {
    Path wrong = temp.resolve("wrong.secret");
    Files.writeString(wrong, "not-the-password");
    List<String> args = args(local("out"), "--query=SELECT 1 AS x");
    args.replaceAll(a -> a.startsWith("--jdbcPasswordFile=") ? "--jdbcPasswordFile=" + wrong : a);
    RouteFixture.Outcome outcome = launch(args);
    assertThat(outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(outcome.err(), containsString("rejected the credentials"));
    assertThat(outcome.err(), not(containsString("not-the-password")));
    assertNothingVisible("out");
  }

  @Test
  void sqlSyntaxErrorIsASourceError() throws Exception {
    RouteFixture.Outcome outcome = launch(args(local("out"), "--query=SELEKT * FROM customers"));
    assertThat(outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(outcome.err(), containsString("rejected the query"));
    assertNothingVisible("out");
  }

  @Test
  void unsupportedColumnTypeFailsBeforeAnyDataMoves() throws Exception {
    RouteFixture.Outcome outcome =
        launch(args(local("out"), "--query=SELECT id, interval '1 day' AS wait FROM customers"));
    assertThat(outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(outcome.err(), containsString("Column 'wait' has type interval"));
    assertNothingVisible("out");
  }

  @Test
  void emptyResultWritesValidFilesAndPasses() throws Exception {
    for (String format : List.of("parquet", "avro", "csv", "json")) {
      RouteResult result =
          Lakeroute.run(
              Lakeroute.parse(
                  RouteFixture.array(
                      args(
                          local("empty-" + format),
                          "--query=SELECT * FROM customers WHERE id < 0",
                          "--format=" + format,
                          "--runId=empty"))));
      Manifest manifest = result.manifest();
      assertThat(manifest.rowCount(), equalTo(0L));
      assertThat(manifest.files(), hasSize(1));
      Path file =
          temp.resolve("empty-" + format).resolve("empty").resolve(manifest.files().get(0).name());
      if (format.equals("csv")) {
        assertThat(Files.readString(file), containsString("id,first_name"));
      } else if (format.equals("json")) {
        assertThat(Files.size(file), equalTo(0L));
      } else {
        assertThat(Files.size(file) > 0, equalTo(true));
      }
    }
  }

  @Test
  void unknownFormatIsAUsageError() throws Exception {
    RouteFixture.Outcome outcome =
        launch(args(local("out"), "--query=SELECT 1 AS x", "--format=xlsx"));
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString("--format=xlsx is not a format"));
    assertNothingVisible("out");
  }

  @Test
  void unknownOptionIsAUsageError() {
    RouteFixture.Outcome outcome =
        launch(args(local("out"), "--query=SELECT 1 AS x", "--formatt=csv"));
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString("formatt"));
  }

  @Test
  void unknownOptionValueIsAUsageError() {
    RouteFixture.Outcome outcome =
        launch(args(local("out"), "--query=SELECT 1 AS x", "--format=csv", "--csvQuoteMode=some"));
    assertThat(outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString("--csvQuoteMode=some"));
  }

  @Test
  void unwritableDestinationIsADeliveryError() throws Exception {
    Path file = temp.resolve("a-file");
    Files.writeString(file, "not a directory");
    RouteFixture.Outcome outcome =
        launch(args(file.resolve("below").toUri().toString(), "--query=SELECT 1 AS x"));
    assertThat(outcome.code(), equalTo(ExitCode.DELIVERY));
    assertThat(outcome.err(), containsString("Cannot write to the destination "));
  }

  @Test
  void missingBucketIsADeliveryErrorNamingIt() {
    RouteFixture.Outcome outcome = launch(args("s3://no-such-bucket/x", "--query=SELECT 1 AS x"));
    assertThat(outcome.code(), equalTo(ExitCode.DELIVERY));
    assertThat(outcome.err(), containsString("s3://no-such-bucket/x"));
    assertThat(outcome.err(), containsString("NoSuchBucket"));
  }

  @Test
  void countMismatchFailsAndPublishesNothing() throws Exception {
    fixture.postgres.execute("DROP SEQUENCE IF EXISTS growing", "CREATE SEQUENCE growing");
    // Every execution of the query returns one row more than the last: the planner's count and
    // the read disagree, as they would if the source changed during the run.
    RouteFixture.Outcome outcome =
        launch(
            args(
                local("mismatch"),
                "--query=SELECT g FROM generate_series(1, nextval('growing')::int) g",
                "--runId=mismatch"));
    assertThat(outcome.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(outcome.err(), containsString("the query returned 1 rows"));
    assertThat(outcome.err(), containsString("hold 2"));
    assertNothingVisible("mismatch");
  }
}
