package io.lakeroute.pipelines.routes.bigquery;

import io.lakeroute.bigquery.BigQueryException;
import io.lakeroute.bigquery.BigQuerySchema;
import io.lakeroute.bigquery.BigQueryServicesFactory;
import io.lakeroute.bigquery.BigQueryTarget;
import io.lakeroute.bigquery.FederateBigQuery;
import io.lakeroute.bigquery.LoadBigQuery;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.Federation;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.config.DatabricksConfig;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.Checks;
import io.lakeroute.pipelines.routes.Destinations;
import io.lakeroute.pipelines.routes.Route;
import io.lakeroute.pipelines.routes.RoutePlan;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.pipelines.run.Steps;
import io.lakeroute.query.QueryPlan;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.util.InstanceBuilder;
import org.apache.beam.sdk.values.PCollection;

/**
 * Route 5: the delivered CSV in Google Cloud Storage, loaded into BigQuery with load jobs
 * (BigQueryIO {@code FILE_LOADS}), then, with {@code --databricksForeignCatalog}, read by
 * Databricks through Lakehouse Federation.
 *
 * <p>Steps after the publish: {@code load} — the manifest's CSV, each file checked against its
 * SHA-256, loaded with an explicit schema, the table's rows counted; {@code databricks} — the
 * connection and foreign catalog, and the table's rows counted through them.
 */
public final class BigQueryRoute implements Route {
  public static final BigQueryRoute BIGQUERY = new BigQueryRoute();

  private BigQueryRoute() {}

  @Override
  public String id() {
    return "bigquery";
  }

  @Override
  public String description() {
    return "query → CSV → Google Cloud Storage → BigQuery load job → Databricks (federation)";
  }

  @Override
  public RoutePlan configure(RouteOptions options, RunConfig run, Function<String, String> env) {
    Destinations.check(id(), run.destination(), Set.of("gs"));
    if (!"csv".equals(run.format().format().id())) {
      throw new IllegalArgumentException(
          "--format="
              + run.format().format().id()
              + " cannot be loaded by --route=bigquery, which loads the delivered CSV: use"
              + " --format=csv");
    }
    Checks.noWarehouse(id(), options);
    Checks.notGiven(
        id(),
        "--databricksTable",
        options.getDatabricksTable(),
        "the file and warehouse routes: route bigquery reaches Databricks through"
            + " --databricksForeignCatalog");
    if (options.getBigQueryTable() == null) {
      throw new IllegalArgumentException(
          "--route=bigquery needs --bigQueryTable=project:dataset.table");
    }
    BigQueryTarget target =
        BigQueryTarget.parse(
            options.getBigQueryTable(),
            BigQueryTarget.disposition(options.getBigQueryDisposition()));
    Federation federation = null;
    DatabricksConnection databricks = null;
    if (options.getDatabricksForeignCatalog() != null) {
      federation =
          Federation.ofBigQuery(
              options.getDatabricksConnection(),
              options.getDatabricksForeignCatalog(),
              target.project(),
              Federation.Secret.parse(options.getDatabricksKeySecret()));
      databricks = DatabricksConfig.connection(options, env);
    }
    BigQueryServices services =
        options.getBigQueryServicesFactoryClass() == null
            ? null
            : InstanceBuilder.ofType(BigQueryServicesFactory.class)
                .fromClass(options.getBigQueryServicesFactoryClass())
                .build()
                .create();
    return new Plan(target, services, options, federation, databricks);
  }

  /**
   * The run's BigQuery table and, if any, the federation Databricks reads it through. BigQueryIO's
   * load files go to Beam's {@code --tempLocation} when given, else into the run's staging
   * directory, which a failed run removes.
   */
  private record Plan(
      BigQueryTarget target,
      BigQueryServices services,
      RouteOptions options,
      Federation federation,
      DatabricksConnection databricks)
      implements RoutePlan {
    @Override
    public Set<Step> laterSteps() {
      return federation == null ? Set.of(Step.LOAD) : Set.of(Step.LOAD, Step.DATABRICKS);
    }

    @Override
    public void preflight() {
      if (federation != null) {
        Checks.databricks(databricks, null, "foreign catalog " + federation.catalog());
      }
    }

    /**
     * Checks the dataset, and an existing table's columns, once the query's schema is known; a
     * decimal BigQuery cannot hold exactly fails here too.
     */
    @Override
    public void beforeDelivery(QueryPlan plan) {
      try {
        LoadBigQuery.check(services, options, target, BigQuerySchema.of(plan.schema()));
      } catch (BigQueryException e) {
        throw new RunFailure(ExitCode.LOAD, e.getMessage() + " Nothing was read yet.", e, "load");
      }
    }

    @Override
    public void expand(PCollection<Manifest> published, QueryPlan plan, Layout layout) {
      LoadBigQuery load =
          LoadBigQuery.to(target)
              .withSchema(plan.schema())
              .withTempLocation(
                  options.getTempLocation() != null
                      ? options.getTempLocation()
                      : layout
                          .stagingDirectory()
                          .resolve("bigquery", StandardResolveOptions.RESOLVE_DIRECTORY)
                          .toString());
      PCollection<LoadBigQuery.Outcome> loaded =
          published.apply(services == null ? load : load.withServices(services));
      if (federation != null) {
        loaded.apply(FederateBigQuery.of(federation, target).using(databricks));
      }
    }

    @Override
    public Counts counts(PipelineResult result) {
      return new Counts(
          RouteResult.gauge(result, LoadBigQuery.ROWS_IN_BIGQUERY),
          RouteResult.gauge(result, LoadDatabricks.ROWS_IN_DATABRICKS));
    }

    @Override
    public Counts resume(Step from, Manifest manifest, Steps steps) {
      throw RunFailure.usage(
          "--fromStep="
              + from.id()
              + ": --route=bigquery cannot resume a step yet; run it from the start"
              + " (--fromStep=query): --bigQueryDisposition=replace makes that safe");
    }

    @Override
    public List<Statements> statements(Manifest planned) {
      // The load is a BigQuery job, not a statement: only Databricks' side has SQL to show.
      return federation == null
          ? List.of()
          : List.of(
              new Statements(
                  "SQL on Databricks (" + databricks.url() + ", token not shown)",
                  FederateBigQuery.statements(federation, target)));
    }

    @Override
    public RunFailure explain(Throwable failure) {
      String message = LoadBigQuery.loadFailure(failure);
      return message == null ? null : new RunFailure(ExitCode.LOAD, message, failure, "load");
    }
  }
}
