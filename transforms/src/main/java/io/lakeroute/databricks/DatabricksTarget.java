package io.lakeroute.databricks;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where and how a run becomes queryable in Databricks: the table, the way (an external table over
 * the run's files, or a managed Delta table loaded from exactly those files), the write disposition
 * with its merge keys and optional soft-delete column, the SQL dialect of the server (real
 * Databricks, or the open-source Spark stand-in) and the statement a Delta load uses.
 */
public record DatabricksTarget(
    DatabricksTable table,
    Mode mode,
    Disposition disposition,
    Dialect dialect,
    List<String> mergeKeys,
    Load load,
    String softDeleteColumn)
    implements Serializable {

  /** How the data becomes visible. */
  public enum Mode {
    /** {@code CREATE TABLE … USING <format> LOCATION <run directory>}; a new run moves it. */
    EXTERNAL,
    /** A managed Delta table loaded from exactly the manifest's files. */
    DELTA
  }

  /** What a load does to rows already in the table. */
  public enum Disposition {
    /** Adds this run's rows; a re-run of the same run id replaces them, never duplicates. */
    APPEND,
    /** The table holds exactly this run's rows afterwards; one atomic commit. */
    REPLACE,
    /**
     * Rows whose merge keys equal (NULL-safe) a row of this run are replaced by it, the others are
     * added; one commit. A run holding a key twice is refused.
     */
    MERGE
  }

  /** The statement that writes a Delta table. */
  public enum Load {
    /**
     * {@code INSERT … REPLACE WHERE}, {@code INSERT OVERWRITE} or {@code MERGE INTO} from a
     * temporary view over exactly the manifest's files: one Delta commit, and the same statements
     * on Databricks and on open-source Spark with Delta.
     */
    INSERT,
    /**
     * Databricks' {@code COPY INTO}, appending after a {@code DELETE} of the run's earlier rows:
     * two commits, Databricks only.
     */
    COPY_INTO
  }

  /** The SQL the server speaks. */
  public enum Dialect {
    /** Databricks SQL: COPY INTO, read_files, Unity Catalog, s3:// and abfss:// locations. */
    DATABRICKS,
    /**
     * Open-source Spark 3.5 with Delta (the local stand-in): temporary views over the listed files
     * instead of COPY INTO and read_files, s3a://, file: and (for Azurite) wasb:// locations.
     */
    SPARK
  }

  public DatabricksTarget {
    if (table == null || mode == null || disposition == null || dialect == null || load == null) {
      throw new IllegalArgumentException("table, mode, disposition, dialect and load are required");
    }
    mergeKeys = mergeKeys == null ? List.of() : List.copyOf(mergeKeys);
    mergeKeys.forEach(k -> SqlText.checkIdentifier(k, "a merge key (withDatabricksMergeKeys)"));
    if (disposition == Disposition.MERGE && mergeKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "The merge disposition (withDatabricksDisposition) needs merge keys"
              + " (withDatabricksMergeKeys): the columns that identify a row, e.g. id");
    }
    if (disposition != Disposition.MERGE && !mergeKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "Merge keys (withDatabricksMergeKeys) are only used with the merge disposition"
              + " (withDatabricksDisposition)");
    }
    if (disposition != Disposition.REPLACE && mode != Mode.DELTA) {
      throw new IllegalArgumentException(
          "An external table shows one run's files: use the Databricks disposition"
              + " (withDatabricksDisposition) replace with the external mode (withDatabricksMode),"
              + " or the delta mode (withDatabricksMode) to "
              + disposition.name().toLowerCase(Locale.ROOT)
              + " runs");
    }
    if (softDeleteColumn != null) {
      SqlText.checkIdentifier(
          softDeleteColumn, "the soft-delete column (withDatabricksSoftDeleteColumn)");
      if (disposition != Disposition.MERGE) {
        throw new IllegalArgumentException(
            "A soft-delete column (withDatabricksSoftDeleteColumn) deletes rows in a merge: use it with the"
                + " merge disposition (withDatabricksDisposition)");
      }
    }
    if (load == Load.COPY_INTO) {
      if (mode != Mode.DELTA || disposition != Disposition.APPEND) {
        throw new IllegalArgumentException(
            "The copy-into Databricks load (withDatabricksLoad) appends to a Delta table: use it"
                + " with the delta mode (withDatabricksMode) and the append disposition"
                + " (withDatabricksDisposition), or use the insert load");
      }
      if (dialect != Dialect.DATABRICKS) {
        throw new IllegalArgumentException(
            "COPY INTO runs on Databricks only: the copy-into Databricks load"
                + " (withDatabricksLoad) needs the databricks dialect (withDatabricksDialect);"
                + " the insert load runs on both");
      }
    }
  }

  /** A target loading with {@link Load#INSERT}, without merge keys. */
  public DatabricksTarget(
      DatabricksTable table, Mode mode, Disposition disposition, Dialect dialect) {
    this(table, mode, disposition, dialect, List.of(), Load.INSERT, null);
  }

  /** A target without soft deletes. */
  public DatabricksTarget(
      DatabricksTable table,
      Mode mode,
      Disposition disposition,
      Dialect dialect,
      List<String> mergeKeys,
      Load load) {
    this(table, mode, disposition, dialect, mergeKeys, load, null);
  }

  /**
   * This target deleting, in a merge, the rows whose keys match a row of the run with {@code
   * column} true; those rows are not inserted. Null: no soft deletes.
   */
  public DatabricksTarget withDatabricksSoftDeleteColumn(String column) {
    return new DatabricksTarget(table, mode, disposition, dialect, mergeKeys, load, column);
  }

  /**
   * {@code value} as a constant of {@code type}, written in lower case with {@code -} for {@code
   * _}; the message starts with {@code what}.
   */
  static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (RuntimeException e) {
      StringBuilder valid = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        valid
            .append(valid.length() == 0 ? "" : ", ")
            .append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      throw new IllegalArgumentException(what + " " + value + " is not valid: use " + valid);
    }
  }

  public static Mode mode(String value) {
    return parse(Mode.class, value, "The Databricks mode (withDatabricksMode)");
  }

  public static Disposition disposition(String value) {
    return parse(
        Disposition.class, value, "The Databricks disposition (withDatabricksDisposition)");
  }

  public static Dialect dialect(String value) {
    return parse(Dialect.class, value, "The Databricks dialect (withDatabricksDialect)");
  }

  /** {@code insert} or {@code copy-into}. */
  public static Load load(String value) {
    return parse(Load.class, value, "The Databricks load (withDatabricksLoad)");
  }

  /** Comma-separated column names, blanks around them ignored; none for null. */
  public static List<String> mergeKeys(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList();
  }
}
