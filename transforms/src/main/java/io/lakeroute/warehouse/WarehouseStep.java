package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.sql.JdbcClient;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a published run into a warehouse table and proves it: creates the table when missing,
 * checks an existing table has the run's columns, loads exactly the manifest's files into a staging
 * table, reconciles the rows the warehouse loaded with the manifest's, then, in one transaction,
 * applies the write disposition, counts this run's rows in the table and, when the manifest has
 * fingerprints, proves their values with the warehouse's fingerprint query (docs/fingerprints.md).
 * A rejected load, a failed transaction or a difference leaves the table as it was and the files in
 * place.
 */
public final class WarehouseStep {
  private WarehouseStep() {}

  /** What the warehouse holds after the step, and the fingerprint of its rows of the run. */
  public record Outcome(String runId, long rowsLoaded, long rowsInTable, ValuesCheck.Result values)
      implements java.io.Serializable {}

  public static Outcome run(JdbcClient client, WarehouseConnection connection, WarehouseSql sql) {
    WarehouseTarget target = sql.target();
    Manifest manifest = sql.manifest();
    String statement = sql.createTable();
    try {
      client.execute(statement);
      statement = sql.describeColumns();
      for (String added : checkColumns(sql, client.query(statement), target.addColumns())) {
        statement = sql.addColumn(sql.column(added));
        client.execute(statement);
      }
      statement = sql.dropStaging();
      client.execute(statement);
      statement = sql.createStaging();
      client.execute(statement);
      statement = sql.load();
      long loaded;
      try {
        loaded = sql.dialect().load(client, sql);
      } catch (SQLException e) {
        throw new WarehouseException(
            connection.dialect().id()
                + " rejected the load into "
                + sql.table()
                + ": "
                + connection.scrub(e.getMessage())
                + "\n  The table is as it was; the files and manifest at "
                + manifest.location()
                + " are kept: fix the data or the table, then run again.");
      }
      if (loaded != manifest.rowCount()) {
        throw new ReconciliationException(
            ReconciliationException.Hop.WAREHOUSE,
            String.format(
                Locale.ROOT,
                "Row counts differ: the files hold %d rows, %s loaded %d into its staging table."
                    + " The table %s is as it was; the files at %s are kept.",
                manifest.rowCount(),
                connection.dialect().id(),
                loaded,
                sql.table(),
                manifest.location()));
      }
      long deletes = 0;
      if (sql.countDeletes().isPresent()) {
        statement = sql.countDeletes().get();
        deletes = Long.parseLong(client.query(statement).get(0).get(0));
      }
      long kept = manifest.rowCount() - deletes;
      String deleted =
          deletes == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  " (less %d that delete their key by %s)",
                  deletes,
                  target.softDeleteColumn());
      List<String> apply = sql.apply();
      statement = String.join(";\n", apply);
      // The checks run before the commit: a difference leaves the table as it was.
      Outcome outcome =
          client.inTransaction(
              apply,
              () -> {
                long inTable = Long.parseLong(client.query(sql.countRun()).get(0).get(0));
                if (inTable != kept) {
                  throw new ReconciliationException(
                      ReconciliationException.Hop.WAREHOUSE,
                      String.format(
                          Locale.ROOT,
                          "Row counts differ: the files hold %d rows%s, %s shows %d of run %s in"
                              + " %s. The table is as it was; the files at %s are kept.",
                          manifest.rowCount(),
                          deleted,
                          connection.dialect().id(),
                          inTable,
                          manifest.runId(),
                          sql.table(),
                          manifest.location()));
                }
                ValuesCheck check = sql.values();
                ValuesCheck.Result values =
                    sql.stagedDeletes()
                        .map(check::without)
                        .orElse(check)
                        .verify(
                            client::query,
                            manifest,
                            ReconciliationException.Hop.WAREHOUSE,
                            sql.runRows(),
                            sql.stagedRows(),
                            sql.target().mergeKeys(),
                            "The table "
                                + sql.table()
                                + " is as it was; the files at "
                                + manifest.location()
                                + " are kept.");
                return new Outcome(manifest.runId(), loaded, inTable, values);
              });
      statement = sql.dropStaging();
      client.execute(statement);
      return outcome;
    } catch (IllegalArgumentException e) {
      throw new WarehouseException(e.getMessage());
    } catch (SQLException | IOException e) {
      throw new WarehouseException(
          connection.dialect().id()
              + " refused: "
              + connection.scrub(e.getMessage())
              + "\n  statement: "
              + connection.scrub(statement)
              + "\n  The table is as it was; the files and manifest at "
              + manifest.location()
              + " are kept: fix the cause and run again.");
    }
  }

  /**
   * Re-checks a published run's rows in the table, later ({@code lakeroute verify}): their values,
   * by the query the step ran, against the manifest's fingerprint. Nothing is written. The staging
   * table the step narrowed a difference with is gone by then, so a difference names the table and
   * the columns only. A later run that replaced or merged over the run's rows shows as a
   * difference: the table no longer holds what the run loaded.
   *
   * @throws ReconciliationException naming the table, the run and the differing columns
   * @throws WarehouseException when the warehouse cannot be queried
   * @throws IllegalArgumentException when the run's rows cannot be told from the manifest alone (a
   *     merge with a soft-delete column keeps out rows the manifest does not list apart)
   */
  public static ValuesCheck.Result verify(WarehouseConnection connection, WarehouseSql sql) {
    if (sql.softDelete().isPresent()) {
      throw new IllegalArgumentException(
          "its merge deleted the rows whose soft-delete column (withSoftDeleteColumn) "
              + sql.softDelete().get()
              + " is true, and the manifest's fingerprint covers every row of the files, not only"
              + " those the merge kept");
    }
    try (JdbcClient client = connection.open()) {
      return sql.values()
          .verify(
              client::query,
              sql.manifest(),
              ReconciliationException.Hop.WAREHOUSE,
              sql.runRows(),
              null,
              sql.target().mergeKeys(),
              "The table holds these values (verify changed nothing); a later run that replaced"
                  + " or merged over the run's rows differs too.");
    } catch (SQLException e) {
      throw new WarehouseException(
          connection.dialect().id()
              + " refused the fingerprint of "
              + sql.table()
              + ": "
              + connection.scrub(e.getMessage()));
    }
  }

  /**
   * The statements the step would run for {@code manifest}, secrets scrubbed, for a dry run (the
   * columns to add, if any, are known only once the table is read).
   */
  public static List<String> planned(
      WarehouseConnection connection, WarehouseTarget target, Manifest manifest) {
    return connection.sql(target, manifest).statements().stream().map(connection::scrub).toList();
  }

  /**
   * Compares the table's columns with the run's by name (without case) and type family. Returns the
   * run's columns the table lacks when {@code addColumns} allows adding them; fails, naming every
   * differing column, on anything else.
   */
  static List<String> checkColumns(WarehouseSql sql, List<List<String>> rows, boolean addColumns) {
    Map<String, List<String>> table = new LinkedHashMap<>();
    for (List<String> row : rows) {
      table.put(row.get(0).toLowerCase(Locale.ROOT), row);
    }
    List<String> differences = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> want : sql.expectedColumns()) {
      List<String> have = table.remove(want.getKey().toLowerCase(Locale.ROOT));
      if (have == null) {
        if (addColumns && !want.getKey().equals(WarehouseSql.RUN_ID_COLUMN)) {
          missing.add(want.getKey());
        } else {
          differences.add("the table lacks column " + want.getKey() + " (" + want.getValue() + ")");
        }
      } else if (!want.getValue().equals(WarehouseSql.family(have.get(1)))) {
        differences.add(
            "column "
                + have.get(0)
                + " is "
                + have.get(1).toLowerCase(Locale.ROOT)
                + ", the run has "
                + want.getValue());
      }
    }
    for (List<String> extra : table.values()) {
      differences.add(
          "the table has column "
              + extra.get(0)
              + " "
              + extra.get(1).toLowerCase(Locale.ROOT)
              + ", which the run lacks");
    }
    if (!differences.isEmpty()) {
      throw new WarehouseException(
          "The existing table "
              + sql.table()
              + " does not match the run's schema: "
              + String.join("; ", differences)
              + ". Alter or drop the table, load into another warehouse table"
              + " (withWarehouseTable), or, when the run only adds columns, let the load add them"
              + " (withAddColumns).");
    }
    return missing;
  }
}
