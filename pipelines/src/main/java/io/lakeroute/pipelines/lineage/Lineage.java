package io.lakeroute.pipelines.lineage;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.RoutePlan;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.pipelines.run.Step;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ConsoleTransport;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import java.io.PrintStream;
import java.net.URI;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenLineage run events of one run: START when it begins, then COMPLETE or FAIL, with the source
 * (the query, or the table it reads) as input and the published files, the warehouse table and the
 * Databricks table as outputs, each with its schema and row count. They go over HTTP to a lineage
 * server ({@code --openLineageUrl}, e.g. Marquez), to a file ({@code --openLineageFile}, one JSON
 * event per line) and/or to the console ({@code --openLineageConsole}), through the OpenLineage
 * Java client's own transports. The client's console transport logs each event at INFO through
 * SLF4J, which lakeroute's logger (simplelogger.properties) writes to stderr: stdout carries only
 * the run summary, which scripts read, so events never mix into it.
 *
 * <p>Lineage is a report about the data run, never part of it: an event that cannot be delivered is
 * a warning on stderr and a line in the run summary ({@link #report()}), and the run goes on.
 */
public final class Lineage implements AutoCloseable {
  /** lakeroute's version, from the jar's manifest ("dev" when run from classes). */
  static final String VERSION =
      java.util.Objects.requireNonNullElse(
          Lineage.class.getPackage().getImplementationVersion(), "dev");

  /**
   * Who produced the events, as OpenLineage asks: this program and its version, as a URN because
   * lakeroute has no public home page a URL could point to.
   */
  static final URI PRODUCER = URI.create("urn:lakeroute:" + VERSION);

  private static final int HTTP_TIMEOUT_MILLIS = 5_000;

  /** Where one kind of transport sends events. */
  private record Sink(String name, OpenLineageClient client) {}

  private final OpenLineage openLineage = new OpenLineage(PRODUCER);
  private final List<Sink> sinks;
  private final RouteOptions options;
  private final RunConfig run;
  private final String route;
  private final RoutePlan plan;
  private final PrintStream err;
  private final UUID runId = UUID.randomUUID();
  private int sent;
  private int lost;
  private String error;

  private Lineage(
      List<Sink> sinks,
      RouteOptions options,
      RunConfig run,
      String route,
      RoutePlan plan,
      PrintStream err) {
    this.sinks = sinks;
    this.options = options;
    this.run = run;
    this.route = route;
    this.plan = plan;
    this.err = err;
  }

  /**
   * The events of one run of {@code route}, to the transports the options name (none: nothing is
   * sent); warnings go to {@code err}.
   */
  public static Lineage of(
      RouteOptions options, RunConfig run, String route, RoutePlan plan, PrintStream err) {
    List<Sink> sinks = new ArrayList<>();
    if (options.getOpenLineageUrl() != null) {
      sinks.add(
          new Sink(
              options.getOpenLineageUrl(),
              new OpenLineageClient(new HttpTransport(http(options.getOpenLineageUrl())))));
    }
    if (options.getOpenLineageConsole()) {
      sinks.add(new Sink("console", new OpenLineageClient(new ConsoleTransport())));
    }
    if (options.getOpenLineageFile() != null) {
      sinks.add(
          new Sink(
              options.getOpenLineageFile(),
              new OpenLineageClient(
                  new FileTransport(new FileConfig(options.getOpenLineageFile())))));
    }
    return new Lineage(sinks, options, run, route, plan, err);
  }

  /**
   * The HTTP transport's settings: a URL with a path posts to that path, a bare server to the
   * OpenLineage API's {@code /api/v1/lineage}.
   */
  static HttpConfig http(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--openLineageUrl=" + url + " is not a URL: give e.g. http://marquez:5000", e);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--openLineageUrl=" + url + " is not an http(s) URL: give e.g. http://marquez:5000");
    }
    HttpConfig config = new HttpConfig();
    String path = uri.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      config.setUrl(uri);
    } else {
      config.setUrl(URI.create(uri.getScheme() + "://" + uri.getRawAuthority()));
      config.setEndpoint(path);
    }
    config.setTimeoutInMillis(HTTP_TIMEOUT_MILLIS);
    return config;
  }

  /** Whether any transport is configured. */
  public boolean enabled() {
    return !sinks.isEmpty();
  }

  public void start() {
    emit(OpenLineage.RunEvent.EventType.START, runFacets(null, null), null, null);
  }

  /** The run succeeded: its outputs with schema and row counts. */
  public void complete(RouteResult result) {
    emit(
        OpenLineage.RunEvent.EventType.COMPLETE,
        runFacets(null, result),
        result.manifest(),
        result);
  }

  /** The run failed with {@code failure} (already scrubbed of secrets). */
  public void fail(RunFailure failure) {
    emit(
        OpenLineage.RunEvent.EventType.FAIL,
        runFacets(
            openLineage
                .newErrorMessageRunFacetBuilder()
                .message(failure.getMessage())
                .programmingLanguage("JAVA")
                .build(),
            null),
        null,
        null);
  }

  /** What was delivered, for the run summary; null without transports. */
  public Map<String, Object> report() {
    if (!enabled()) {
      return null;
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("runId", runId.toString());
    report.put("transports", sinks.stream().map(Sink::name).toList());
    report.put("delivered", sent);
    report.put("failed", lost);
    report.put("error", error);
    return report;
  }

  /**
   * The printed summary's line: what reached the transports, or that events were lost and the data
   * run is unaffected; null without transports.
   */
  public String summaryLine() {
    if (!enabled()) {
      return null;
    }
    String to = String.join(", ", sinks.stream().map(Sink::name).toList());
    if (lost == 0) {
      return sent + " events delivered to " + to;
    }
    return "NOT delivered: "
        + lost
        + " of "
        + (sent + lost)
        + " events to "
        + to
        + " failed (last: "
        + error
        + "); the data run is unaffected";
  }

  @Override
  public void close() {
    for (Sink sink : sinks) {
      try {
        sink.client().close();
      } catch (Exception e) {
        // Nothing is left to send; a transport that cannot close loses nothing of the run.
      }
    }
  }

  private void emit(
      OpenLineage.RunEvent.EventType type,
      OpenLineage.RunFacets runFacets,
      Manifest manifest,
      RouteResult result) {
    if (sinks.isEmpty()) {
      return;
    }
    OpenLineage.RunEvent event =
        openLineage
            .newRunEventBuilder()
            .eventType(type)
            .eventTime(ZonedDateTime.now(ZoneOffset.UTC))
            .run(openLineage.newRunBuilder().runId(runId).facets(runFacets).build())
            .job(job())
            .inputs(List.of(input(manifest)))
            .outputs(outputs(manifest, result))
            .build();
    for (Sink sink : sinks) {
      try {
        sink.client().emit(event);
        sent++;
      } catch (RuntimeException e) {
        lost++;
        error = type + " to " + sink.name() + ": " + e.getMessage();
        err.println(
            "lakeroute: warning: the OpenLineage "
                + type
                + " event did not reach "
                + sink.name()
                + " ("
                + e.getMessage()
                + "); the run goes on, and the summary says so.");
      }
    }
  }

  /**
   * The run's facets; on COMPLETE ({@code result} given) lakeroute's own facet carries the
   * validation verdict: the rows at every hop, which the run reconciled before it could succeed.
   */
  private OpenLineage.RunFacets runFacets(
      OpenLineage.ErrorMessageRunFacet error, RouteResult result) {
    OpenLineage.RunFacet lakeroute = openLineage.newRunFacet();
    lakeroute.getAdditionalProperties().put("runId", run.runId());
    lakeroute.getAdditionalProperties().put("route", route);
    if (result != null) {
      Map<String, Long> rows = new LinkedHashMap<>();
      rows.put("query", result.queryRows() < 0 ? null : result.queryRows());
      rows.put("files", result.manifest().rowCount());
      rows.put("warehouse", result.rowsInWarehouse() < 0 ? null : result.rowsInWarehouse());
      rows.put("databricks", result.rowsInDatabricks() < 0 ? null : result.rowsInDatabricks());
      lakeroute.getAdditionalProperties().put("validation", "reconciled");
      lakeroute.getAdditionalProperties().put("rows", rows);
    }
    return openLineage
        .newRunFacetsBuilder()
        .nominalTime(
            openLineage
                .newNominalTimeRunFacetBuilder()
                .nominalStartTime(
                    ZonedDateTime.of(run.logicalDate(), LocalTime.MIDNIGHT, ZoneOffset.UTC))
                .build())
        .processing_engine(
            openLineage
                .newProcessingEngineRunFacetBuilder()
                .name("lakeroute")
                .version(VERSION)
                .openlineageAdapterVersion(
                    OpenLineage.class.getPackage().getImplementationVersion())
                .build())
        .errorMessage(error)
        .put("lakeroute", lakeroute)
        .build();
  }

  private OpenLineage.Job job() {
    return openLineage
        .newJobBuilder()
        .namespace(options.getOpenLineageNamespace())
        .name(
            options.getOpenLineageJobName() != null
                ? options.getOpenLineageJobName()
                : route + ":" + stableName())
        .facets(
            openLineage
                .newJobFacetsBuilder()
                .sql(openLineage.newSQLJobFacetBuilder().query(run.query()).build())
                .jobType(
                    openLineage
                        .newJobTypeJobFacetBuilder()
                        .processingType("BATCH")
                        .integration("LAKEROUTE")
                        .jobType("JOB")
                        .build())
                .build())
        .build();
  }

  /** What names the job across runs: its last output, without the run id. */
  private String stableName() {
    if (databricksTable() != null) {
      return databricksTable();
    }
    String warehouse = warehouseTable();
    return warehouse != null ? warehouse : run.destination();
  }

  private OpenLineage.InputDataset input(Manifest manifest) {
    Datasets.Name source = Datasets.source(options.getJdbcUrl(), run.query());
    return openLineage
        .newInputDatasetBuilder()
        .namespace(source.namespace())
        .name(source.name())
        .facets(facets(manifest))
        .build();
  }

  private List<OpenLineage.OutputDataset> outputs(Manifest manifest, RouteResult result) {
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    Datasets.Name files = Datasets.location(run.layout().runDirectory().toString());
    outputs.add(
        output(
            files,
            manifest,
            manifest == null
                ? null
                : openLineage
                    .newOutputStatisticsOutputDatasetFacetBuilder()
                    .rowCount(manifest.rowCount())
                    .size(manifest.totalBytes())
                    .fileCount((long) manifest.fileCount())
                    .build()));
    String warehouse = warehouseTable();
    if (warehouse != null) {
      Datasets.Name name =
          route.equals("bigquery")
              ? new Datasets.Name("bigquery", warehouse)
              : new Datasets.Name(Datasets.namespace(options.getWarehouseJdbcUrl()), warehouse);
      outputs.add(output(name, manifest, rows(result == null ? -1 : result.rowsInWarehouse())));
    }
    String databricks = databricksTable();
    if (databricks != null) {
      outputs.add(
          output(
              new Datasets.Name(Datasets.databricks(options), databricks),
              manifest,
              rows(result == null ? -1 : result.rowsInDatabricks())));
    }
    return outputs;
  }

  private OpenLineage.OutputStatisticsOutputDatasetFacet rows(long count) {
    return count < 0
        ? null
        : openLineage.newOutputStatisticsOutputDatasetFacetBuilder().rowCount(count).build();
  }

  private OpenLineage.OutputDataset output(
      Datasets.Name name, Manifest manifest, OpenLineage.OutputStatisticsOutputDatasetFacet stats) {
    return openLineage
        .newOutputDatasetBuilder()
        .namespace(name.namespace())
        .name(name.name())
        .facets(facets(manifest))
        .outputFacets(
            stats == null
                ? null
                : openLineage.newOutputDatasetOutputFacetsBuilder().outputStatistics(stats).build())
        .build();
  }

  /** The schema facet, from the published manifest's columns; none before there is one. */
  private OpenLineage.DatasetFacets facets(Manifest manifest) {
    if (manifest == null) {
      return null;
    }
    List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
    for (Manifest.Column column : manifest.columns()) {
      fields.add(
          openLineage
              .newSchemaDatasetFacetFieldsBuilder()
              .name(column.name())
              .type(column.type())
              .build());
    }
    return openLineage
        .newDatasetFacetsBuilder()
        .schema(openLineage.newSchemaDatasetFacetBuilder().fields(fields).build())
        .build();
  }

  private String warehouseTable() {
    if (!plan.laterSteps().contains(Step.LOAD)) {
      return null;
    }
    return route.equals("bigquery")
        ? options.getBigQueryTable()
        : options.getWarehouseSchema() + "." + options.getWarehouseTable();
  }

  private String databricksTable() {
    if (!plan.laterSteps().contains(Step.DATABRICKS) || options.getDatabricksTable() == null) {
      return null;
    }
    return options.getDatabricksCatalog()
        + "."
        + options.getDatabricksSchema()
        + "."
        + options.getDatabricksTable();
  }
}
