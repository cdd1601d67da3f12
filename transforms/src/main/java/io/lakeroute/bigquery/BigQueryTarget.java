package io.lakeroute.bigquery;

import com.google.api.services.bigquery.model.TableReference;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BigQuery table a run is loaded into, {@code project:dataset.table}, what happens to the rows
 * it already holds, and for a merge the key columns.
 */
public record BigQueryTarget(
    String project,
    String dataset,
    String table,
    Disposition disposition,
    List<String> mergeKeys,
    String softDeleteColumn)
    implements Serializable {

  /** What a load does to the table's existing rows; each is one BigQuery transaction. */
  public enum Disposition {
    /** Adds the run's rows; a re-run of the same run id replaces them, never duplicates. */
    APPEND,
    /** The table holds exactly the run's rows afterwards. */
    REPLACE,
    /** Rows whose merge keys match a row of the run are replaced; the others are added. */
    MERGE
  }

  private static final Pattern COLUMN = Pattern.compile("[\\p{L}\\p{N}_]{1,300}");

  // Project ids may carry a domain ("example.com:p"); datasets are letters, digits and
  // underscores; table names also allow dashes and spaces, which we refuse to keep URIs simple.
  private static final Pattern SPEC =
      Pattern.compile(
          "((?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,61}[a-z0-9])[:.]([A-Za-z0-9_]{1,1024})\\.([\\p{L}\\p{N}_-]{1,1024})");

  public BigQueryTarget {
    if (disposition == null) {
      throw new IllegalArgumentException("disposition is required");
    }
    mergeKeys = mergeKeys == null ? List.of() : List.copyOf(mergeKeys);
    for (String key : mergeKeys) {
      if (!COLUMN.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "The merge key (withBigQueryMergeKeys) '"
                + key.replaceAll("\\p{Cntrl}", "?")
                + "' is not a column name: letters, digits and underscores");
      }
    }
    if (disposition == Disposition.MERGE && mergeKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "The merge disposition (withBigQueryDisposition) needs merge keys"
              + " (withBigQueryMergeKeys): the columns that identify a row, e.g. id");
    }
    if (disposition != Disposition.MERGE && !mergeKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "Merge keys (withBigQueryMergeKeys) are only used with the merge disposition"
              + " (withBigQueryDisposition)");
    }
    if (softDeleteColumn != null) {
      if (!COLUMN.matcher(softDeleteColumn).matches()) {
        throw new IllegalArgumentException(
            "The soft-delete column (withBigQuerySoftDeleteColumn) '"
                + softDeleteColumn.replaceAll("\\p{Cntrl}", "?")
                + "' is not a column name: letters, digits and underscores");
      }
      if (disposition != Disposition.MERGE) {
        throw new IllegalArgumentException(
            "A soft-delete column (withBigQuerySoftDeleteColumn) deletes rows in a merge: use it with the"
                + " merge disposition (withBigQueryDisposition)");
      }
    }
    String spec = project + ":" + dataset + "." + table;
    if (!SPEC.matcher(spec).matches()) {
      throw new IllegalArgumentException(
          "The BigQuery table (withBigQueryTable) "
              + spec
              + " is not a table: use project:dataset.table");
    }
  }

  /** A target without soft deletes. */
  public BigQueryTarget(
      String project,
      String dataset,
      String table,
      Disposition disposition,
      List<String> mergeKeys) {
    this(project, dataset, table, disposition, mergeKeys, null);
  }

  /**
   * This target deleting, in a merge, the rows whose keys match a row of the run with {@code
   * column} true; those rows are not inserted. Null: no soft deletes.
   */
  public BigQueryTarget withBigQuerySoftDeleteColumn(String column) {
    return new BigQueryTarget(project, dataset, table, disposition, mergeKeys, column);
  }

  /** Parses {@code project:dataset.table} (or {@code project.dataset.table}). */
  public static BigQueryTarget parse(String spec, Disposition disposition) {
    return parse(spec, disposition, List.of());
  }

  /** As {@link #parse(String, Disposition)}, with the merge keys of a merge. */
  public static BigQueryTarget parse(String spec, Disposition disposition, List<String> mergeKeys) {
    Matcher m = spec == null ? null : SPEC.matcher(spec.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "The BigQuery table (withBigQueryTable) "
              + spec
              + " is not a table: use project:dataset.table, e.g. my-project:sales.customers");
    }
    return new BigQueryTarget(m.group(1), m.group(2), m.group(3), disposition, mergeKeys);
  }

  /** {@code append} or {@code replace}; the message names the setting otherwise. */
  public static Disposition disposition(String value) {
    String wanted = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (Disposition d : Disposition.values()) {
      if (d.name().equals(wanted)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "The BigQuery disposition (withBigQueryDisposition) "
            + value
            + " is not a disposition: use append, replace or merge");
  }

  public TableReference reference() {
    return new TableReference().setProjectId(project).setDatasetId(dataset).setTableId(table);
  }

  /** {@code project:dataset.table}, as BigQuery's tools write it. */
  public String spec() {
    return project + ":" + dataset + "." + table;
  }

  @Override
  public String toString() {
    return spec();
  }
}
