package io.lakeroute.warehouse;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.databricks.DatabricksTarget;
import io.lakeroute.databricks.Federation;
import io.lakeroute.databricks.LoadDatabricks;
import io.lakeroute.databricks.WarehouseTableSql;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.sql.SqlClient;
import io.lakeroute.validation.ReconciliationException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The last step of routes redshift and synapse: Databricks reads the loaded warehouse table in
 * place (see {@link WarehouseTableSql}) and must count exactly the run's rows there, so query =
 * files = warehouse = Databricks.
 *
 * <pre>{@code
 * loaded.apply(ReadWarehouseInDatabricks.to(databricksTarget).using(databricks)
 *     .from(warehouseTarget, warehouse,
 *         warehouse.federation("lakeroute_redshift", new Federation.Secret("scope", "key"))));
 * }</pre>
 */
public final class ReadWarehouseInDatabricks
    extends PTransform<PCollection<WarehouseStep.Outcome>, PCollection<Long>> {

  private final DatabricksTarget target;
  private final DatabricksConnection databricks;
  private final WarehouseTarget table;
  private final WarehouseConnection warehouse;
  private final Federation federation;

  private ReadWarehouseInDatabricks(
      DatabricksTarget target,
      DatabricksConnection databricks,
      WarehouseTarget table,
      WarehouseConnection warehouse,
      Federation federation) {
    super("Databricks reads the warehouse");
    this.target = target;
    this.databricks = databricks;
    this.table = table;
    this.warehouse = warehouse;
    this.federation = federation;
  }

  public static ReadWarehouseInDatabricks to(DatabricksTarget target) {
    if (target == null) {
      throw new IllegalArgumentException("target is required");
    }
    return new ReadWarehouseInDatabricks(target, null, null, null, null);
  }

  public ReadWarehouseInDatabricks using(DatabricksConnection databricks) {
    if (databricks == null) {
      throw new IllegalArgumentException("the Databricks connection is required");
    }
    return new ReadWarehouseInDatabricks(target, databricks, table, warehouse, federation);
  }

  /**
   * The warehouse table; {@code federation} (see {@link WarehouseConnection#federation}) is
   * required unless Databricks is the stand-in.
   */
  public ReadWarehouseInDatabricks from(
      WarehouseTarget table, WarehouseConnection warehouse, Federation federation) {
    if (table == null || warehouse == null) {
      throw new IllegalArgumentException("the warehouse table and connection are required");
    }
    if (target.dialect() == DatabricksTarget.Dialect.DATABRICKS && federation == null) {
      throw new IllegalArgumentException(
          "Databricks reads the warehouse through Lakehouse Federation: give the Databricks"
              + " secret that holds the warehouse password (withDatabricksSecret), as"
              + " <scope>/<key>");
    }
    return new ReadWarehouseInDatabricks(target, databricks, table, warehouse, federation);
  }

  @Override
  public PCollection<Long> expand(PCollection<WarehouseStep.Outcome> loaded) {
    if (databricks == null || warehouse == null) {
      throw new IllegalStateException("ReadWarehouseInDatabricks needs using(…) and from(…)");
    }
    return loaded.apply("Table, count", MapElements.into(TypeDescriptors.longs()).via(this::read));
  }

  /** The statements of {@link #read}, secrets scrubbed, for a dry run. */
  public List<String> planned(String runId) {
    List<String> planned = new ArrayList<>(statements());
    planned.add(WarehouseTableSql.countRun(target.table(), WarehouseSql.RUN_ID_COLUMN, runId));
    return planned.stream().map(this::scrub).toList();
  }

  /** The statements that make the warehouse table readable under the Databricks table's name. */
  private List<String> statements() {
    if (target.dialect() == DatabricksTarget.Dialect.SPARK) {
      return List.of(
          WarehouseTableSql.jdbcTable(
              target.table(),
              warehouse.url(),
              warehouse.quotedTable(table),
              warehouse.user(),
              warehouse.password()),
          "REFRESH TABLE " + target.table().quoted());
    }
    return WarehouseTableSql.federated(target.table(), federation, table.schema(), table.table());
  }

  /** Runs the statements and the count; also what a resumed run calls without a pipeline. */
  public long read(WarehouseStep.Outcome loaded) {
    long start = System.nanoTime();
    List<String> statements = new ArrayList<>();
    String statement = null;
    boolean connected = false;
    try (SqlClient client = databricks.open()) {
      connected = true;
      statements.addAll(statements());
      for (String sql : statements) {
        statement = sql;
        client.execute(sql);
      }
      statement =
          WarehouseTableSql.countRun(target.table(), WarehouseSql.RUN_ID_COLUMN, loaded.runId());
      long visible = Long.parseLong(client.query(statement).get(0).get(0));
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, LoadDatabricks.ROWS_IN_DATABRICKS)
          .set(visible);
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, LoadDatabricks.DATABRICKS_MILLIS)
          .set((System.nanoTime() - start) / 1_000_000);
      if (visible != loaded.rowsInTable()) {
        throw new ReconciliationException(
            ReconciliationException.Hop.DATABRICKS,
            String.format(
                Locale.ROOT,
                "Row counts differ: %s holds %d rows of run %s, Databricks shows %d in %s.",
                table,
                loaded.rowsInTable(),
                loaded.runId(),
                visible,
                target.table()));
      }
      return visible;
    } catch (SQLException | IllegalArgumentException e) {
      throw new DatabricksException(
          "Databricks cannot read the warehouse table "
              + table
              + " as "
              + target.table()
              + ": "
              + scrub(e.getMessage())
              + (statement == null ? "" : "\n  statement: " + scrub(statement))
              + "\n  The warehouse table is loaded; run the Databricks step again once fixed.",
          null,
          // Databricks answered the preflight: not reaching it now is an outage, worth a retry (as
          // in LoadDatabricks); a statement it refused is not.
          !connected && e instanceof SQLException);
    }
  }

  private String scrub(String text) {
    return databricks.scrub(warehouse.scrub(text));
  }
}
