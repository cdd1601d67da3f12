package io.lakeroute.pipelines.routes.warehouse;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksTarget;
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
import io.lakeroute.sql.SqlClient;
import io.lakeroute.warehouse.LoadWarehouse;
import io.lakeroute.warehouse.ReadWarehouseInDatabricks;
import io.lakeroute.warehouse.WarehouseConnection;
import io.lakeroute.warehouse.WarehouseDialect;
import io.lakeroute.warehouse.WarehouseStep;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * Routes 2 and 4: the files staged in an object store, bulk-loaded into a SQL warehouse with its
 * native load ({@code COPY … MANIFEST} on Redshift, {@code COPY INTO} on Synapse), then, with
 * {@code --databricksTable}, read by Databricks through Lakehouse Federation (or, on the stand-in,
 * a JDBC table).
 *
 * <p>Steps after the publish: {@code load} — create or check the table, load a staging table, check
 * its count, apply the disposition in one transaction; {@code databricks} — make the warehouse
 * table visible in Databricks and count the run's rows there.
 */
public final class WarehouseRoute implements Route {
  public static final WarehouseRoute REDSHIFT =
      new WarehouseRoute(
          "redshift",
          "query → files → Amazon S3 → Redshift COPY → Databricks",
          "s3",
          WarehouseDialect.REDSHIFT);

  public static final WarehouseRoute SYNAPSE =
      new WarehouseRoute(
          "synapse",
          "query → files → Azure Blob Storage → Synapse COPY INTO → Databricks",
          "azfs",
          WarehouseDialect.SYNAPSE);

  private final String id;
  private final String description;
  private final String scheme;
  private final WarehouseDialect warehouse;

