package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Loads a published run into a warehouse table and proves it: creates the table when missing,
 * checks an existing table has the run's columns, loads exactly the manifest's files into a staging
 * table, reconciles the rows the warehouse loaded with the manifest's, applies the write
 * disposition in one transaction, and counts this run's rows in the table. A rejected load or a
 * failed transaction leaves the table as it was and the files in place.
 */
public final class WarehouseStep {
  private WarehouseStep() {}

  /** What the warehouse holds after the step. */
  public record Outcome(String runId, long rowsLoaded, long rowsInTable)
      implements java.io.Serializable {}

  public static Outcome run(
      WarehouseClient client, WarehouseConnection connection, WarehouseSql sql, Manifest manifest) {
    String statement = sql.createTable();
    try {
      client.execute(statement);
      statement = sql.describeColumns();
      checkColumns(sql, client.query(statement));
      if (sql instanceof RedshiftSql redshift) {
        writeRedshiftManifest(redshift);
      }
      statement = sql.dropStaging();
      client.execute(statement);
      statement = sql.createStaging();
      client.execute(statement);
      statement = connection.dialect().standIn() ? standInLoad(sql) : sql.load();
      long loaded;
      try {
        loaded = client.load(sql);
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
      List<String> apply = sql.apply();
      statement = String.join(";\n", apply);
      client.inTransaction(apply);
      statement = sql.countRun();
      long inTable = Long.parseLong(client.query(statement).get(0).get(0));
      if (inTable != manifest.rowCount()) {
        throw new ReconciliationException(
            String.format(
                Locale.ROOT,
                "Row counts differ: the files hold %d rows, %s shows %d of run %s in %s.",
                manifest.rowCount(),
                connection.dialect().id(),
                inTable,
                manifest.runId(),
                sql.table()));
      }
      statement = sql.dropStaging();
      client.execute(statement);
      return new Outcome(manifest.runId(), loaded, inTable);
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

  private static String standInLoad(WarehouseSql sql) {
    return sql instanceof RedshiftSql r
        ? r.standInLoad()
        : ((SynapseSql) sql).standInLoad("<local copy of each file>");
  }

  /** Writes the Redshift manifest (exactly this run's files) next to them. */
  private static void writeRedshiftManifest(RedshiftSql sql) throws IOException {
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(
                FileSystems.matchNewResource(sql.manifestUri(), false), MimeTypes.TEXT))) {
      out.write(sql.manifestJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Fails, naming every differing column, unless the table has the run's columns (names compared
   * without case, types by family) followed by {@value WarehouseSql#RUN_ID_COLUMN}.
   */
  static void checkColumns(WarehouseSql sql, List<List<String>> rows) {
    List<Map.Entry<String, String>> expected = sql.expectedColumns();
    List<String> differences = new ArrayList<>();
    int width = Math.max(expected.size(), rows.size());
    for (int i = 0; i < width; i++) {
      Map.Entry<String, String> want = i < expected.size() ? expected.get(i) : null;
      List<String> have = i < rows.size() ? rows.get(i) : null;
      if (want == null) {
        differences.add("the table has extra column " + have.get(0) + " " + have.get(1));
      } else if (have == null) {
        differences.add("the table lacks column " + want.getKey() + " (" + want.getValue() + ")");
      } else if (!want.getKey().equalsIgnoreCase(have.get(0))
          || !want.getValue().equals(WarehouseSql.family(have.get(1)))) {
        differences.add(
            "column "
                + (i + 1)
                + " is "
                + have.get(0)
                + " "
                + have.get(1).toLowerCase(Locale.ROOT)
                + ", the run has "
                + want.getKey()
                + " ("
                + want.getValue()
                + ")");
      }
    }
    if (!differences.isEmpty()) {
      throw new WarehouseException(
          "The existing table "
              + sql.table()
              + " does not match the run's schema: "
              + String.join("; ", differences)
              + ". Alter or drop the table, or load into another --warehouseTable.");
    }
  }
}
