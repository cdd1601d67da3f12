package io.lakeroute.pipelines;

import io.lakeroute.bigquery.BigQueryException;
import io.lakeroute.bigquery.BigQuerySchema;
import io.lakeroute.bigquery.FederateBigQuery;
import io.lakeroute.bigquery.LoadBigQuery;
import io.lakeroute.databricks.DatabricksClient;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.DatabricksStep;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.delivery.Staging;
import io.lakeroute.pipelines.demo.EmbeddedDemo;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.ObjectStoreRoute;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.query.QueryPlanner;
import io.lakeroute.query.SourceException;
import io.lakeroute.query.SourceReadException;
import io.lakeroute.query.SourceSnapshot;
import io.lakeroute.validation.ReconciliationException;
import io.lakeroute.warehouse.LoadWarehouse;
import io.lakeroute.warehouse.ReadWarehouseInDatabricks;
import io.lakeroute.warehouse.WarehouseClient;
import io.lakeroute.warehouse.WarehouseException;
import io.lakeroute.warehouse.WarehouseStep;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;

/**
 * The one entry point: {@code --route=…} plus the route's options and Beam's own ({@code
 * --runner=DirectRunner|SparkRunner}). {@link #main} only parses, runs and maps the outcome to an
 * exit code; {@link #run} does the work and is what tests call.
 */
public final class Lakeroute {
  private Lakeroute() {}

  public static void main(String[] args) {
    System.exit(launch(args, System.out, System.err).code());
  }

  /**
   * Parses {@code args}, runs the route once per run (every format for the demo, every date of a
   * backfill), prints the summaries and writes the JSON summary, also when a run fails.
   */
  static ExitCode launch(String[] given, PrintStream out, PrintStream err) {
    if (List.of(given).contains("--help") || List.of(given).contains("-h")) {
      Help.print(out);
      return ExitCode.OK;
    }
    List<RunRecord> records = new ArrayList<>();
    String summaryPath = null;
    ExitCode exit = ExitCode.OK;
    try {
      String[] args = expandArgFiles(given);
      RouteOptions options = parse(args);
      summaryPath = options.getSummaryPath();
      for (String[] runArgs : runs(args, options)) {
        RouteOptions run = parse(runArgs);
        if (run.getDryRun()) {
          out.print(DryRun.describe(run));
          continue;
        }
        RunRecord record = new RunRecord();
        records.add(record);
        RouteResult result = run(run, System::getenv, record);
        out.print(RunSummary.format(run, result));
      }
    } catch (RunFailure failure) {
      err.println("lakeroute: FAILED (" + failure.exitCode().meaning() + ")");
      err.println("  " + failure.getMessage().replace("\n", "\n  "));
      exit = failure.exitCode();
    }
    if (summaryPath != null) {
      exit = writeSummary(summaryPath, RunRecord.summary(records, exit), exit, err);
    }
    return exit;
  }

