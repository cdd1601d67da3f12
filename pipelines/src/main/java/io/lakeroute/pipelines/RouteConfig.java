package io.lakeroute.pipelines;

import io.lakeroute.bigquery.BigQueryServicesFactory;
import io.lakeroute.bigquery.BigQueryTarget;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksTable;
import io.lakeroute.databricks.DatabricksTarget;
import io.lakeroute.databricks.Federation;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.Route;
import io.lakeroute.query.JdbcSource;
import io.lakeroute.query.Partitioning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.util.InstanceBuilder;

/**
 * The validated, immutable view of a run's options. Every message names the flag at fault and what
 * to do; secrets are read here, from the environment or a file, and never echoed.
 */
public final class RouteConfig {
  private final Route route;
  private final JdbcSource source;
  private final String query;
  private final Partitioning partitioning;
  private final FormatSpec format;
  private final String destination;
  private final String runId;
  private final LocalDate logicalDate;
  private final Step fromStep;
  private final DatabricksTarget databricksTarget;
  private final DatabricksConnection databricks;
  private final WarehouseConfig warehouse;
  private final BigQueryTarget bigQueryTarget;
  private final BigQueryServices bigQueryServices;
  private final Federation federation;

  private RouteConfig(
      Route route,
      JdbcSource source,
      String query,
      Partitioning partitioning,
      FormatSpec format,
      String destination,
      String runId,
      LocalDate logicalDate,
      Step fromStep,
      DatabricksTarget databricksTarget,
      DatabricksConnection databricks,
      WarehouseConfig warehouse,
      BigQueryTarget bigQueryTarget,
      BigQueryServices bigQueryServices,
      Federation federation) {
    this.route = route;
    this.source = source;
    this.query = query;
    this.partitioning = partitioning;
    this.format = format;
    this.destination = destination;
    this.runId = runId;
    this.logicalDate = logicalDate;
    this.fromStep = fromStep;
    this.databricksTarget = databricksTarget;
    this.databricks = databricks;
    this.warehouse = warehouse;
    this.bigQueryTarget = bigQueryTarget;
    this.bigQueryServices = bigQueryServices;
    this.federation = federation;
  }

  /** Reads and checks the options; {@code env} looks up environment variables. */
  public static RouteConfig from(RouteOptions options, Function<String, String> env) {
    return from(options, env, Clock.systemUTC());
  }

  static RouteConfig from(RouteOptions options, Function<String, String> env, Clock clock) {
    List<LocalDate> dates = LogicalDates.parse(options.getLogicalDate(), clock);
    if (dates.size() > 1) {
      throw new IllegalArgumentException(
          "--logicalDate=" + options.getLogicalDate() + " is a range: run it with the launcher");
    }
    LocalDate logicalDate = dates.get(0);
    String password = password(options, env);
    JdbcSource source =
        JdbcSource.of(
                options.getJdbcUrl(), options.getJdbcDriver(), options.getJdbcUser(), password)
            .withFetchSize(options.getFetchSize());
    Partitioning partitioning =
        (options.getPartitionColumn() == null
                ? Partitioning.none()
                : Partitioning.onColumn(options.getPartitionColumn())
                    .withPartitions(options.getPartitions()))
            .withMaxRowsPerFile(options.getMaxRowsPerFile());
    String runId = options.getRunId() != null ? options.getRunId() : logicalDate.toString();
    Route route = Route.of(options.getRoute());
    FormatSpec format = format(options);
    route.checkFormat(format.format().id());
    Federation federation = federation(route, options);
    return new RouteConfig(
        route,
        source,
        query(options),
        partitioning,
        format,
        destination(options.getDestination()),
        runId,
        logicalDate,
        Step.of(options.getFromStep()),
        databricksTarget(options),
        options.getDatabricksTable() == null && federation == null
            ? null
            : databricksConnection(options, env),
        WarehouseConfig.from(options, route, env),
        bigQueryTarget(route, options),
        options.getBigQueryServicesFactoryClass() == null
            ? null
            : InstanceBuilder.ofType(BigQueryServicesFactory.class)
                .fromClass(options.getBigQueryServicesFactoryClass())
                .build()
                .create(),
        federation);
  }

  /** The table route 5 loads; only that route takes one, and it needs one. */
  private static BigQueryTarget bigQueryTarget(Route route, RouteOptions options) {
    if (route != Route.BIGQUERY) {
      if (options.getBigQueryTable() != null) {
        throw new IllegalArgumentException(
            "--bigQueryTable is only used by --route=bigquery (this run is --route="
                + route.id()
                + ")");
      }
      return null;
    }
    if (options.getBigQueryTable() == null) {
      throw new IllegalArgumentException(
          "--route=bigquery needs --bigQueryTable=project:dataset.table");
    }
    return BigQueryTarget.parse(
        options.getBigQueryTable(), BigQueryTarget.disposition(options.getBigQueryDisposition()));
  }

