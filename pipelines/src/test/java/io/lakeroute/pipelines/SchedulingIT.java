package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.run.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scheduler relies on, against PostgreSQL 15 and S3Mock on loopback: a daily run owns its
 * date, a backfill runs date after date, a re-run replaces, a failed run leaves the previous data
 * and its retry heals, a resume refuses another run's manifest, a dry run writes nothing, and the
 * JSON summary reports every hop.
 */
class SchedulingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUERY = "--query=SELECT * FROM customers WHERE id <= 3000";
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  private List<String> args(String prefix, String... more) {
    List<String> args =
        fixture.args(
            "DirectRunner",
            QUERY,
            "--format=csv",
            "--partitionColumn=id",
            "--partitions=2",
            "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix);
    args.addAll(List.of(more));
    return args;
  }

  private RouteFixture.Outcome launch(List<String> args) {
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.out() + outcome.err(), not(containsString(fixture.postgres.password())));
    return outcome;
  }

  private JsonNode summary(Path file) throws Exception {
    return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
  }

  private List<String> keys(String prefix) {
    return fixture.s3.keys(RouteFixture.BUCKET, prefix);
  }

  @Test
  void aDailyRunOwnsTodaysDateAndTheSummaryReportsEveryHop() throws Exception {
    Path json = temp.resolve("summary.json");
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    RouteFixture.Outcome outcome = launch(args("daily", "--summaryPath=" + json));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(keys("daily/" + today + "/"), hasItem("daily/" + today + "/_SUCCESS"));

    JsonNode root = summary(json);
    assertThat(root.get("schemaVersion").asInt(), equalTo(1));
    assertThat(root.get("status").asText(), equalTo("succeeded"));
    assertThat(root.get("exitCode").asInt(), equalTo(0));
    JsonNode run = root.get("runs").get(0);
    assertThat(run.get("route").asText(), equalTo("s3"));
    assertThat(run.get("runner").asText(), equalTo("DirectRunner"));
    assertThat(run.get("runId").asText(), equalTo(today));
    assertThat(run.get("logicalDate").asText(), equalTo(today));
    assertThat(
        run.get("location").asText(),
        equalTo("s3://" + RouteFixture.BUCKET + "/daily/" + today + "/"));
    assertThat(run.get("counts").get("query").asLong(), equalTo(3000L));
    assertThat(run.get("counts").get("files").asLong(), equalTo(3000L));
    assertThat(run.get("counts").get("databricks").isNull(), equalTo(true));
    assertThat(run.get("fileCount").asInt(), equalTo(2));
    assertThat(run.get("files").size(), equalTo(2));
    assertThat(run.get("error").isNull(), equalTo(true));
    List<String> steps = new ArrayList<>();
    run.get("steps")
        .forEach(s -> steps.add(s.get("name").asText() + "=" + s.get("status").asText()));
    assertThat(
        steps,
        equalTo(
            List.of(
                "preflight=succeeded",
                "plan=succeeded",
                "deliver=succeeded",
                "load=skipped",
                "databricks=skipped")));

    // Tomorrow's retry of today's date replaces it: same objects, same rows.
    List<String> before = keys("daily/");
    assertThat(launch(args("daily")).code(), equalTo(ExitCode.OK));
    assertThat(keys("daily/"), equalTo(before));
  }

  @Test
  void aBackfillRunsEachDateInTurnAndRunningItAgainReplacesThem() throws Exception {
    Path json = temp.resolve("backfill.json");
    List<String> args =
        args("backfill", "--logicalDate=2026-10-30..2026-11-01", "--summaryPath=" + json);
    RouteFixture.Outcome outcome = launch(args);
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    List<String> dates = List.of("2026-10-30", "2026-10-31", "2026-11-01");
    for (String date : dates) {
      Manifest manifest =
          Manifest.fromJson(
              new String(
                  fixture.s3.get(RouteFixture.BUCKET, "backfill/" + date + "/_manifest.json"),
                  StandardCharsets.UTF_8));
      assertThat(manifest.runId(), equalTo(date));
      assertThat(manifest.rowCount(), equalTo(3000L));
    }
    JsonNode runs = summary(json).get("runs");
    List<String> reported = new ArrayList<>();
    runs.forEach(r -> reported.add(r.get("logicalDate").asText() + ":" + r.get("status").asText()));
    assertThat(
        reported, equalTo(dates.stream().map(d -> d + ":succeeded").collect(Collectors.toList())));

    List<String> before = keys("backfill/");
    assertThat(launch(args).code(), equalTo(ExitCode.OK));
    assertThat(keys("backfill/"), equalTo(before));

    RouteFixture.Outcome withRunId =
        launch(args("backfill", "--logicalDate=2026-10-30..2026-11-01", "--runId=x"));
    assertThat(withRunId.code(), equalTo(ExitCode.USAGE));
    assertThat(
        withRunId.err(), containsString("--runId cannot be given with a --logicalDate range"));
  }

  @Test
  void aFailedRunLeavesThePreviousDataInPlaceAndItsRetryHeals() throws Exception {
    List<String> good = args("retry", "--logicalDate=2026-11-20");
    assertThat(launch(good).code(), equalTo(ExitCode.OK));
    byte[] manifestBefore = fixture.s3.get(RouteFixture.BUCKET, "retry/2026-11-20/_manifest.json");
    List<String> keysBefore = keys("retry/");

    // The query fails on row 2500, while the files are being written.
    Path json = temp.resolve("failed.json");
    List<String> failing = new ArrayList<>(good);
    failing.remove(QUERY);
    failing.add("--query=SELECT *, 1 / (2500 - id) AS boom FROM customers WHERE id <= 3000");
    failing.add("--summaryPath=" + json);
    RouteFixture.Outcome failed = launch(failing);
    assertThat(failed.code(), equalTo(ExitCode.SOURCE));
    assertThat(failed.err(), containsString("division by zero"));
    assertThat(keys("retry/"), equalTo(keysBefore));
    assertThat(
        fixture.s3.get(RouteFixture.BUCKET, "retry/2026-11-20/_manifest.json"),
        equalTo(manifestBefore));
    JsonNode run = summary(json).get("runs").get(0);
    assertThat(summary(json).get("exitCode").asInt(), equalTo(3));
    assertThat(run.get("status").asText(), equalTo("failed"));
    assertThat(run.get("error").get("class").asText(), equalTo("source"));
    assertThat(run.get("error").get("step").asText(), equalTo("deliver"));
    assertThat(run.get("error").get("retryable").asBoolean(), equalTo(false));
    assertThat(run.get("error").get("message").asText(), containsString("division by zero"));

    assertThat(launch(good).code(), equalTo(ExitCode.OK));
    assertThat(keys("retry/"), equalTo(keysBefore));
  }

  @Test
  void aDryRunPrintsThePlanAndEveryStatementAndWritesNothing() throws Exception {
    Path token = temp.resolve("token");
    Files.writeString(token, "dapi-secret-token-123\n");
    RouteFixture.Outcome outcome =
        launch(
            args(
                "dry",
                "--dryRun=true",
                "--logicalDate=2026-11-19",
                "--databricksJdbcUrl=jdbc:databricks://127.0.0.1:9/default;httpPath=/sql/1.0/warehouses/x",
                "--databricksTokenFile=" + token,
                "--databricksTable=customers",
                "--databricksMode=delta"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    String out = outcome.out();
    assertThat(out, containsString("DRY RUN"));
    assertThat(out, containsString("2026-11-19 (logical date 2026-11-19, from step query)"));
    assertThat(
        out,
        containsString(
            "s3://" + RouteFixture.BUCKET + "/dry/2026-11-19/part-00000-of-00002.csv (~"));
    assertThat(
        out, containsString("s3://" + RouteFixture.BUCKET + "/dry/_lakeroute_staging/2026-11-19/"));
    assertThat(out, containsString("WHERE id <= 3000"));
    assertThat(out, containsString("CREATE TABLE IF NOT EXISTS `main`.`default`.`customers`"));
    assertThat(out, containsString("INSERT OVERWRITE TABLE `main`.`default`.`customers`"));
    assertThat(
        out,
        containsString("'pathGlobFilter' '{part-00000-of-00002.csv,part-00001-of-00002.csv}'"));
    assertThat(out, not(containsString("dapi-secret-token-123")));
    assertThat(keys("dry/"), empty());
  }

  @Test
  void aResumeNeedsThisRunsPublishedManifest() throws Exception {
    Path token = temp.resolve("token");
    Files.writeString(token, "dapi-x\n");
    String[] databricks = {
      "--databricksJdbcUrl=jdbc:databricks://127.0.0.1:9/default;httpPath=cliservice",
      "--databricksTokenFile=" + token,
      "--databricksTable=customers",
      "--fromStep=databricks"
    };
    RouteFixture.Outcome missing = launch(args("resume", concat(databricks, "--runId=never")));
    assertThat(missing.code(), equalTo(ExitCode.USAGE));
    assertThat(missing.err(), containsString("and it is not there: run from the start"));

    // A manifest copied from another run is refused, whatever its folder says.
    assertThat(launch(args("resume", "--runId=a")).code(), equalTo(ExitCode.OK));
    for (String name : List.of("_manifest.json", "_SUCCESS")) {
      fixture.s3.put(
          RouteFixture.BUCKET,
          "resume/b/" + name,
          fixture.s3.get(RouteFixture.BUCKET, "resume/a/" + name));
    }
    RouteFixture.Outcome foreign = launch(args("resume", concat(databricks, "--runId=b")));
    assertThat(foreign.code(), equalTo(ExitCode.USAGE));
    assertThat(foreign.err(), containsString("belongs to run a, not --runId=b"));

    RouteFixture.Outcome load = launch(args("resume", "--runId=a", "--fromStep=load"));
    assertThat(load.code(), equalTo(ExitCode.USAGE));
    assertThat(load.err(), containsString("--route=s3 loads no warehouse"));
  }

  @Test
  void stagingLeftByACrashedRunIsDeletedOnceItIsOldAndAYoungOneIsKept() throws Exception {
    Path out = temp.resolve("lake");
    Path crashed = out.resolve("_lakeroute_staging/2026-11-01/part-00000-of-00002.csv");
    Path inProgress = out.resolve("_lakeroute_staging/2026-11-02/part-00000-of-00002.csv");
    for (Path file : List.of(crashed, inProgress)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "partial");
    }
    Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
    List<String> args =
        fixture.args(
            "DirectRunner",
            QUERY,
            "--format=csv",
            "--destination=" + out,
            "--logicalDate=2026-11-03",
            "--stagingRetentionHours=24");
    assertThat(launch(args).code(), equalTo(ExitCode.OK));
    assertThat(Files.exists(crashed), equalTo(false));
    assertThat(Files.exists(inProgress), equalTo(true));
    assertThat(Files.exists(out.resolve("2026-11-03/_SUCCESS")), equalTo(true));
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
