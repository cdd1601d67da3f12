package io.lakeroute.pipelines.launch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.lakeroute.pipelines.run.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines end the same way: one message naming the option and what to do, the usage exit
 * code, no stack trace, and never the value of a flag that can hold a secret. No server is needed:
 * every case fails before anything is contacted.
 */
class LauncherTest {
  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY";
  private static final String[] ROUTE = {
    "--route=s3", "--jdbcUrl=jdbc:h2:mem:launcher", "--query=SELECT 1", "--destination=/tmp/lr"
  };

  @TempDir Path temp;

  private record Outcome(ExitCode code, String out, String err) {}

  private static Outcome launch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitCode code =
        Launcher.launch(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.<String, String>of()::get);
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(ROUTE, ROUTE.length + more.length);
    System.arraycopy(more, 0, all, ROUTE.length, more.length);
    return all;
  }

  private static void assertRefused(Outcome outcome, String expected) {
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.USAGE));
    assertThat(outcome.err(), containsString(expected));
    assertThat(outcome.err(), not(containsString(SECRET)));
    assertThat(outcome.err(), not(containsString("\tat ")));
  }

  @Test
  void anAwsSecretKeyOnTheCommandLineIsRefusedWellFormedOrNot() {
    String provider =
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AK\","
            + "\"secretAccessKey\":\""
            + SECRET
            + "\"}";
    assertRefused(launch(with(provider)), "AWS_SECRET_ACCESS_KEY");
    assertRefused(
        launch(with(provider.substring(0, provider.length() - 2))), "--awsCredentialsFile");
  }

  @Test
  void aPasswordInsideTheSourceUrlIsRefused() {
    assertRefused(
        launch(
            "--route=s3",
            "--jdbcUrl=jdbc:postgresql://db/x?user=u&password=" + SECRET,
            "--query=SELECT 1",
            "--destination=/tmp/lr"),
        "--jdbcPasswordFile");
    assertRefused(
        launch(
            "--route=s3",
            "--jdbcUrl=jdbc:postgresql://u:" + SECRET + "@db/x",
            "--query=SELECT 1",
            "--destination=/tmp/lr"),
        "--jdbcPasswordFile");
  }

  @Test
  void aSecretFlagThatDoesNotExistSaysWhatToUse() {
    assertRefused(launch(with("--jdbcPassword=" + SECRET)), "--jdbcPasswordFile");
    assertRefused(launch(with("--jdbcPassword=")), "never taken from the command line");
    assertRefused(launch(with("--databricksToken=" + SECRET)), "--databricksTokenFile");
    assertRefused(
        launch(with("--databricksClientSecret=" + SECRET)), "--databricksClientSecretFile");
    assertRefused(launch(with("--clientSecret=" + SECRET)), "DATABRICKS_CLIENT_SECRET");
  }

  @Test
  void anUnknownProgressModeNamesItsOption() {
    assertRefused(launch(with("--progress=loud")), "--progress=loud");
  }

  @Test
  void aValueThatDoesNotParseNamesItsOption() {
    assertRefused(launch(with("--fetchSize=abc")), "fetchSize");
  }

  @Test
  void aSummaryPathThatCannotBeWrittenFailsBeforeAnythingIsRead() throws Exception {
    Path file = Files.writeString(temp.resolve("plain-file"), "x");
    Outcome outcome = launch(with("--summaryPath=" + file.resolve("summary.json")));
    assertRefused(outcome, "--summaryPath=" + file.resolve("summary.json"));
    assertThat(outcome.err(), containsString("Nothing was read"));
  }

  @Test
  void aStagingRetentionUnderAnHourIsRefusedNotClamped() {
    assertRefused(launch(with("--stagingRetentionHours=0")), "--stagingRetentionHours=0");
  }

  @Test
  void aStallTimeoutOutOfRangeIsRefusedWithTheRange() {
    assertRefused(launch(with("--stallTimeoutSeconds=0")), "give 5 to 86,400 seconds");
    assertRefused(launch(with("--stallTimeoutSeconds=86401")), "--stallTimeoutSeconds=86401");
  }

  @Test
  void theDemoWithAnUnknownFormatGivesOneLine() {
    Outcome outcome = launch("--format=xml", "--destination=" + temp);
    assertRefused(outcome, "xml");
  }

  @Test
  void anUnsetPasswordVariableIsSaidWhenTheSourceRefusesTheConnection() {
    Outcome outcome =
        launch(
            "--route=s3",
            "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/nowhere",
            "--query=SELECT 1",
            "--destination=" + temp.resolve("out"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(
        outcome.err(),
        containsString(
            "No source password was given: the variable LAKEROUTE_JDBC_PASSWORD"
                + " (--jdbcPasswordEnv) is not set"));
  }

  @Test
  void anUnexpectedFailureIsOneLineWithoutSecrets() {
    String[] args = {"--warehouseJdbcUrl=jdbc:x://h;password=" + SECRET};
    assertThat(
        Launcher.unexpected(new IllegalStateException("broke at " + args[0].substring(20)), args)
            .getMessage(),
        not(containsString(SECRET)));
    // Prose about secrets is left alone; JSON members are scrubbed.
    assertThat(
        SecretFlags.scrub("No Azure credentials for azfs://a/c/no-secret: the default chain", args),
        equalTo("No Azure credentials for azfs://a/c/no-secret: the default chain"));
    assertThat(
        SecretFlags.scrub("bad JSON {\"secretAccessKey\": \"" + SECRET + "\"}", args),
        not(containsString(SECRET)));
    // Merge keys are column names, which a message about a duplicate key names.
    assertThat(
        SecretFlags.scrub(
            "merge key columns (k, region)", new String[] {"--databricksMergeKeys=k, region"}),
        equalTo("merge key columns (k, region)"));
  }
}
