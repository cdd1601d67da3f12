package io.lakeroute.pipelines.routes.bigquery;

import com.google.api.services.bigquery.model.TableReference;
import io.lakeroute.bigquery.BigQueryException;
import io.lakeroute.bigquery.BigQueryJobs;
import io.lakeroute.bigquery.BigQuerySchema;
import io.lakeroute.bigquery.BigQueryTarget;
import io.lakeroute.bigquery.FederateBigQuery;
import io.lakeroute.bigquery.LoadBigQuery;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.Federation;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.pipelines.config.DatabricksConfig;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.Checks;
import io.lakeroute.pipelines.routes.Destinations;
import io.lakeroute.pipelines.routes.PublishedHop;
import io.lakeroute.pipelines.routes.Route;
import io.lakeroute.pipelines.routes.RoutePlan;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.pipelines.run.Steps;
import io.lakeroute.query.QueryPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * Route 5: the delivered CSV in Google Cloud Storage, loaded into BigQuery by one load job of
 * exactly the manifest's objects and one transaction ({@link LoadBigQuery}), then, with {@code
 * --databricksForeignCatalog}, read by Databricks through Lakehouse Federation.
 *
 * <p>Steps after the publish: {@code load} — the manifest's CSV loaded into a staging table with an
 * explicit schema, the disposition applied in one transaction, the rows counted; {@code databricks}
 * — the connection and foreign catalog, and the table's rows counted through them. Both can be
 * resumed from the published manifest.
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
    BigQueryJobs.checkLoadable(run.format().csv());
    BigQueryTarget target = target(options);
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
    return new Plan(target, options, federation, databricks);
  }

  /** The table {@code --bigQueryTable} names, with the run's disposition. */
  private static BigQueryTarget target(RouteOptions options) {
    if (options.getBigQueryTable() == null) {
      throw new IllegalArgumentException(
          "--route=bigquery needs --bigQueryTable=project:dataset.table");
    }
    return BigQueryTarget.parse(
            options.getBigQueryTable(),
            BigQueryTarget.disposition(options.getBigQueryDisposition()),
            options.getBigQueryMergeKeys() == null
                ? List.of()
                : Arrays.stream(options.getBigQueryMergeKeys().split(","))
                    .map(String::strip)
                    .filter(k -> !k.isEmpty())
                    .toList())
        .withBigQuerySoftDeleteColumn(options.getSoftDeleteColumn());
  }

  /**
   * The BigQuery table's rows of the run, counted and fingerprinted as a resumed run does; the
   * staging table that narrowed a difference in the run is gone, so a difference names the table
   * and the columns. Databricks reads BigQuery through federation and is not re-checked.
   */
  @Override
  public List<PublishedHop> published(RouteOptions options, Function<String, String> env) {
    BigQueryTarget target = target(options);
    return List.of(
        new PublishedHop() {
          @Override
          public String name() {
            return "bigquery";
          }

          @Override
          public String rows(Manifest manifest) {
            return "BigQuery table " + target.spec() + " (rows of run " + manifest.runId() + ")";
          }

          @Override
          public ValuesCheck.Result verify(Manifest manifest) {
            if (target.softDeleteColumn() != null) {
              // Without the staging table, the rows the merge deleted are not known.
              throw new IllegalArgumentException(
                  "the merge deleted the rows whose --softDeleteColumn is true, and the manifest's"
                      + " fingerprint covers every row of the files, not only those it kept");
            }
            return LoadBigQuery.counted(options, target, manifest).values();
          }
        });
  }

  /** The run's BigQuery table and, if any, the federation Databricks reads it through. */
  private record Plan(
      BigQueryTarget target,
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
        LoadBigQuery.check(options, target, BigQuerySchema.of(plan.schema()));
      } catch (BigQueryException e) {
        throw new RunFailure(ExitCode.LOAD, e.getMessage() + " Nothing was read yet.", e, "load");
      }
    }

    @Override
    public void expand(PCollection<Manifest> published, QueryPlan plan, Layout layout) {
      PCollection<LoadBigQuery.Outcome> loaded = published.apply(LoadBigQuery.to(target));
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
      LoadBigQuery.Outcome loaded;
      if (from == Step.LOAD) {
        loaded = steps.run("load", () -> LoadBigQuery.load(options, target, manifest));
      } else {
        steps.skipped("load");
        loaded = LoadBigQuery.counted(options, target, manifest);
      }
      long inDatabricks = -1;
      if (federation != null) {
        inDatabricks =
            steps.run(
                "databricks",
                () -> FederateBigQuery.federate(databricks, federation, target, loaded));
      } else {
        steps.skipped("databricks");
      }
      return new Counts(loaded.rowsOfRun(), inDatabricks);
    }

    @Override
    public List<Statements> statements(Manifest planned) {
      TableReference staging = BigQueryJobs.staging(target, planned.runId());
      List<Statements> all = new ArrayList<>();
      all.add(
          new Statements(
              "BigQuery jobs ("
                  + target.spec()
                  + "): a load job of the manifest's files into "
                  + staging.getTableId()
                  + ", then this GoogleSQL transaction, the count and the fingerprint of the"
                  + " run's values",
              List.of(
                  BigQueryJobs.apply(target, planned, staging),
                  BigQueryJobs.count(target, planned.runId()),
                  BigQueryJobs.values(planned)
                      .query(BigQueryJobs.runRows(target, planned.runId())))));
      if (federation != null) {
        all.add(
            new Statements(
                "SQL on Databricks (" + databricks.url() + ", token not shown)",
                FederateBigQuery.statements(federation, target)));
      }
      return all;
    }
  }
}
