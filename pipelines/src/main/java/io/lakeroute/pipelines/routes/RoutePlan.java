package io.lakeroute.pipelines.routes;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.pipelines.run.Steps;
import io.lakeroute.query.QueryPlan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * One run of a route, configured: the steps it adds after the files are published ({@link
 * Step#LOAD} into a warehouse, {@link Step#DATABRICKS}), how to check their services before any
 * data moves, how to resume them from a published manifest and what a dry run prints for them.
 */
public interface RoutePlan {
  /** The steps after the publish this run has, a subset of {@code {LOAD, DATABRICKS}}. */
  Set<Step> laterSteps();

  /**
   * Connects to every service of the later steps, so that a wrong host or password costs seconds,
   * not a whole delivery.
   *
   * @throws RunFailure naming the service, what to check, and that nothing was read yet
   */
  void preflight();

  /** Checks that need the query's schema (an existing table's columns), before any data moves. */
  default void beforeDelivery(QueryPlan plan) {}

  /**
   * The columns of {@code manifest} that the warehouse step's engine cannot fingerprint as its
   * table holds them, each with why: left out of that hop's values comparison, and named in the run
   * summary (docs/fingerprints.md). Empty for routes without such a step.
   */
  default Map<String, String> valuesLeftOut(Manifest manifest) {
    return Map.of();
  }

  /** Adds the later steps to the pipeline, after the publish that {@code published} comes from. */
  void expand(PCollection<Manifest> published, QueryPlan plan, Layout layout);

  /** The rows the later steps counted in the warehouse and in Databricks (-1: no such step). */
  Counts counts(PipelineResult result);

  /**
   * Runs the later steps again from {@code manifest}, starting at {@code from} (one of {@link
   * #laterSteps()}), each through {@code steps} so that it is timed and recorded.
   */
  Counts resume(Step from, Manifest manifest, Steps steps);

  /** The statements each later step would send, for a dry run; secrets are never in them. */
  List<Statements> statements(Manifest planned);

  /**
   * The failure {@code failure} means for this route when only the route can tell (a library of its
   * own whose errors it knows), or null to let the runner classify it by its type.
   */
  default RunFailure explain(Throwable failure) {
    return null;
  }

  /** The rows the warehouse and Databricks hold of this run; -1 where the run has no such step. */
  record Counts(long inWarehouse, long inDatabricks) {
    public static final Counts NONE = new Counts(-1, -1);
  }

  /** A titled list of statements, such as "SQL on Databricks (url, token not shown)". */
  record Statements(String title, List<String> sql) {}
}
