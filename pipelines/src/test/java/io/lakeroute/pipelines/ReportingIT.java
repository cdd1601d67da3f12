package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lakeroute.pipelines.demo.CustomerTable;
import io.lakeroute.pipelines.lineage.RunEvents;
import io.lakeroute.pipelines.run.ExitCode;
import io.openlineage.client.OpenLineage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run tells while and after it runs: progress lines with rising counts during a long run,
 * and OpenLineage run events that a lineage server receives. The lineage server here is a fake: a
 * loopback HTTP receiver in this test that keeps every body posted to it, as Marquez's {@code POST
 * /api/v1/lineage} would; every event is held to the OpenLineage client's own model strictly
 * ({@link RunEvents#checked}).
 */
class ReportingIT {
  private static final String LONG_TABLE = "progress_rows";
  private static final long LONG_ROWS = 300_000;
  private static final Pattern ROWS = Pattern.compile("rows ([0-9,]+) of ([0-9,]+)");

  private static RouteFixture fixture;
  private static HttpServer receiver;
  private static final List<String> received = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
    try (Connection connection = fixture.postgres.connect()) {
      connection.createStatement().execute("DROP TABLE IF EXISTS " + LONG_TABLE);
      CustomerTable.createWithCopy(connection, LONG_TABLE, LONG_ROWS);
    }
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    receiver.createContext(
        "/api/v1/lineage",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private List<String> args(String query, String... more) {
    List<String> args = fixture.sourceArgs("DirectRunner");
    args.add("--query=" + query);
    args.add("--destination=" + dir.resolve("lake"));
    args.add("--summaryPath=" + dir.resolve("summary.json"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void progressLogLinesRiseDuringALongRun() throws Exception {
    List<Long> counts = progressCounts("DirectRunner");
    assertThat("progress lines: " + counts, counts.size(), greaterThanOrEqualTo(2));
    assertThat(
        "counts rise during the run: " + counts,
        counts.stream().filter(c -> c > 0 && c < LONG_ROWS).count(),
        greaterThanOrEqualTo(1L));
  }

  /** On Spark the counts are the driver's: its accumulators, merged as tasks end. */
  @Test
  void theSparkDriverReportsProgressToo() throws Exception {
    List<Long> counts = progressCounts("SparkRunner");
    assertThat(
        "the driver saw rows read: " + counts,
        counts.stream().filter(c -> c > 0).count(),
        greaterThanOrEqualTo(1L));
  }

  /**
   * The row counts of the progress lines of a run of {@value #LONG_ROWS} rows on {@code runner},
   * each line checked for the planned count, rate, files and elapsed time; they never fall.
   */
  private List<Long> progressCounts(String runner) {
    List<String> args =
        args(
            "SELECT * FROM " + LONG_TABLE,
            "--partitionColumn=id",
            "--partitions=12",
            "--format=csv",
            "--progress=log",
            "--progressSeconds=1");
    args.replaceAll(a -> a.startsWith("--runner=") ? "--runner=" + runner : a);
    if (runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    RouteFixture.Outcome outcome = RouteFixture.launch(args);
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    List<Long> counts = new ArrayList<>();
    for (String line : outcome.err().split("\n")) {
      Matcher rows = ROWS.matcher(line);
      if (line.startsWith("lakeroute progress ") && rows.find()) {
        assertThat(rows.group(2), equalTo("300,000"));
        assertThat(line, containsString("rows/s"));
        assertThat(line, containsString("files "));
        assertThat(line, containsString("elapsed "));
        counts.add(Long.parseLong(rows.group(1).replace(",", "")));
      }
    }
    for (int i = 1; i < counts.size(); i++) {
      assertThat(
          "counts never fall: " + counts, counts.get(i), greaterThanOrEqualTo(counts.get(i - 1)));
    }
    return counts;
  }

  @Test
  void quietShowsNoProgress() {
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args("SELECT * FROM customers", "--progress=log", "--progressSeconds=1", "--quiet"));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(outcome.err(), not(containsString("lakeroute progress")));
  }

  @Test
  void aLineageServerReceivesStartAndCompleteWithTheRunsFacts() throws Exception {
    received.clear();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort();
    RouteFixture.Outcome outcome =
        RouteFixture.launch(args("SELECT * FROM customers", "--openLineageUrl=" + url));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(received.size(), equalTo(2));
    for (String body : received) {
      assertThat(body, not(containsString(fixture.postgres.password())));
    }
    OpenLineage.RunEvent start = RunEvents.checked(received.get(0));
    OpenLineage.RunEvent complete = RunEvents.checked(received.get(1));
    assertThat(start.getEventType(), equalTo(OpenLineage.RunEvent.EventType.START));
    assertThat(complete.getEventType(), equalTo(OpenLineage.RunEvent.EventType.COMPLETE));
    assertThat(complete.getRun().getRunId(), equalTo(start.getRun().getRunId()));
    assertThat(complete.getJob().getNamespace(), equalTo("lakeroute"));
    assertThat(complete.getJob().getName(), equalTo("s3:" + dir.resolve("lake")));
    assertThat(
        complete.getJob().getFacets().getSql().getQuery(), equalTo("SELECT * FROM customers"));

    String database = fixture.postgres.jdbcUrl().replaceAll(".*/", "").replaceAll("\\?.*", "");
    OpenLineage.InputDataset input = complete.getInputs().get(0);
    assertThat(
        input.getNamespace(),
        equalTo(
            fixture
                .postgres
                .jdbcUrl()
                .replaceAll("^jdbc:postgresql://([^/]+)/.*", "postgres://$1")));
    assertThat(input.getName(), equalTo(database + ".customers"));

    OpenLineage.OutputDataset files = complete.getOutputs().get(0);
    assertThat(files.getNamespace(), equalTo("file"));
    assertThat(files.getName(), equalTo(dir.resolve("lake").toString() + "/" + today()));
    assertThat(
        files.getOutputFacets().getOutputStatistics().getRowCount(),
        equalTo(RouteFixture.CUSTOMER_ROWS));
    List<String> columns = new ArrayList<>();
    files
        .getFacets()
        .getSchema()
        .getFields()
        .forEach(f -> columns.add(f.getName() + " " + f.getType()));
    assertThat(columns.size(), equalTo(CustomerTable.COLUMNS));
    assertThat(columns, hasItem("id int64"));

    JsonNode verdict = new ObjectMapper().readTree(received.get(1)).at("/run/facets/lakeroute");
    assertThat(verdict.get("validation").asText(), equalTo("reconciled"));
    assertThat(verdict.at("/rows/query").asLong(), equalTo(RouteFixture.CUSTOMER_ROWS));
    assertThat(verdict.at("/rows/files").asLong(), equalTo(RouteFixture.CUSTOMER_ROWS));

    JsonNode lineage = summaryRun().get("lineage");
    assertThat(lineage.get("delivered").asInt(), equalTo(2));
    assertThat(lineage.get("failed").asInt(), equalTo(0));
    assertThat(outcome.out(), containsString("lineage    2 events delivered to " + url + "\n"));
    assertThat(lineage.get("runId").asText(), equalTo(start.getRun().getRunId().toString()));
  }

  /**
   * The console transport writes through the log to stderr; stdout holds the summary alone, so a
   * script reading it is not disturbed.
   */
  @Test
  void eventsOnTheConsoleGoToStderrNeverStdout() throws Exception {
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    RouteFixture.Outcome outcome;
    System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      outcome =
          RouteFixture.launch(args("SELECT * FROM customers", "--openLineageConsole", "--quiet"));
    } finally {
      System.setErr(original);
    }
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(outcome.out(), not(containsString("eventType")));
    List<OpenLineage.RunEvent> events = new ArrayList<>();
    for (String line : stderr.toString(StandardCharsets.UTF_8).split("\n")) {
      int json = line.indexOf("ConsoleTransport - {");
      if (json >= 0) {
        events.add(RunEvents.checked(line.substring(line.indexOf('{', json))));
      }
    }
    assertThat(events.size(), equalTo(2));
    assertThat(events.get(0).getEventType(), equalTo(OpenLineage.RunEvent.EventType.START));
    assertThat(events.get(1).getEventType(), equalTo(OpenLineage.RunEvent.EventType.COMPLETE));
    assertThat(
        events.get(1).getOutputs().get(0).getOutputFacets().getOutputStatistics().getRowCount(),
        equalTo(RouteFixture.CUSTOMER_ROWS));
    JsonNode lineage = summaryRun().get("lineage");
    assertThat(lineage.get("transports").get(0).asText(), equalTo("console"));
    assertThat(lineage.get("delivered").asInt(), equalTo(2));
  }

  @Test
  void aFailedRunSendsFailWithTheError() {
    received.clear();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/lineage";
    RouteFixture.Outcome outcome =
        RouteFixture.launch(args("SELECT * FROM no_such_table", "--openLineageUrl=" + url));
    assertThat(outcome.code(), equalTo(ExitCode.SOURCE));
    assertThat(received.size(), equalTo(2));
    assertThat(
        RunEvents.checked(received.get(0)).getEventType(),
        equalTo(OpenLineage.RunEvent.EventType.START));
    OpenLineage.RunEvent fail = RunEvents.checked(received.get(1));
    assertThat(fail.getEventType(), equalTo(OpenLineage.RunEvent.EventType.FAIL));
    assertThat(
        fail.getRun().getFacets().getErrorMessage().getMessage(), containsString("no_such_table"));
  }

  @Test
  void aLineageServerThatIsDownNeverFailsTheRun() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    RouteFixture.Outcome outcome =
        RouteFixture.launch(
            args("SELECT * FROM customers", "--openLineageUrl=http://127.0.0.1:" + closed));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    assertThat(outcome.err(), containsString("warning: the OpenLineage START event did not reach"));
    JsonNode lineage = summaryRun().get("lineage");
    assertThat(lineage.get("delivered").asInt(), equalTo(0));
    assertThat(lineage.get("failed").asInt(), equalTo(2));
    assertThat(
        outcome.out(),
        containsString(
            "lineage    NOT delivered: 2 of 2 events to http://127.0.0.1:"
                + closed
                + " failed (last: COMPLETE to http://127.0.0.1:"));
    assertThat(outcome.out(), containsString("); the data run is unaffected\n"));
  }

  @Test
  void eventsGoToAFileOnePerLine() throws Exception {
    Path events = dir.resolve("events.jsonl");
    RouteFixture.Outcome outcome =
        RouteFixture.launch(args("SELECT * FROM customers", "--openLineageFile=" + events));
    assertThat(outcome.err(), outcome.code(), equalTo(ExitCode.OK));
    List<String> lines = Files.readAllLines(events);
    assertThat(lines.size(), equalTo(2));
    assertThat(
        RunEvents.checked(lines.get(0)).getEventType(),
        equalTo(OpenLineage.RunEvent.EventType.START));
    assertThat(
        RunEvents.checked(lines.get(1)).getEventType(),
        equalTo(OpenLineage.RunEvent.EventType.COMPLETE));
  }

  private JsonNode summaryRun() throws Exception {
    return new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).get("runs").get(0);
  }

  private static String today() {
    return java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
  }
}