  /** Route 5's Databricks step: Lakehouse Federation over the loaded table, or null. */
  private static Federation federation(Route route, RouteOptions options) {
    if (options.getDatabricksForeignCatalog() == null) {
      return null;
    }
    if (route != Route.BIGQUERY) {
      throw new IllegalArgumentException(
          "--databricksForeignCatalog is only used by --route=bigquery; give --databricksTable"
              + " to load the files into Databricks");
    }
    if (options.getDatabricksTable() != null) {
      throw new IllegalArgumentException(
          "--route=bigquery reaches Databricks through --databricksForeignCatalog, not"
              + " --databricksTable");
    }
    return Federation.ofBigQuery(
        options.getDatabricksConnection(),
        options.getDatabricksForeignCatalog(),
        bigQueryTarget(route, options).project(),
        Federation.Secret.parse(options.getDatabricksKeySecret()));
  }

  private static DatabricksTarget databricksTarget(RouteOptions options) {
    if (options.getDatabricksTable() == null) {
      return null;
    }
    return new DatabricksTarget(
        new DatabricksTable(
            options.getDatabricksCatalog(),
            options.getDatabricksSchema(),
            options.getDatabricksTable()),
        DatabricksTarget.mode(options.getDatabricksMode()),
        DatabricksTarget.disposition(options.getDatabricksDisposition()),
        DatabricksTarget.dialect(options.getDatabricksDialect()));
  }

  private static DatabricksConnection databricksConnection(
      RouteOptions options, Function<String, String> env) {
    String token =
        options.getDatabricksTokenFile() != null
            ? secretFile(options.getDatabricksTokenFile(), "--databricksTokenFile")
            : env.apply(options.getDatabricksTokenEnv());
    if (options.getDatabricksJdbcUrl() != null) {
      return DatabricksConnection.withUrl(options.getDatabricksJdbcUrl(), token);
    }
    if (options.getDatabricksHost() == null) {
      throw new IllegalArgumentException(
          "--databricksTable needs the workspace: --databricksHost and --databricksHttpPath, or"
              + " --databricksJdbcUrl");
    }
    return DatabricksConnection.of(
        options.getDatabricksHost(), options.getDatabricksHttpPath(), token);
  }

  private static String password(RouteOptions options, Function<String, String> env) {
    if (options.getJdbcPasswordFile() != null) {
      return secretFile(options.getJdbcPasswordFile(), "--jdbcPasswordFile");
    }
    return env.apply(options.getJdbcPasswordEnv());
  }

  /** A secret from a file, trailing newline dropped; the message never shows the content. */
  static String secretFile(String path, String flag) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          flag + "=" + path + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  private static String query(RouteOptions options) {
    if (options.getQuery() != null && options.getQueryFile() != null) {
      throw new IllegalArgumentException("Give either --query or --queryFile, not both");
    }
    if (options.getQueryFile() != null) {
      try {
        return Files.readString(Path.of(options.getQueryFile()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--queryFile=" + options.getQueryFile() + " cannot be read: " + e, e);
      }
    }
    if (options.getQuery() == null || options.getQuery().isBlank()) {
      throw new IllegalArgumentException("Give the query with --query or --queryFile");
    }
    return options.getQuery();
  }

  private static FormatSpec format(RouteOptions options) {
    FileFormat format =
        FileFormat.of(options.getFormat() == null ? "parquet" : options.getFormat());
    CsvOptions csv =
        CsvOptions.defaults()
            .withHeader(options.getCsvHeader())
            .withDelimiter(options.getCsvDelimiter())
            .withQuote(options.getCsvQuote())
            .withEscape(options.getCsvEscape())
            .withNullString(options.getCsvNullString())
            .withLineEnding(options.getCsvLineEnding())
            .withQuoteMode(options.getCsvQuoteMode());
    return FormatSpec.of(format).withCodec(options.getCompression()).withCsv(csv);
  }

  static String destination(String destination) {
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException(
          "--destination is required: a URI such as s3://bucket/prefix or file:///tmp/out");
    }
    return destination.strip();
  }

  public Route route() {
    return route;
  }

  public JdbcSource source() {
    return source;
  }

  public String query() {
    return query;
  }

  public Partitioning partitioning() {
    return partitioning;
  }

  public FormatSpec format() {
    return format;
  }

  public String destination() {
    return destination;
  }

  public String runId() {
    return runId;
  }

  public LocalDate logicalDate() {
    return logicalDate;
  }

  public Step fromStep() {
    return fromStep;
  }

  /** The Databricks table and how to load it, or null when the route ends at the files. */
  public DatabricksTarget databricksTarget() {
    return databricksTarget;
  }

  public DatabricksConnection databricks() {
    return databricks;
  }

  /** The warehouse of routes redshift and synapse, or null. */
  public WarehouseConfig warehouse() {
    return warehouse;
  }

  /** The BigQuery table of route 5, or null for the other routes. */
  public BigQueryTarget bigQueryTarget() {
    return bigQueryTarget;
  }

  /** The services BigQuery is reached through, or null for Google's. */
  public BigQueryServices bigQueryServices() {
    return bigQueryServices;
  }

  /** How Databricks reads route 5's table, or null without a Databricks step. */
  public Federation federation() {
    return federation;
  }
}
