package io.lakeroute.pipelines.routes.files;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.databricks.DatabricksTarget;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.config.DatabricksConfig;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.Checks;
import io.lakeroute.pipelines.routes.Destinations;
import io.lakeroute.pipelines.routes.PublishedHop;
import io.lakeroute.pipelines.routes.Route;
import io.lakeroute.pipelines.routes.RoutePlan;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.pipelines.run.Steps;
import io.lakeroute.query.QueryPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * Routes 1 and 3, and the first half of 5 on its own: the files in an object store (or a local
 * folder, to try a route out), then, with {@code --databricksTable}, a Databricks table over them.
 *
 * <p>Steps after the publish: {@code databricks} — create or check the table (external over the
 * run's files, or Delta loaded from them), then count the run's rows visible there.
 */
public final class FilesRoute implements Route {
  public static final FilesRoute S3 =
      new FilesRoute("s3", "query → files → Amazon S3 → Databricks", "s3");
  public static final FilesRoute AZURE_BLOB =
      new FilesRoute("azure-blob", "query → files → Azure Blob Storage → Databricks", "azfs");
  public static final FilesRoute GCS =
      new FilesRoute("gcs", "query → files → Google Cloud Storage → Databricks", "gs");

  private final String id;
  private final String description;
  private final String scheme;

  private FilesRoute(String id, String description, String scheme) {
    this.id = id;
    this.description = description;
    this.scheme = scheme;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public RoutePlan configure(RouteOptions options, RunConfig run, Function<String, String> env) {
    Destinations.check(id, run.destination(), Set.of(scheme, "file"));
    Checks.noWarehouse(id, options);
    Checks.noBigQuery(id, options);
    DatabricksTarget target = DatabricksConfig.target(options);
    if (target != null) {
      // Before any data moves: files Databricks could not read exactly are refused now.
      DatabricksSql.checkCsv(run.format());
    }
    return new Plan(target, target == null ? null : DatabricksConfig.connection(options, env));
  }

  /** With {@code --databricksTable}, the Databricks table over the files. */
  @Override
  public List<PublishedHop> published(RouteOptions options, Function<String, String> env) {
    DatabricksTarget target = DatabricksConfig.target(options);
    return target == null
        ? List.of()
        : List.of(PublishedHop.databricks(target, DatabricksConfig.connection(options, env)));
  }

  /** The run's Databricks table over the files, if any. */
  private record Plan(DatabricksTarget target, DatabricksConnection databricks)
      implements RoutePlan {
    @Override
    public Set<Step> laterSteps() {
      return target == null ? Set.of() : Set.of(Step.DATABRICKS);
    }

    @Override
    public void preflight() {
      if (target != null) {
        Checks.databricks(databricks, target.table(), target.table().toString());
      }
    }

    @Override
    public void expand(PCollection<Manifest> published, QueryPlan plan, Layout layout) {
      if (target != null) {
        published.apply(LoadDatabricks.to(target).using(databricks));
      }
    }

    @Override
    public Counts counts(PipelineResult result) {
      return new Counts(-1, RouteResult.gauge(result, LoadDatabricks.ROWS_IN_DATABRICKS));
    }

    @Override
    public Counts resume(Step from, Manifest manifest, Steps steps) {
      steps.skipped("load");
      long visible =
          steps.run(
              "databricks", () -> LoadDatabricks.load(databricks, target, manifest).rowsVisible());
      return new Counts(-1, visible);
    }

    @Override
    public List<Statements> statements(Manifest planned) {
      if (target == null) {
        return List.of();
      }
      DatabricksSql sql = new DatabricksSql(target, planned);
      List<String> statements = new ArrayList<>();
      statements.add(DatabricksSql.describeSchema(target.table()));
      statements.add(sql.createTable());
      statements.add(sql.describeTable());
      statements.addAll(sql.load());
      statements.add(sql.countRows());
      statements.add(sql.values().query(sql.runRows()));
      return List.of(
          new Statements(
              "SQL on Databricks (" + databricks.url() + ", token not shown)", statements));
    }
  }
}
