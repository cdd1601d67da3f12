package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.lineage.RunEvents;
import io.lakeroute.pipelines.run.ExitCode;
import io.openlineage.client.OpenLineage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job file of three tables against PostgreSQL 15: every table runs, one after the other or at
 * once in JVMs of their own; a table whose source is missing fails alone, the others are delivered,
 * the job exits with the failed table's code and one summary lists every table, and each table
 * sends OpenLineage events of its own run; run again for the same day, it redoes only the failed
 * table.
 */
class JobIT {
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    fixture.postgres.execute(
        "DROP TABLE IF EXISTS job_orders",
        "CREATE TABLE job_orders (id int PRIMARY KEY, day date, total numeric(12,2))",
        "INSERT INTO job_orders VALUES (1, DATE '2026-12-06', 10.50), (2, DATE '2026-12-07',"
            + " 99.99), (3, DATE '2026-12-07', NULL)");
  }

  private Path jobFile() throws Exception {
    Path job = temp.resolve("shop.yaml");
    Files.writeString(
        job,
        String.join(
            "\n",
            "defaults:",
            "  jdbcUrl: " + fixture.postgres.jdbcUrl(),
            "  jdbcUser: " + fixture.postgres.user(),
            "  jdbcPasswordFile: " + fixture.passwordFile,
            "  format: csv",
            "  destination: " + temp.resolve("lake") + "/{table}",
            "tables:",
            "  - table: " + RouteFixture.CUSTOMERS,
            "    partitionColumn: id",
            "  - table: no_such_table",
            "  - name: orders_of_the_day",
            "    query: SELECT * FROM job_orders WHERE day = DATE '{logical_date}'",
            "    format: parquet",
            ""),
        StandardCharsets.UTF_8);
    return job;
  }

  private Manifest manifest(String table) throws Exception {
    return Manifest.fromJson(
        Files.readString(
            temp.resolve("lake").resolve(table).resolve("2026-12-07").resolve("_manifest.json")));
  }

  @Test
  void oneTableFailingLeavesTheOthersDeliveredAndTheJobExitsWithItsCode() throws Exception {
    Path summary = temp.resolve("summary.json");
    List<String> args = new ArrayList<>();
    args.add("--job=" + jobFile());
    args.add("--logicalDate=2026-12-07");
    args.add("--summaryPath=" + summary);
    Path events = temp.resolve("events.jsonl");
    args.add("--openLineageFile=" + events);
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(outcome.err(), containsString("table no_such_table FAILED"));
    assertThat(outcome.out(), containsString("3 tables, 1 failed: no_such_table (exit 3)"));
    assertThat(manifest(RouteFixture.CUSTOMERS).rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    // {logical_date} in the query became the run's date: the two orders of that day.
    Manifest orders = manifest("orders_of_the_day");
    assertThat(orders.rowCount(), equalTo(2L));
    assertThat(orders.format(), equalTo("parquet"));
    String json = Files.readString(summary, StandardCharsets.UTF_8);
    assertThat(json, containsString("\"table\" : \"customers\""));
    assertThat(json, containsString("\"table\" : \"no_such_table\""));
    assertThat(json, containsString("\"table\" : \"orders_of_the_day\""));
    assertThat(json, not(containsString(fixture.postgres.password())));

    assertEachTableIsARunOfItsOwnInLineage(events);
  }

  /** Every table is a run of its own in lineage: its START, then its COMPLETE or FAIL. */
  private void assertEachTableIsARunOfItsOwnInLineage(Path events) throws Exception {
    Map<String, List<String>> byJob = new LinkedHashMap<>();
    Map<String, Set<UUID>> runIds = new LinkedHashMap<>();
    for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
      OpenLineage.RunEvent event = RunEvents.checked(line);
      String job = event.getJob().getName();
      byJob.computeIfAbsent(job, k -> new ArrayList<>()).add(event.getEventType().name());
      runIds.computeIfAbsent(job, k -> new HashSet<>()).add(event.getRun().getRunId());
    }
    String lake = "s3:" + temp.resolve("lake") + "/";
    assertThat(
        byJob,
        equalTo(
            Map.of(
                lake + "customers", List.of("START", "COMPLETE"),
                lake + "no_such_table", List.of("START", "FAIL"),
                lake + "orders_of_the_day", List.of("START", "COMPLETE"))));
    Set<UUID> all = new HashSet<>();
    runIds.values().forEach(ids -> assertThat(ids.size(), equalTo(1)));
    runIds.values().forEach(all::addAll);
    assertThat(all.size(), equalTo(3));
  }

  @Test
  void tablesRunAtOnceInJvmsOfTheirOwnAndARerunRedoesOnlyTheFailedOne() throws Exception {
    Path summary = temp.resolve("parallel.json");
    Path events = temp.resolve("parallel-events.jsonl");
    List<String> args =
        List.of(
            "--job=" + jobFile(),
            "--logicalDate=2026-12-07",
            "--tableParallelism=3",
            "--summaryPath=" + summary,
            "--openLineageFile=" + events);
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(outcome.out(), containsString("── table customers (exit 0) ──"));
    assertThat(outcome.out(), containsString("── table no_such_table (exit 3) ──"));
    assertThat(outcome.out(), containsString("3 tables, 1 failed: no_such_table (exit 3)"));
    assertThat(outcome.err(), containsString("table no_such_table FAILED"));
    assertThat(manifest(RouteFixture.CUSTOMERS).rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(manifest("orders_of_the_day").rowCount(), equalTo(2L));
    JsonNode runs = new ObjectMapper().readTree(summary.toFile()).get("runs");
    assertThat(runs.size(), equalTo(3));
    List<String> statuses = new ArrayList<>();
    runs.forEach(r -> statuses.add(r.get("table").asText() + ":" + r.get("status").asText()));
    assertThat(
        statuses,
        equalTo(
            List.of("customers:succeeded", "no_such_table:failed", "orders_of_the_day:succeeded")));
    assertThat(runs.get(1).get("error").get("exitCode").asInt(), equalTo(3));
    // Each table's JVM sends its own run's events.
    assertEachTableIsARunOfItsOwnInLineage(events);

    // The same day again: the complete tables are not run again, the failed one is.
    RouteFixture.Outcome rerun = RouteFixture.launch(args);
    assertThat(rerun.code(), equalTo(ExitCode.SOURCE));
    assertThat(rerun.out(), containsString("Table customers: run 2026-12-07 already completed"));
    JsonNode again = new ObjectMapper().readTree(summary.toFile()).get("runs");
    List<String> second = new ArrayList<>();
    again.forEach(r -> second.add(r.get("table").asText() + ":" + r.get("status").asText()));
    assertThat(
        second,
        equalTo(
            List.of(
                "customers:already-complete",
                "no_such_table:failed",
                "orders_of_the_day:already-complete")));
  }

  @Test
  void onlyRunsTheTablesItNamesAndRefusesAnUnknownOne() throws Exception {
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            List.of(
                "--job=" + jobFile(),
                "--only=orders_of_the_day",
                "--logicalDate=2026-12-07",
                "--format=json"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(outcome.out(), containsString("1 table, all succeeded"));
    // The command line's --format wins over the file's.
    assertThat(manifest("orders_of_the_day").format(), equalTo("json"));
    assertThat(Files.exists(temp.resolve("lake").resolve(RouteFixture.CUSTOMERS)), equalTo(false));

    RouteFixture.Outcome unknown =
        RouteFixture.launch(List.of("--job=" + jobFile(), "--only=orderz"));
    assertThat(unknown.code(), equalTo(ExitCode.USAGE));
    assertThat(unknown.err(), containsString("--only names 'orderz'"));
    assertThat(unknown.err(), containsString("customers, no_such_table, orders_of_the_day"));
  }
}