  /**
   * The argument lists of the runs {@code args} asks for: the demo's, one per date of a {@code
   * --logicalDate} range, or {@code args} itself.
   */
  private static List<String[]> runs(String[] args, RouteOptions options) {
    List<String[]> runs =
        options.getJdbcUrl() == null
            ? EmbeddedDemo.prepare(args, options)
            : List.<String[]>of(args);
    List<LocalDate> dates;
    try {
      dates = LogicalDates.parse(options.getLogicalDate(), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    }
    if (dates.size() == 1) {
      return runs;
    }
    if (options.getRunId() != null) {
      throw new RunFailure(
          ExitCode.USAGE,
          "--runId cannot be given with a --logicalDate range: each date is its own run, named"
              + " after its date",
          null);
    }
    List<String[]> dated = new ArrayList<>();
    for (LocalDate date : dates) {
      for (String[] run : runs) {
        List<String> withDate = new ArrayList<>();
        for (String arg : run) {
          if (!arg.startsWith("--logicalDate=")) {
            withDate.add(arg);
          }
        }
        withDate.add("--logicalDate=" + date);
        dated.add(withDate.toArray(new String[0]));
      }
    }
    return dated;
  }

  private static ExitCode writeSummary(String path, String json, ExitCode exit, PrintStream err) {
    try {
      ResourceId target = FileSystems.matchNewResource(Layout.localPath(path), false);
      try (WritableByteChannel channel = Staging.createReplacing(target, "application/json")) {
        channel.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
      }
      return exit;
    } catch (IOException | RuntimeException e) {
      err.println("lakeroute: cannot write --summaryPath=" + path + ": " + e);
      return exit == ExitCode.OK ? ExitCode.USAGE : exit;
    }
  }

  /**
   * {@code @path} stands for the lines of that file (blank lines and {@code #} comments skipped),
   * so that runners-config/*.args can be combined with a route's own flags.
   */
  static String[] expandArgFiles(String[] args) {
    List<String> expanded = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("@") && arg.length() > 1) {
        try {
          for (String line :
              java.nio.file.Files.readAllLines(java.nio.file.Path.of(arg.substring(1)))) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
              expanded.add(stripped);
            }
          }
        } catch (IOException e) {
          throw new RunFailure(
              ExitCode.USAGE, "Cannot read the argument file " + arg + ": " + e, e);
        }
      } else {
        expanded.add(arg);
      }
    }
    return expanded.toArray(new String[0]);
  }

  /** Beam's parser with every lakeroute and S3 option registered; errors are usage failures. */
  public static RouteOptions parse(String... args) {
    PipelineOptionsFactory.register(S3Options.class);
    PipelineOptionsFactory.register(RouteOptions.class);
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(RouteOptions.class);
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage() + " (see --help for every option)", e);
    }
  }

  /** Runs the route {@code options} describe; throws {@link RunFailure} when it fails. */
  public static RouteResult run(RouteOptions options) {
    return run(options, System::getenv, new RunRecord());
  }

  static RouteResult run(RouteOptions options, Function<String, String> env) {
    return run(options, env, new RunRecord());
  }

  /** Runs the route, keeping {@code record} up to date step by step, failures included. */
  static RouteResult run(RouteOptions options, Function<String, String> env, RunRecord record) {
    long start = System.nanoTime();
    try {
      return runSteps(options, env, record, start);
    } finally {
      record.finish();
    }
  }

  private static RouteResult runSteps(
      RouteOptions options, Function<String, String> env, RunRecord record, long start) {
    Prepared run = prepare(options, env);
    RouteConfig config = run.config();
    Layout layout = run.layout();
    record.identify(
        config.route().id(),
        options.getRunner().getSimpleName(),
        config.runId(),
        config.logicalDate().toString(),
        config.fromStep().id());
    record.location(layout.runDirectory().toString());
    if (config.warehouse() == null && config.bigQueryTarget() == null) {
      record.skipped("load");
    }
    if (config.databricksTarget() == null && config.federation() == null) {
      record.skipped("databricks");
    }
    if (config.fromStep() != Step.QUERY) {
      return resume(config, layout, record, start);
    }
    step(
        record,
        "preflight",
        () -> {
          checkStore(layout, run.credentials());
          Staging.cleanAbandoned(
              layout, Duration.ofHours(Math.max(1, options.getStagingRetentionHours())));
          if (config.databricksTarget() != null || config.federation() != null) {
            checkDatabricks(config);
          }
          if (config.warehouse() != null) {
            checkWarehouse(config.warehouse());
          }
          return null;
        });
    Planned planned = step(record, "plan", () -> planInSnapshot(config));
    QueryPlan plan = planned.plan();
    try {
      if (config.bigQueryTarget() != null) {
        checkBigQuery(config, options, plan);
      }
      record.counts(plan.rowCount(), null, null);
      Pipeline pipeline = Pipeline.create(options);
      PCollection<Manifest> manifest =
          ObjectStoreRoute.expand(pipeline, plan, config.format(), layout);
      if (config.warehouse() != null) {
        warehouseSteps(manifest, config);
      } else if (config.bigQueryTarget() != null) {
        bigQuerySteps(manifest, config, options, plan, layout);
      } else if (config.databricksTarget() != null) {
        manifest.apply(LoadDatabricks.to(config.databricksTarget()).using(config.databricks()));
      }
      long deliverStart = System.nanoTime();
      PipelineResult result;
      try {
        result = pipeline.run();
        PipelineResult.State state = result.waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the pipeline ended in state " + state);
        }
      } catch (RuntimeException e) {
        Staging.clean(layout);
        RunFailure failure = classify(e);
        record.failed(
            failure, failure.step() == null ? "deliver" : failure.step(), since(deliverStart));
        if ("databricks".equals(failure.step()) || "load".equals(failure.step())) {
          record.step("deliver", "succeeded", since(deliverStart));
          if ("databricks".equals(failure.step()) && config.warehouse() != null) {
            record.step("load", "succeeded", 0);
          }
          record.manifest(readPublished(layout).orElse(null));
        }
        throw failure;
      }
      double pipelineSeconds = since(deliverStart);
      double databricksSeconds =
          RouteResult.databricksMillis(result).map(ms -> ms / 1000.0).orElse(0.0);
      double loadSeconds = RouteResult.loadMillis(result).map(ms -> ms / 1000.0).orElse(0.0);
      record.step(
          "deliver", "succeeded", Math.max(0, pipelineSeconds - loadSeconds - databricksSeconds));
      boolean loads = config.warehouse() != null || config.bigQueryTarget() != null;
      long inWarehouse =
          RouteResult.gauge(
              result,
              config.bigQueryTarget() != null
                  ? LoadBigQuery.ROWS_IN_BIGQUERY
                  : LoadWarehouse.ROWS_IN_WAREHOUSE);
      long inDatabricks = RouteResult.gauge(result, LoadDatabricks.ROWS_IN_DATABRICKS);
      if (loads) {
        record.step("load", "succeeded", loadSeconds);
      }
      if (config.databricksTarget() != null || config.federation() != null) {
        record.step("databricks", "succeeded", databricksSeconds);
      }
      Manifest published = readManifest(layout);
      record.manifest(published);
      record.counts(plan.rowCount(), loads ? inWarehouse : null, inDatabricks);
      return new RouteResult(
          published,
          plan.rowCount(),
          RouteResult.counter(result, PartitionReader.ROWS_READ),
          inWarehouse,
          inDatabricks,
          since(start));
    } finally {
      closeQuietly(planned.snapshot());
    }
  }

  /** A plan and the source snapshot its partitions read, held open until the pipeline ends. */
  private record Planned(SourceSnapshot snapshot, QueryPlan plan) {}

  private static Planned planInSnapshot(RouteConfig config) {
    SourceSnapshot snapshot;
    try {
      snapshot = SourceSnapshot.export(config.source());
    } catch (SourceException e) {
      throw new RunFailure(ExitCode.SOURCE, e.getMessage(), e);
    }
    try {
      return new Planned(
          snapshot, QueryPlanner.plan(snapshot, config.query(), config.partitioning()));
    } catch (SourceException | IllegalArgumentException e) {
      closeQuietly(snapshot);
      throw new RunFailure(ExitCode.SOURCE, e.getMessage(), e);
    }
  }

  private static void closeQuietly(SourceSnapshot snapshot) {
    try {
      snapshot.close();
    } catch (SQLException e) {
      // The transaction only ever read; the server ends it with the connection.
    }
  }

  /** The validated config, the layout and the store's credentials; nothing is contacted. */
  record Prepared(RouteConfig config, Layout layout, String credentials) {}

  static Prepared prepare(RouteOptions options, Function<String, String> env) {
    try {
      RouteConfig config = RouteConfig.from(options, env);
      ClusterPaths.check(options, config.destination());
      config
          .route()
          .checkDestination(
              config.destination(),
              config.warehouse() != null && config.warehouse().connection().dialect().standIn());
      String credentials = Stores.configure(options, config.destination(), env);
      return new Prepared(config, Layout.of(config.destination(), config.runId()), credentials);
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    } catch (DeliveryException e) {
      throw new RunFailure(ExitCode.DELIVERY, e.getMessage(), e);
    }
  }

  /** Plans the query without a shared snapshot: for a dry run, which holds nothing open. */
  static QueryPlan plan(RouteConfig config) {
    try {
      return QueryPlanner.plan(config.source(), config.query(), config.partitioning());
    } catch (SourceException | IllegalArgumentException e) {
      throw new RunFailure(ExitCode.SOURCE, e.getMessage(), e);
    }
  }

  private static void checkStore(Layout layout, String credentials) {
    try {
      Staging.checkWritable(layout);
    } catch (DeliveryException e) {
      throw new RunFailure(
          ExitCode.DELIVERY,
          e.getMessage() + (credentials == null ? "" : "\nCredentials: " + credentials),
          e);
    }
  }

  /**
   * {@code --fromStep=load|databricks}: the later steps from the run's published manifest, without
   * querying again.
   */
  private static RouteResult resume(
      RouteConfig config, Layout layout, RunRecord record, long start) {
    record.skipped("plan");
    record.skipped("deliver");
    if (config.fromStep() == Step.LOAD && config.warehouse() == null) {
      throw new RunFailure(
          ExitCode.USAGE,
          "--fromStep=load: --route="
              + config.route().id()
              + " loads no warehouse; use --fromStep=databricks to run the Databricks step again",
          null);
    }
    if (config.warehouse() != null) {
      return resumeWarehouse(config, layout, record, start);
    }
    if (config.databricksTarget() == null) {
      throw new RunFailure(
          ExitCode.USAGE,
          "--fromStep=databricks needs the Databricks options (--databricksTable, …)",
          null);
    }
    Manifest manifest =
        step(
            record,
            "preflight",
            () -> {
              Manifest published = publishedManifest(layout, config.runId());
              checkDatabricks(config);
              return published;
            });
    record.manifest(manifest);
    DatabricksStep.Outcome outcome =
        step(
            record,
            "databricks",
            () -> {
              try {
                return LoadDatabricks.load(
                    config.databricks(), config.databricksTarget(), manifest);
              } catch (RuntimeException e) {
                throw classify(e);
              }
            });
    record.counts(null, null, outcome.rowsVisible());
    return new RouteResult(manifest, -1, -1, -1, outcome.rowsVisible(), since(start));
  }

  /**
   * Routes redshift and synapse from their published manifest: {@code --fromStep=load} loads the
   * warehouse again (then Databricks, if configured); {@code --fromStep=databricks} only lets
   * Databricks read the table, expecting the manifest's rows of this run in it.
   */
  private static RouteResult resumeWarehouse(
      RouteConfig config, Layout layout, RunRecord record, long start) {
    WarehouseConfig warehouse = config.warehouse();
    if (config.fromStep() == Step.DATABRICKS && config.databricksTarget() == null) {
      throw new RunFailure(
          ExitCode.USAGE,
          "--fromStep=databricks needs the Databricks options (--databricksTable, …)",
          null);
    }
    Manifest manifest =
        step(
            record,
            "preflight",
            () -> {
              Manifest published = publishedManifest(layout, config.runId());
              checkWarehouse(warehouse);
              if (config.databricksTarget() != null) {
                checkDatabricks(config);
              }
              return published;
            });
    record.manifest(manifest);
    WarehouseStep.Outcome loaded;
    if (config.fromStep() == Step.LOAD) {
      loaded =
          step(
              record,
              "load",
              () -> {
                try {
                  return LoadWarehouse.load(warehouse.connection(), warehouse.target(), manifest);
                } catch (RuntimeException e) {
                  throw classify(e);
                }
              });
    } else {
      record.skipped("load");
      loaded = new WarehouseStep.Outcome(manifest.runId(), -1, manifest.rowCount());
    }
    long inDatabricks = -1;
    if (config.databricksTarget() != null) {
      inDatabricks =
          step(
              record,
              "databricks",
              () -> {
                try {
                  return databricksReader(config).read(loaded);
                } catch (RuntimeException e) {
                  throw classify(e);
                }
              });
    } else {
      record.skipped("databricks");
    }
    record.counts(null, loaded.rowsInTable(), inDatabricks < 0 ? null : inDatabricks);
    return new RouteResult(manifest, -1, -1, loaded.rowsInTable(), inDatabricks, since(start));
  }

  /**
   * Route 5: the delivered CSV → BigQuery → Databricks reading it through Lakehouse Federation.
   * BigQueryIO's load files go to Beam's --tempLocation when given, else into the run's staging
   * directory (gs:// on this route), which a failed run removes.
   */
  private static void bigQuerySteps(
      PCollection<Manifest> manifest,
      RouteConfig config,
      RouteOptions options,
      QueryPlan plan,
      Layout layout) {
    LoadBigQuery load =
        LoadBigQuery.to(config.bigQueryTarget())
            .withSchema(plan.schema())
            .withTempLocation(
                options.getTempLocation() != null
                    ? options.getTempLocation()
                    : layout
                        .stagingDirectory()
                        .resolve("bigquery", StandardResolveOptions.RESOLVE_DIRECTORY)
                        .toString());
    PCollection<LoadBigQuery.Outcome> loaded =
        manifest.apply(
            config.bigQueryServices() == null
                ? load
                : load.withServices(config.bigQueryServices()));
    if (config.federation() != null) {
      loaded.apply(
          FederateBigQuery.of(config.federation(), config.bigQueryTarget())
              .using(config.databricks()));
    }
  }

  /**
   * Checks the dataset, and an existing table's columns, once the query's schema is known and
   * before any data moves; a decimal BigQuery cannot hold exactly fails here too.
   */
  private static void checkBigQuery(RouteConfig config, RouteOptions options, QueryPlan plan) {
    try {
      LoadBigQuery.check(
          config.bigQueryServices(),
          options,
          config.bigQueryTarget(),
          BigQuerySchema.of(plan.schema()));
    } catch (BigQueryException e) {
      throw new RunFailure(ExitCode.LOAD, e.getMessage() + " Nothing was read yet.", e, "load");
    }
  }

  /** Routes redshift and synapse: the files → the warehouse → Databricks reading the warehouse. */
  private static void warehouseSteps(PCollection<Manifest> manifest, RouteConfig config) {
    WarehouseConfig warehouse = config.warehouse();
    PCollection<WarehouseStep.Outcome> loaded =
        manifest.apply(LoadWarehouse.to(warehouse.target()).using(warehouse.connection()));
    if (config.databricksTarget() != null) {
      loaded.apply(databricksReader(config));
    }
  }

  static ReadWarehouseInDatabricks databricksReader(RouteConfig config) {
    WarehouseConfig warehouse = config.warehouse();
    return ReadWarehouseInDatabricks.to(config.databricksTarget())
        .using(config.databricks())
        .from(warehouse.target(), warehouse.connection(), warehouse.federation());
  }

  /** Connects before any data moves, so a wrong URL, user or password costs seconds. */
  private static void checkWarehouse(WarehouseConfig warehouse) {
    try (WarehouseClient client = warehouse.connection().open()) {
      client.query("SELECT 1");
    } catch (SQLException | RuntimeException e) {
      throw new RunFailure(
          ExitCode.LOAD,
          "The warehouse is not reachable at "
              + warehouse.connection().url()
              + ": "
              + warehouse.connection().scrub(e.getMessage())
              + ". Check --warehouseJdbcUrl, --warehouseUser and the password. Nothing was read"
              + " yet.",
          null);
    }
  }

  /** The manifest a resumed run starts from: published, complete, and this run's own. */
  private static Manifest publishedManifest(Layout layout, String runId) {
    Optional<Manifest> manifest = readPublished(layout);
    if (manifest.isEmpty()) {
      throw new RunFailure(
          ExitCode.USAGE,
          "--fromStep needs the published run "
              + layout.runDirectory()
              + " (its "
              + Layout.MANIFEST
              + " and "
              + Layout.DONE_MARKER
              + "), and it is not there: run from the start (--fromStep=query), or give the"
              + " --runId/--logicalDate of a published run",
          null);
    }
    if (!runId.equals(manifest.get().runId())) {
      throw new RunFailure(
          ExitCode.USAGE,
          "The manifest at "
              + layout.manifest()
              + " belongs to run "
              + manifest.get().runId()
              + ", not --runId="
              + runId
              + ": refusing to load another run's files",
          null);
    }
    return manifest.get();
  }

  /** The run's manifest when the run was published completely (its done marker exists). */
  private static Optional<Manifest> readPublished(Layout layout) {
    try {
      MatchResult marker = FileSystems.match(layout.doneMarker().toString());
      if (marker.status() != MatchResult.Status.OK || marker.metadata().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(readManifest(layout));
    } catch (IOException | RunFailure e) {
      return Optional.empty();
    }
  }

  /** Runs one step of {@code record}, timing it; its failure is the run's. */
  private static <T> T step(RunRecord record, String name, Supplier<T> body) {
    long start = System.nanoTime();
    try {
      T value = body.get();
      record.step(name, "succeeded", since(start));
      return value;
    } catch (RunFailure failure) {
      record.failed(failure, failure.step() == null ? name : failure.step(), since(start));
      throw failure;
    }
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  /**
   * Connects and checks the schema before any data moves, so that a wrong host, token, catalog or
   * schema costs seconds, not a whole delivery.
   */
  private static void checkDatabricks(RouteConfig config) {
    try (DatabricksClient client = config.databricks().open()) {
      // A foreign catalog is created by the step itself: connecting is all there is to check.
      if (config.databricksTarget() != null) {
        client.query(DatabricksSql.describeSchema(config.databricksTarget().table()));
      }
    } catch (SQLException | RuntimeException e) {
      throw new RunFailure(
          ExitCode.DATABRICKS,
          "Databricks is not ready for "
              + (config.databricksTarget() != null
                  ? config.databricksTarget().table()
                  : "foreign catalog " + config.federation().catalog())
              + " at "
              + config.databricks().url()
              + ": "
              + config.databricks().scrub(e.getMessage())
              + ". Check the host, HTTP path, token, catalog and schema. Nothing was read yet.",
          null);
    }
  }

  /**
   * The exit code, message and step of a failure inside the pipeline, from its deepest known cause.
   * A lost connection to a service that answered the preflight is {@link ExitCode#TRANSIENT}: worth
   * a retry, unlike a refused query or a count mismatch.
   */
  static RunFailure classify(Throwable failure) {
    if (failure instanceof RunFailure known) {
      return known;
    }
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    boolean lost = connectionLost(chain);
    for (Throwable t : chain) {
      if (t instanceof ReconciliationException) {
        return failure(ExitCode.RECONCILIATION, t.getMessage(), failure, t);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof WarehouseException) {
        return failure(lost ? ExitCode.TRANSIENT : ExitCode.LOAD, t.getMessage(), failure, t);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof BigQueryException) {
        return failure(lost ? ExitCode.TRANSIENT : ExitCode.LOAD, t.getMessage(), failure, t);
      }
    }
    String loadFailure = LoadBigQuery.loadFailure(failure);
    if (loadFailure != null) {
      return new RunFailure(ExitCode.LOAD, loadFailure, failure, "load");
    }
    for (Throwable t : chain) {
      if (t instanceof DatabricksException databricks) {
        return failure(
            databricks.connectionLost() ? ExitCode.TRANSIENT : ExitCode.DATABRICKS,
            t.getMessage(),
            failure,
            t);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SourceReadException || t instanceof SourceException) {
        return failure(lost ? ExitCode.TRANSIENT : ExitCode.SOURCE, t.getMessage(), failure, t);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof IllegalArgumentException) {
        // Raised while decoding a value that cannot be carried exactly.
        return failure(ExitCode.SOURCE, t.getMessage(), failure, t);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof DeliveryException || t instanceof IOException) {
        return failure(
            lost ? ExitCode.TRANSIENT : ExitCode.DELIVERY,
            "Delivering the files failed: " + t.getMessage(),
            failure,
            t);
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    return failure(
        lost ? ExitCode.TRANSIENT : ExitCode.FAILED, String.valueOf(root), failure, root);
  }

  private static RunFailure failure(
      ExitCode code, String message, Throwable failure, Throwable decisive) {
    String text =
        code == ExitCode.TRANSIENT
            ? message
                + "\nThe connection was lost mid-run; nothing partial was published and the"
                + " previous data is intact. Retry the run."
            : message;
    return new RunFailure(code, text, failure, stepOf(decisive));
  }

  /** A network failure reaching a service, as opposed to the service refusing the request. */
  static boolean connectionLost(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof ConnectException
          || t instanceof SocketTimeoutException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SocketException socket
          && String.valueOf(socket.getMessage()).matches("(?is).*(reset|broken pipe|closed).*")) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exceptions; 57P01-57P03: PostgreSQL shut down or restarting.
        if (state.startsWith("08") || state.matches("57P0[123]")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The step whose code raised {@code t}, from the first lakeroute frame of its stack. */
  private static String stepOf(Throwable t) {
    if (t instanceof DatabricksException) {
      return "databricks";
    }
    for (StackTraceElement frame : t.getStackTrace()) {
      String type = frame.getClassName();
      if (type.startsWith("io.lakeroute.")) {
        if (type.startsWith("io.lakeroute.databricks.")) {
          return "databricks";
        }
        if (type.startsWith("io.lakeroute.warehouse.")
            || type.startsWith("io.lakeroute.bigquery.")) {
          return "load";
        }
        return "deliver";
      }
    }
    return "deliver";
  }

  private static Manifest readManifest(Layout layout) {
    try (InputStream in = Channels.newInputStream(FileSystems.open(layout.manifest()))) {
      return Manifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RunFailure(
          ExitCode.DELIVERY, "The published manifest " + layout.manifest() + " cannot be read", e);
    }
  }
}
