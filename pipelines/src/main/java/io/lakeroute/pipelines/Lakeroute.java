package io.lakeroute.pipelines;

import io.lakeroute.bigquery.BigQueryException;
import io.lakeroute.bigquery.BigQuerySchema;
import io.lakeroute.bigquery.FederateBigQuery;
import io.lakeroute.bigquery.LoadBigQuery;
import io.lakeroute.databricks.DatabricksClient;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.delivery.Staging;
import io.lakeroute.pipelines.demo.EmbeddedDemo;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.ObjectStoreRoute;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.query.QueryPlanner;
import io.lakeroute.query.SourceException;
import io.lakeroute.query.SourceReadException;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
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

  /** Parses {@code args}, runs the route (every format for the demo) and prints the summary. */
  static ExitCode launch(String[] given, PrintStream out, PrintStream err) {
    if (List.of(given).contains("--help") || List.of(given).contains("-h")) {
      Help.print(out);
      return ExitCode.OK;
    }
    try {
      String[] args = expandArgFiles(given);
      RouteOptions options = parse(args);
      List<String[]> runs =
          options.getJdbcUrl() == null
              ? EmbeddedDemo.prepare(args, options)
              : List.<String[]>of(args);
      for (String[] runArgs : runs) {
        RouteOptions run = runArgs == args ? options : parse(runArgs);
        RouteResult result = run(run);
        out.print(RunSummary.format(run, result));
      }
      return ExitCode.OK;
    } catch (RunFailure failure) {
      err.println("lakeroute: FAILED (" + failure.exitCode().meaning() + ")");
      err.println("  " + failure.getMessage().replace("\n", "\n  "));
      return failure.exitCode();
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
    return run(options, System::getenv);
  }

  static RouteResult run(RouteOptions options, Function<String, String> env) {
    long start = System.nanoTime();
    RouteConfig config;
    Layout layout;
    String credentials;
    try {
      config = RouteConfig.from(options, env);
      config.route().checkDestination(config.destination());
      credentials = Stores.configure(options, config.destination());
      layout = Layout.of(config.destination(), config.runId());
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    } catch (DeliveryException e) {
      throw new RunFailure(ExitCode.DELIVERY, e.getMessage(), e);
    }
    try {
      Staging.checkWritable(layout);
    } catch (DeliveryException e) {
      throw new RunFailure(
          ExitCode.DELIVERY,
          e.getMessage() + (credentials == null ? "" : "\nCredentials: " + credentials),
          e);
    }
    if (config.databricksTarget() != null || config.federation() != null) {
      checkDatabricks(config);
    }
    QueryPlan plan;
    try {
      plan = QueryPlanner.plan(config.source(), config.query(), config.partitioning());
    } catch (SourceException | IllegalArgumentException e) {
      throw new RunFailure(ExitCode.SOURCE, e.getMessage(), e);
    }
    if (config.bigQueryTarget() != null) {
      checkBigQuery(config, options, plan);
    }
    Pipeline pipeline = Pipeline.create(options);
    PCollection<Manifest> manifest =
        ObjectStoreRoute.expand(pipeline, plan, config.format(), layout);
    if (config.bigQueryTarget() != null) {
      PCollection<LoadBigQuery.Outcome> loaded =
          manifest.apply(loadBigQuery(config, options, plan, layout));
      if (config.federation() != null) {
        loaded.apply(
            FederateBigQuery.of(config.federation(), config.bigQueryTarget())
                .using(config.databricks()));
      }
    }
    if (config.databricksTarget() != null) {
      manifest.apply(LoadDatabricks.to(config.databricksTarget()).using(config.databricks()));
    }
    PipelineResult result;
    try {
      result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + state);
      }
    } catch (RuntimeException e) {
      Staging.clean(layout);
      throw classify(e);
    }
    return new RouteResult(
        result, readManifest(layout), plan.rowCount(), (System.nanoTime() - start) / 1e9);
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
      throw new RunFailure(ExitCode.WAREHOUSE, e.getMessage() + " Nothing was read yet.", e);
    }
  }

  /**
   * BigQueryIO's load files go to Beam's --tempLocation when given, else into the run's staging
   * directory (gs:// on this route), which a failed run removes.
   */
  private static LoadBigQuery loadBigQuery(
      RouteConfig config, RouteOptions options, QueryPlan plan, Layout layout) {
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
    return config.bigQueryServices() == null ? load : load.withServices(config.bigQueryServices());
  }

  /** The exit code and message of a failure inside the pipeline, from its deepest known cause. */
  static RunFailure classify(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    for (Throwable t : chain) {
      if (t instanceof ReconciliationException) {
        return new RunFailure(ExitCode.RECONCILIATION, t.getMessage(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof DatabricksException) {
        return new RunFailure(ExitCode.DATABRICKS, t.getMessage(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof BigQueryException) {
        return new RunFailure(ExitCode.WAREHOUSE, t.getMessage(), failure);
      }
    }
    String loadFailure = LoadBigQuery.loadFailure(failure);
    if (loadFailure != null) {
      return new RunFailure(ExitCode.WAREHOUSE, loadFailure, failure);
    }
    for (Throwable t : chain) {
      if (t instanceof SourceReadException || t instanceof SourceException) {
        return new RunFailure(ExitCode.SOURCE, t.getMessage(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof IllegalArgumentException) {
        // Raised while decoding a value that cannot be carried exactly.
        return new RunFailure(ExitCode.SOURCE, t.getMessage(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof DeliveryException || t instanceof IOException) {
        return new RunFailure(
            ExitCode.DELIVERY, "Delivering the files failed: " + t.getMessage(), failure);
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    return new RunFailure(ExitCode.FAILED, String.valueOf(root), failure);
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
