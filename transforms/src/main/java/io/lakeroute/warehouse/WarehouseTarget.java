package io.lakeroute.warehouse;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The warehouse table a run becomes: schema, table, write disposition, for a merge the key columns
 * and optionally a soft-delete column (a boolean column of the run: true deletes the key's row),
 * and whether columns the run has and an existing table lacks are added (else the load fails,
 * naming them). Names are validated here, so generated SQL can always quote them.
 */
public record WarehouseTarget(
    String schema,
    String table,
    Disposition disposition,
    List<String> mergeKeys,
    boolean addColumns,
    String softDeleteColumn)
    implements Serializable {
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  /** What a load does to rows already in the table. Every one is one transaction. */
  public enum Disposition {
    /** Adds this run's rows; a re-run of the same run id replaces them, never duplicates. */
    APPEND,
    /** The table holds exactly this run's rows afterwards. */
    REPLACE,
    /** Rows whose merge keys match a row of this run are replaced; the others are added. */
    MERGE
  }

  public WarehouseTarget {
    checkName(schema, "the warehouse schema (withWarehouseSchema)");
    checkName(table, "the warehouse table (withWarehouseTable)");
    if (disposition == null) {
      throw new IllegalArgumentException(
          "the warehouse write disposition (withWarehouseDisposition) is required");
    }
    mergeKeys = mergeKeys == null ? List.of() : List.copyOf(mergeKeys);
    mergeKeys.forEach(k -> checkName(k, "a merge key (withMergeKeys)"));
    if (disposition == Disposition.MERGE && mergeKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "The merge disposition (withWarehouseDisposition) needs merge keys (withMergeKeys): the"
              + " columns that identify a row, e.g. id");
    }
    if (disposition != Disposition.MERGE && !mergeKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "Merge keys (withMergeKeys) are only used with the merge disposition"
              + " (withWarehouseDisposition)");
    }
    if (softDeleteColumn != null) {
      checkName(softDeleteColumn, "the soft-delete column (withSoftDeleteColumn)");
      if (disposition != Disposition.MERGE) {
        throw new IllegalArgumentException(
            "A soft-delete column (withSoftDeleteColumn) deletes rows in a merge: use it with the"
                + " merge disposition (withWarehouseDisposition)");
      }
    }
  }

  /** A target that never deletes rows by a soft-delete column. */
  public WarehouseTarget(
      String schema,
      String table,
      Disposition disposition,
      List<String> mergeKeys,
      boolean addColumns) {
    this(schema, table, disposition, mergeKeys, addColumns, null);
  }

  /**
   * This target deleting, in a merge, the rows whose keys match a row of the run with {@code
   * column} true; those rows are not inserted. Null: no soft deletes.
   */
  public WarehouseTarget withSoftDeleteColumn(String column) {
    return new WarehouseTarget(schema, table, disposition, mergeKeys, addColumns, column);
  }

  /** A target that never alters an existing table. */
  public WarehouseTarget(
      String schema, String table, Disposition disposition, List<String> mergeKeys) {
    this(schema, table, disposition, mergeKeys, false, null);
  }

  public static Disposition disposition(String value) {
    try {
      return Disposition.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "The warehouse write disposition (withWarehouseDisposition) "
              + value
              + " is not valid: use append, replace or merge");
    }
  }

  /** Checks a name; {@code what} says which, with its setting. */
  static String checkName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    if (name.length() > 127 || CONTROL.matcher(name).find() || name.contains(".")) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name.replaceAll("\\p{Cntrl}", "?")
              + "' is not a valid name: at most 127 characters, no dots or control characters");
    }
    return name;
  }

  @Override
  public String toString() {
    return schema + "." + table;
  }
}