  private WarehouseRoute(String id, String description, String scheme, WarehouseDialect warehouse) {
    this.id = id;
    this.description = description;
    this.scheme = scheme;
    this.warehouse = warehouse;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  /** The warehouse this route loads (its production dialect). */
  WarehouseDialect warehouse() {
    return warehouse;
  }

  @Override
  public RoutePlan configure(RouteOptions options, RunConfig run, Function<String, String> env) {
    Checks.noBigQuery(id, options);
    WarehouseConfig config = WarehouseConfig.from(options, this, env);
    checkDestination(run.destination(), config.connection().dialect());
    DatabricksTarget target = DatabricksConfig.target(options);
    return new Plan(
        config,
        target,
        target == null ? null : DatabricksConfig.connection(options, env),
        run.format().format().id(),
        options.getVerifyStrict());
  }

  /**
   * The warehouse table's rows of the run; with {@code --databricksTable}, a Databricks hop that
   * says why it is not re-checked: Databricks reads the warehouse's table through federation, so
   * its values are the warehouse's, and a run checks only its count there (docs/fingerprints.md).
   */
  @Override
  public List<PublishedHop> published(RouteOptions options, Function<String, String> env) {
    WarehouseConfig config = WarehouseConfig.published(options, this, env);
    WarehouseConnection connection = config.connection();
    List<PublishedHop> hops = new ArrayList<>();
    hops.add(
        new PublishedHop() {
          @Override
          public String name() {
            return "warehouse";
          }

          @Override
          public String rows(Manifest manifest) {
            return connection.sql(config.target(), manifest).runRows().description();
          }

          @Override
          public ValuesCheck.Result verify(Manifest manifest) {
            return WarehouseStep.verify(connection, connection.sql(config.target(), manifest));
          }
        });
    DatabricksTarget target = DatabricksConfig.target(options);
    if (target != null) {
      hops.add(
          new PublishedHop() {
            @Override
            public String name() {
              return "databricks";
            }

            @Override
            public String rows(Manifest manifest) {
              return "Databricks table " + target.table();
            }

            @Override
            public ValuesCheck.Result verify(Manifest manifest) {
              throw new IllegalArgumentException(
                  "Databricks reads "
                      + connection.quotedTable(config.target())
                      + " through Lakehouse Federation: its values are the warehouse's, re-checked"
                      + " above; a run compares only its count there (docs/fingerprints.md)");
            }
          });
    }
    return hops;
  }

  /**
   * Fails, naming the flag, when the files would be staged where {@code dialect} cannot read them:
   * the route's store, and whatever else the dialect loads from.
   */
  void checkDestination(String destination, WarehouseDialect dialect) {
    Set<String> allowed = new LinkedHashSet<>(Set.of(scheme));
    allowed.addAll(dialect.stagingSchemes());
    Destinations.check(id, destination, allowed);
  }

  /**
   * The run's warehouse table and, if any, the Databricks table that reads it.
   *
   * @param format the files' format, which decides how the table holds binary
   * @param strict --verifyStrict
   */
  private record Plan(
      WarehouseConfig warehouse,
      DatabricksTarget target,
      DatabricksConnection databricks,
      String format,
      boolean strict)
      implements RoutePlan {
    /**
     * With --verifyStrict, refuses before any data moves a query with a column the warehouse cannot
     * fingerprint as its table will hold it.
     */
    @Override
    public void beforeDelivery(QueryPlan query) {
      if (strict) {
        Checks.fingerprintable(
            "the warehouse",
            warehouse.connection().dialect().fingerprintSql(),
            query.schema(),
            format);
      }
    }

    @Override
    public Map<String, String> valuesLeftOut(Manifest manifest) {
      return Checks.leftOut(
          warehouse.connection().dialect().fingerprintSql(), manifest.columns(), manifest.format());
    }

    @Override
    public Set<Step> laterSteps() {
      return target == null ? Set.of(Step.LOAD) : Set.of(Step.LOAD, Step.DATABRICKS);
    }

    @Override
    public void preflight() {
      WarehouseConnection connection = warehouse.connection();
      try (SqlClient client = connection.open()) {
        client.query("SELECT 1");
      } catch (SQLException | RuntimeException e) {
        throw new RunFailure(
            ExitCode.LOAD,
            "The warehouse is not reachable at "
                + connection.url()
                + ": "
                + connection.scrub(e.getMessage())
                + ". Check --warehouseJdbcUrl, --warehouseUser and the password. Nothing was read"
                + " yet.",
            null,
            "preflight");
      }
      if (target != null) {
        Checks.databricks(databricks, target.table(), target.table().toString());
      }
    }

    @Override
    public void expand(PCollection<Manifest> published, QueryPlan plan, Layout layout) {
      PCollection<WarehouseStep.Outcome> loaded =
          published.apply(LoadWarehouse.to(warehouse.target()).using(warehouse.connection()));
      if (target != null) {
        loaded.apply(reader());
      }
    }

    private ReadWarehouseInDatabricks reader() {
      return ReadWarehouseInDatabricks.to(target)
          .using(databricks)
          .from(warehouse.target(), warehouse.connection(), warehouse.federation());
    }

    @Override
    public Counts counts(PipelineResult result) {
      return new Counts(
          RouteResult.gauge(result, LoadWarehouse.ROWS_IN_WAREHOUSE),
          RouteResult.gauge(result, LoadDatabricks.ROWS_IN_DATABRICKS));
    }

    /**
     * {@code load} loads the warehouse again (then Databricks, if configured); {@code databricks}
     * only lets Databricks read the table, expecting the manifest's rows of this run in it.
     */
    @Override
    public Counts resume(Step from, Manifest manifest, Steps steps) {
      WarehouseStep.Outcome loaded;
      if (from == Step.LOAD) {
        loaded =
            steps.run(
                "load",
                () -> LoadWarehouse.load(warehouse.connection(), warehouse.target(), manifest));
      } else {
        steps.skipped("load");
        loaded = LoadWarehouse.counted(warehouse.connection(), warehouse.target(), manifest);
      }
      long inDatabricks = -1;
      if (target != null) {
        inDatabricks = steps.run("databricks", () -> reader().read(loaded));
      } else {
        steps.skipped("databricks");
      }
      return new Counts(loaded.rowsInTable(), inDatabricks);
    }

    @Override
    public List<Statements> statements(Manifest planned) {
      WarehouseConnection connection = warehouse.connection();
      List<Statements> all = new ArrayList<>();
      all.add(
          new Statements(
              "SQL on "
                  + connection.dialect().id()
                  + " ("
                  + connection.url()
                  + ", secrets not shown)",
              WarehouseStep.planned(connection, warehouse.target(), planned)));
      if (target != null) {
        all.add(
            new Statements(
                "SQL on Databricks (" + databricks.url() + ", token not shown)",
                reader().planned(planned.runId())));
      }
      return all;
    }
  }
}
