package io.lakeroute.pipelines.run;

import io.lakeroute.bigquery.LoadBigQuery;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.delivery.Publish;
import io.lakeroute.delivery.RunInProgressException;
import io.lakeroute.delivery.RunLease;
import io.lakeroute.delivery.Staging;
import io.lakeroute.pipelines.config.ClusterPaths;
import io.lakeroute.pipelines.config.Incremental;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.config.Stores;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.Route;
import io.lakeroute.pipelines.routes.RoutePlan;
import io.lakeroute.pipelines.routes.RoutePlan.Counts;
import io.lakeroute.pipelines.routes.Routes;
import io.lakeroute.query.Cursor;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.query.QueryPlanner;
import io.lakeroute.query.SourceException;
import io.lakeroute.query.SourceSnapshot;
import io.lakeroute.warehouse.LoadWarehouse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * Drives any route the same way: preflight (the store, then the route's services), plan the query
 * inside one source snapshot, one pipeline that writes, verifies, reconciles and publishes the
 * files and then runs the route's later steps, and the counts of every hop. {@code --fromStep}
 * resumes the route's later steps from the published manifest instead. Every step is timed and
 * recorded in the {@link RunRecord}, failures included. The preflight takes the run id's {@link
 * RunLease} at the destination, held until the run ends: a second run of the same run id fails with
 * {@link ExitCode#TRANSIENT} instead of touching the first one's files.
 *
 * <p>Why one file of about 400 lines: it is the order of a run's steps and what each records when
 * it fails, read top to bottom; what differs between routes is in their {@link RoutePlan}.
 */
public final class RouteRunner {
  private final RouteOptions options;
  private final RunConfig run;
  private final Route route;
  private final RoutePlan plan;
  private final Layout layout;
  private final String credentials;
  private final RunRecord record;
  private final Duration leaseTtl;
  private final Progress progress;
  private RunLease lease;

  private RouteRunner(
      RouteOptions options,
      RunConfig run,
      Route route,
      RoutePlan plan,
      String credentials,
      RunRecord record,
      Duration leaseTtl,
      Progress progress) {
    this.options = options;
    this.run = run;
    this.route = route;
    this.plan = plan;
    this.layout = run.layout();
    this.credentials = credentials;
    this.record = record;
    this.leaseTtl = leaseTtl;
    this.progress = progress;
  }

  /**
   * Validates the options into the route's config and readies the store's filesystem; nothing is
   * contacted. A bad option is a {@link ExitCode#USAGE} failure naming it.
   */
  public static RouteRunner prepare(
      RouteOptions options, Function<String, String> env, RunRecord record) {
    return prepare(options, env, record, Progress.off());
  }

  /** As {@link #prepare(RouteOptions, Function, RunRecord)}, showing the run's {@code progress}. */
  public static RouteRunner prepare(
      RouteOptions options, Function<String, String> env, RunRecord record, Progress progress) {
    try {
      RunConfig run = RunConfig.from(options, env);
      ClusterPaths.check(options, run.destination());
      Route route = Routes.of(options.getRoute());
      RoutePlan plan = route.configure(options, run, env);
      Incremental.check(options, route.id(), plan.laterSteps());
      String credentials = Stores.configure(options, run.destination(), env);
      Duration leaseTtl = leaseTtl(options.getLeaseMinutes());
      return new RouteRunner(options, run, route, plan, credentials, record, leaseTtl, progress);
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    } catch (DeliveryException e) {
      throw new RunFailure(ExitCode.DELIVERY, e.getMessage(), e);
    }
  }

  public RunConfig config() {
    return run;
  }

  public Route route() {
    return route;
  }

  public RoutePlan plan() {
    return plan;
  }

  /**
   * Whether this run id completed every step at the destination before ({@link
   * Layout#COMPLETE_MARKER}); a run from a later step ({@code --fromStep}) never counts as
   * complete.
   */
  public boolean alreadyComplete() {
    if (run.fromStep() != Step.QUERY) {
      return false;
    }
    try {
      MatchResult marker = FileSystems.match(layout.completeMarker().toString());
      return marker.status() == MatchResult.Status.OK && !marker.metadata().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs the route; throws {@link RunFailure} when it fails, with the record saying where. */
  public RouteResult run() {
    long start = System.nanoTime();
    progress.start();
    try {
      record.identify(
          route.id(),
          options.getRunner().getSimpleName(),
          run.runId(),
          run.logicalDate().toString(),
          run.fromStep().id());
      record.location(layout.runDirectory().toString());
      if (!plan.laterSteps().contains(Step.LOAD)) {
        record.skipped("load");
      }
      if (!plan.laterSteps().contains(Step.DATABRICKS)) {
        record.skipped("databricks");
      }
      return run.fromStep() == Step.QUERY ? deliver(start) : resume(start);
    } finally {
      progress.close();
      if (lease != null) {
        lease.close();
      }
      record.finish();
    }
  }

  private RouteResult deliver(long start) {
    step(
        "preflight",
        () -> {
          checkStore();
          takeLease();
          Staging.cleanAbandoned(layout, run.stagingRetention());
          plan.preflight();
          return null;
        });
    Planned planned = step("plan", this::planInSnapshot);
    QueryPlan query = planned.plan();
    try {
      plan.beforeDelivery(query);
      record.counts(query.rowCount(), null, null);
      record.consistency(query.consistency());
      progress.planned(query.rowCount());
      progress.step("deliver");
      // The Direct runner's run() would block until the end: progress polls the running result.
      options.as(DirectOptions.class).setBlockOnRun(false);
      Pipeline pipeline = Pipeline.create(options);
      PCollection<Manifest> published = Deliver.expand(pipeline, query, run, layout);
      plan.expand(published, query, layout);
      long deliverStart = System.nanoTime();
      PipelineResult result;
      try {
        result = pipeline.run();
        progress.watch(result);
        PipelineResult.State state = result.waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the pipeline ended in state " + state);
        }
      } catch (RuntimeException | OutOfMemoryError e) {
        Staging.cleanAfterFailure(layout);
        RunFailure failure = classify(e, "deliver");
        String failed = failure.step() == null ? "deliver" : failure.step();
        record.failed(failure, failed, since(deliverStart));
        if (!"deliver".equals(failed)) {
          // A later step failed: the files were published, and the steps before it succeeded.
          record.step("deliver", "succeeded", since(deliverStart));
          if ("databricks".equals(failed) && plan.laterSteps().contains(Step.LOAD)) {
            record.step("load", "succeeded", 0);
          }
          record.manifest(readPublished().orElse(null));
        }
        throw failure;
      }
      double pipelineSeconds = since(deliverStart);
      double databricksSeconds = seconds(RouteResult.databricksMillis(result));
      double loadSeconds = seconds(RouteResult.loadMillis(result));
      record.step(
          "deliver", "succeeded", Math.max(0, pipelineSeconds - loadSeconds - databricksSeconds));
      Counts counts = plan.counts(result);
      if (plan.laterSteps().contains(Step.LOAD)) {
        record.step("load", "succeeded", loadSeconds);
      }
      if (plan.laterSteps().contains(Step.DATABRICKS)) {
        record.step("databricks", "succeeded", databricksSeconds);
      }
      Manifest manifest = readManifest();
      record.manifest(manifest);
      record.counts(
          query.rowCount(),
          plan.laterSteps().contains(Step.LOAD) ? counts.inWarehouse() : null,
          counts.inDatabricks());
      markComplete();
      // BigQuery's route loads BigQuery as its warehouse step, with a gauge of its own.
      long valuesInWarehouse =
          Math.max(
              RouteResult.gauge(result, LoadWarehouse.VALUES_IN_WAREHOUSE),
              RouteResult.gauge(result, LoadBigQuery.VALUES_IN_BIGQUERY));
      long valuesInDatabricks = RouteResult.gauge(result, LoadDatabricks.VALUES_IN_DATABRICKS);
      long valuesInSource = RouteResult.gauge(result, PartitionReader.VALUES_IN_SOURCE);
      Map<String, String> leftOut =
          valuesInWarehouse >= 0 ? plan.valuesLeftOut(manifest) : Map.of();
      record.values(valuesInSource, valuesInWarehouse, valuesInDatabricks, leftOut);
      return new RouteResult(
          manifest,
          query.rowCount(),
          RouteResult.counter(result, PartitionReader.ROWS_READ),
          counts.inWarehouse(),
          counts.inDatabricks(),
          since(start),
          query.consistency(),
          Incremental.describe(record.cursorStart(), query.cursorRange()),
          valuesInSource,
          valuesInWarehouse,
          valuesInDatabricks,
          leftOut);
    } finally {
      closeQuietly(planned.snapshot());
    }
  }

  /** {@code --fromStep=load|databricks}: the route's later steps from the published manifest. */
  private RouteResult resume(long start) {
    record.skipped("plan");
    record.skipped("deliver");
    Step from = run.fromStep();
    if (!plan.laterSteps().contains(from)) {
      throw RunFailure.usage(
          from == Step.LOAD
              ? "--fromStep=load: --route="
                  + route.id()
                  + " loads no warehouse; use --fromStep=databricks to run the Databricks step"
                  + " again"
              : "--fromStep=databricks needs the Databricks options (--databricksTable, …)");
    }
    Manifest manifest =
        step(
            "preflight",
            () -> {
              takeLease();
              Manifest published = publishedManifest();
              plan.preflight();
              return published;
            });
    record.manifest(manifest);
    Counts counts =
        plan.resume(
            from,
            manifest,
            new Steps() {
              @Override
              public <T> T run(String name, Supplier<T> body) {
                return step(name, body);
              }

              @Override
              public void skipped(String name) {
                record.skipped(name);
              }
            });
    record.counts(
        null,
        counts.inWarehouse() < 0 ? null : counts.inWarehouse(),
        counts.inDatabricks() < 0 ? null : counts.inDatabricks());
    markComplete();
    return new RouteResult(
        manifest,
        -1,
        -1,
        counts.inWarehouse(),
        counts.inDatabricks(),
        since(start),
        null,
        null,
        -1,
        -1,
        -1,
        Map.of());
  }

  /** Plans without a shared snapshot: for a dry run, which holds nothing open. */
  public QueryPlan planWithoutSnapshot() {
    Cursor cursor = cursorStart();
    try {
      return QueryPlanner.plan(run.source(), run.query(), run.partitioning(), cursor);
    } catch (SourceException | IllegalArgumentException e) {
      throw new RunFailure(ExitCode.SOURCE, e.getMessage(), e);
    }
  }

  /** The incremental read's cursor, its mark taken from the destination's runs; null: all rows. */
  private Cursor cursorStart() {
    try {
      Incremental.Start start = Incremental.resolve(run, layout);
      record.cursorStart(start);
      return start == null ? null : start.cursor();
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    } catch (DeliveryException e) {
      throw new RunFailure(ExitCode.DELIVERY, e.getMessage(), e);
    }
  }

  /**
   * Every step of the run succeeded: a job re-run for this run id may skip it, and the next
   * incremental run may start from its mark.
   */
  private void markComplete() {
    try {
      Publish.markComplete(layout, plan.laterSteps().stream().map(Step::id).sorted().toList());
    } catch (IOException e) {
      throw new RunFailure(
          ExitCode.DELIVERY,
          "The run was delivered, but its complete marker "
              + layout.completeMarker()
              + " cannot be written ("
              + e.getMessage()
              + "): a re-run of the job runs it again, and the next incremental run re-reads its"
              + " rows",
          e);
    }
  }

  /** A plan and the source snapshot its partitions read, held open until the pipeline ends. */
  private record Planned(SourceSnapshot snapshot, QueryPlan plan) {}

  private Planned planInSnapshot() {
    Cursor cursor = cursorStart();
    SourceSnapshot snapshot;
    try {
      snapshot = SourceSnapshot.export(run.source());
    } catch (SourceException e) {
      throw new RunFailure(ExitCode.SOURCE, withPasswordNote(e), e);
    }
    try {
      QueryPlan plan = QueryPlanner.plan(snapshot, run.query(), run.partitioning(), cursor);
      record.cursorRange(plan.cursorRange());
      // A column the format cannot name (Avro) fails here, before any data moves.
      run.format().check(plan.schema());
      return new Planned(snapshot, plan);
    } catch (SourceException | IllegalArgumentException e) {
      closeQuietly(snapshot);
      throw new RunFailure(ExitCode.SOURCE, withPasswordNote(e), e);
    }
  }

  /**
   * The failure's message, and when the source refused the connection or the login (SQLState class
   * 08 or 28) while no password was given, that this may be why.
   */
  private String withPasswordNote(RuntimeException e) {
    boolean refused = false;
    // The driver's SQLException may sit under the connection pool's, which carries no state.
    for (Throwable t = e.getCause(); t != null && !refused; t = t.getCause()) {
      String state = t instanceof SQLException sql ? sql.getSQLState() : null;
      refused = state != null && (state.startsWith("08") || state.startsWith("28"));
    }
    return refused && run.missingPassword() != null
        ? e.getMessage() + "\n" + run.missingPassword()
        : e.getMessage();
  }

  private static void closeQuietly(SourceSnapshot snapshot) {
    try {
      snapshot.close();
    } catch (SQLException e) {
      // The transaction only ever read; the server ends it with the connection.
    }
  }

  private void checkStore() {
    try {
      Staging.checkWritable(layout);
    } catch (DeliveryException e) {
      throw new RunFailure(
          ExitCode.DELIVERY,
          e.getMessage() + (credentials == null ? "" : "\nCredentials: " + credentials),
          e);
    }
  }

  /** How long a run's lease holds unless renewed: what a killed run makes the next one wait. */
  private static Duration leaseTtl(int minutes) {
    if (minutes < 1 || minutes > 24 * 60) {
      throw new IllegalArgumentException(
          "--leaseMinutes="
              + minutes
              + " is out of range: give 1 to 1440 (a killed run blocks the next one that long)");
    }
    return Duration.ofMinutes(minutes);
  }

  /** One run per run id and destination: a second one waits for this one to end. */
  private void takeLease() {
    try {
      lease = RunLease.acquire(layout, leaseTtl, options);
    } catch (RunInProgressException e) {
      throw new RunFailure(
          ExitCode.TRANSIENT,
          e.getMessage() + ". Nothing was read or written; retry once that run has ended.",
          e);
    }
  }

  /** The manifest a resumed run starts from: published, complete, and this run's own. */
  private Manifest publishedManifest() {
    Optional<Manifest> manifest = readPublished();
    if (manifest.isEmpty()) {
      throw RunFailure.usage(
          "--fromStep needs the published run "
              + layout.runDirectory()
              + " (its "
              + Layout.MANIFEST
              + " and "
              + Layout.DONE_MARKER
              + "), and it is not there: run from the start (--fromStep=query), or give the"
              + " --runId/--logicalDate of a published run");
    }
    if (!run.runId().equals(manifest.get().runId())) {
      throw RunFailure.usage(
          "The manifest at "
              + layout.manifest()
              + " belongs to run "
              + manifest.get().runId()
              + ", not --runId="
              + run.runId()
              + ": refusing to load another run's files");
    }
    return manifest.get();
  }

  /** The run's manifest when the run was published completely (its done marker exists). */
  private Optional<Manifest> readPublished() {
    try {
      return Manifest.published(layout);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Manifest readManifest() {
    try {
      return Manifest.read(layout.manifest());
    } catch (IOException e) {
      throw new RunFailure(
          ExitCode.DELIVERY, "The published manifest " + layout.manifest() + " cannot be read", e);
    }
  }

  /** The run failure {@code e} stands for: the route's word first, then its type. */
  private RunFailure classify(Throwable e, String step) {
    RunFailure explained = e instanceof RunFailure known ? known : plan.explain(e);
    return explained != null ? explained : Failures.classify(e, step);
  }

  /** Runs one step, timing it; its failure is the run's, recorded against the step. */
  private <T> T step(String name, Supplier<T> body) {
    long start = System.nanoTime();
    progress.step(name);
    try {
      T value = body.get();
      record.step(name, "succeeded", since(start));
      return value;
    } catch (RuntimeException e) {
      RunFailure failure = classify(e, name);
      record.failed(failure, failure.step() == null ? name : failure.step(), since(start));
      throw failure;
    }
  }

  private static double seconds(Optional<Long> millis) {
    return millis.map(ms -> ms / 1000.0).orElse(0.0);
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
