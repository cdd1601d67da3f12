package io.lakeroute.databricks;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.sql.SqlClient;
import io.lakeroute.validation.ReconciliationException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a published run visible in Databricks and proves it: checks the schema exists, creates the
 * table when missing, checks an existing table has the run's columns, loads exactly the manifest's
 * files, then counts the rows Databricks shows for this run and, when the manifest has
 * fingerprints, proves their values with Spark SQL's fingerprint query (docs/fingerprints.md).
 * Every statement is idempotent: a re-run neither fails on existing objects nor duplicates rows.
 */
public final class DatabricksStep {
  private DatabricksStep() {}

  /** What Databricks shows after the step, and the fingerprint of the run's rows there. */
  public record Outcome(long rowsVisible, List<String> statements, ValuesCheck.Result values)
      implements java.io.Serializable {}

  public static Outcome run(SqlClient client, DatabricksTarget target, Manifest manifest) {
    DatabricksSql sql = new DatabricksSql(target, manifest);
    List<String> executed = new ArrayList<>();
    String statement = DatabricksSql.describeSchema(target.table());
    try {
      try {
        client.query(statement);
      } catch (SQLException e) {
        throw new DatabricksException(
            "Databricks has no schema "
                + target.table().catalog()
                + "."
                + target.table().schema()
                + " (or this token may not use it): create it, or fix the Databricks catalog"
                + " (withDatabricksCatalog) and schema (withDatabricksSchema). Databricks said: "
                + firstLine(e.getMessage()),
            null);
      }
      executed.add(statement);
      statement = sql.createTable();
      client.execute(statement);
      executed.add(statement);
      statement = sql.describeTable();
      checkColumns(target, sql.expectedColumns(), client.query(statement));
      executed.add(statement);
      for (String load : sql.load()) {
        statement = load;
        if (target.disposition() == DatabricksTarget.Disposition.MERGE
            && statement.equals(sql.duplicateKeys())) {
          checkUniqueKeys(target, manifest, client.query(statement));
        } else {
          client.execute(statement);
        }
        executed.add(statement);
      }
      long deletes = 0;
      if (sql.countDeletes().isPresent()) {
        statement = sql.countDeletes().get();
        deletes = Long.parseLong(client.query(statement).get(0).get(0));
        executed.add(statement);
      }
      long kept = manifest.rowCount() - deletes;
      statement = sql.countRows();
      long visible = Long.parseLong(client.query(statement).get(0).get(0));
      executed.add(statement);
      if (visible != kept) {
        throw new ReconciliationException(
            ReconciliationException.Hop.DATABRICKS,
            String.format(
                Locale.ROOT,
                "Row counts differ: the query returned and the files hold %d rows%s, Databricks"
                    + " shows %d in %s (difference %d). The files and manifest at %s are intact.",
                manifest.rowCount(),
                deletes == 0
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        " (less %d that delete their key by %s)",
                        deletes,
                        target.softDeleteColumn()),
                visible,
                target.table(),
                visible - kept,
                manifest.location()));
      }
      ValuesCheck values = values(sql);
      statement = values.query(sql.runRows());
      ValuesCheck.Result result =
          verifyValues(
              values,
              client,
              sql,
              target,
              manifest,
              "The files and manifest at "
                  + manifest.location()
                  + " are intact; "
                  + target.table()
                  + " shows the values above until the next run replaces them.");
      if (result.checked()) {
        executed.add(statement);
      }
      return new Outcome(visible, executed, result);
    } catch (SQLException e) {
      throw new DatabricksException(
          "Databricks refused: "
              + firstLine(e.getMessage())
              + "\n  statement: "
              + statement
              + "\n  The files and manifest at "
              + manifest.location()
              + " are intact: fix the cause and run the Databricks step again.",
          null);
    }
  }

  /**
   * Re-checks a published run's rows in the table, later ({@code lakeroute verify}): their values,
   * by the query the step ran, against the manifest's fingerprint. Nothing is written to the table.
   * Where the step read the files through a temporary view, the view is made again over the
   * manifest's files in this session, so that a difference is narrowed to rows and keys, and rows a
   * merge deleted by the soft-delete column are left out of the expected fingerprint, as in the
   * run. A later run that replaced or merged over the run's rows shows as a difference.
   *
   * @throws ReconciliationException naming the table, the run, the columns and, where narrowed, the
   *     rows
   * @throws DatabricksException when Databricks cannot be queried
   */
  public static ValuesCheck.Result verify(
      DatabricksConnection connection, DatabricksTarget target, Manifest manifest) {
    DatabricksSql sql = new DatabricksSql(target, manifest);
    if (target.softDeleteColumn() != null && sql.filesView().isEmpty()) {
      throw new IllegalArgumentException(
          "its merge deleted the rows whose soft-delete column (withDatabricksSoftDeleteColumn)"
              + " is true, which only a view over the files (a Delta table loaded by insert)"
              + " tells apart");
    }
    String statement = sql.filesView().orElse(null);
    try (SqlClient client = connection.open()) {
      if (statement != null) {
        client.execute(statement);
      }
      ValuesCheck values = values(sql);
      statement = values.query(sql.runRows());
      return verifyValues(
          values,
          client,
          sql,
          target,
          manifest,
          target.table()
              + " holds these values (verify changed nothing); a later run that replaced or"
              + " merged over the run's rows differs too.");
    } catch (SQLException e) {
      throw new DatabricksException(
          "Databricks refused: "
              + firstLine(connection.scrub(e.getMessage()))
              + (statement == null ? "" : "\n  statement: " + statement),
          null);
    }
  }

  /** The check of the run's values, less the rows a merge deleted by the soft-delete column. */
  private static ValuesCheck values(DatabricksSql sql) {
    ValuesCheck all = sql.values();
    return sql.filesDeletes().map(all::without).orElse(all);
  }

  /**
   * Fingerprints the run's rows in the table and compares them with the manifest's, narrowing a
   * difference through the view over the files where there is one; the step and {@code verify}
   * check alike, and differ only in what the message says happens next.
   */
  private static ValuesCheck.Result verifyValues(
      ValuesCheck values,
      SqlClient client,
      DatabricksSql sql,
      DatabricksTarget target,
      Manifest manifest,
      String next)
      throws SQLException {
    return values.verify(
        client::query,
        manifest,
        ReconciliationException.Hop.DATABRICKS,
        sql.runRows(),
        sql.filesRows(),
        target.mergeKeys(),
        next);
  }

  /**
   * Fails before the merge when the run holds a merge key twice: both rows would otherwise be added
   * (or the merge refused), and which one wins would be arbitrary.
   */
  static void checkUniqueKeys(
      DatabricksTarget target, Manifest manifest, List<List<String>> duplicate) {
    if (duplicate.isEmpty()) {
      return;
    }
    List<String> row = duplicate.get(0);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < target.mergeKeys().size(); i++) {
      values.add(row.get(i) == null ? "NULL" : "'" + row.get(i) + "'");
    }
    throw new DatabricksException(
        "The run holds merge key ("
            + String.join(", ", target.mergeKeys())
            + ") = ("
            + String.join(", ", values)
            + ") in "
            + row.get(row.size() - 1)
            + " rows; a merge needs each key once per run (NULL counts as a value). Remove the"
            + " duplicates in the query, or choose merge keys (withDatabricksMergeKeys) that"
            + " identify a row. Nothing was merged into "
            + target.table()
            + "; the files and manifest at "
            + manifest.location()
            + " are intact.",
        null);
  }

  /** Fails, naming every differing column, unless the table has exactly the expected columns. */
  static void checkColumns(
      DatabricksTarget target, List<Map.Entry<String, String>> expected, List<List<String>> rows) {
    List<Map.Entry<String, String>> actual = new ArrayList<>();
    for (List<String> row : rows) {
      String name = row.get(0);
      if (name == null || name.isBlank() || name.startsWith("#")) {
        break; // partition and detail sections follow the columns
      }
      actual.add(Map.entry(name, row.get(1).toLowerCase(Locale.ROOT).strip()));
    }
    List<String> differences = new ArrayList<>();
    int width = Math.max(expected.size(), actual.size());
    for (int i = 0; i < width; i++) {
      Map.Entry<String, String> want = i < expected.size() ? expected.get(i) : null;
      Map.Entry<String, String> have = i < actual.size() ? actual.get(i) : null;
      if (want == null) {
        differences.add("table has extra column " + have.getKey() + " " + have.getValue());
      } else if (have == null) {
        differences.add("table lacks column " + want.getKey() + " " + want.getValue());
      } else if (!want.getKey().equalsIgnoreCase(have.getKey())
          || !want.getValue().equals(have.getValue())) {
        differences.add(
            "column "
                + (i + 1)
                + " is "
                + have.getKey()
                + " "
                + have.getValue()
                + ", the run has "
                + want.getKey()
                + " "
                + want.getValue());
      }
    }
    if (!differences.isEmpty()) {
      throw new DatabricksException(
          "The existing table "
              + target.table()
              + " does not match the run's schema: "
              + String.join("; ", differences)
              + ". Drop or rename the table, or load into another Databricks table"
              + " (withDatabricksTable).",
          null);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
