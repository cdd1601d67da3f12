package io.lakeroute.databricks;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where and how a run becomes queryable in Databricks: the table, the way (an external table over
 * the run's files, or a managed Delta table loaded from exactly those files), the write disposition
 * and the SQL dialect of the server (real Databricks, or the open-source Spark stand-in that runs
 * the nearest equivalent of each Databricks-only statement).
 */
public record DatabricksTarget(
    DatabricksTable table, Mode mode, Disposition disposition, Dialect dialect)
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
    REPLACE
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
    if (table == null || mode == null || disposition == null || dialect == null) {
      throw new IllegalArgumentException("table, mode, disposition and dialect are required");
    }
  }

  /** {@code value} as a constant of {@code type}; the message starts with {@code what}. */
  static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      StringBuilder valid = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        valid
            .append(valid.length() == 0 ? "" : ", ")
            .append(constant.name().toLowerCase(Locale.ROOT));
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
}
