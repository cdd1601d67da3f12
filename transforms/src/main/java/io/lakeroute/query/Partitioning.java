package io.lakeroute.query;

import java.io.Serializable;
import java.util.Locale;

/**
 * How to split a query's result into partitions, each read in parallel and written to its own file.
 * Without a column the query is read in one pass into one file.
 */
public final class Partitioning implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows per partition the planner aims at when the number of partitions is left to it. */
  public static final long DEFAULT_ROWS_PER_PARTITION = 500_000;

  /**
   * The most partitions a query is cut into: planning holds 16 histogram buckets per partition in
   * memory, and every partition is a file, a query and a connection of its own.
   */
  public static final int MAX_PARTITIONS = 100_000;

  private final String column;
  private final int partitions;
  private final long maxRowsPerFile;

  private Partitioning(String column, int partitions, long maxRowsPerFile) {
    this.column = column;
    this.partitions = partitions;
    this.maxRowsPerFile = maxRowsPerFile;
  }

  /** One partition: the query as written. */
  public static Partitioning none() {
    return new Partitioning(null, 0, 0);
  }

  /**
   * Split on an integer, date or timestamp column into ranges of about equal row counts, measured
   * with a histogram of the column.
   */
  public static Partitioning onColumn(String column) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException(
          "The partition column (Partitioning.onColumn) must name a column of the query");
    }
    return new Partitioning(column, 0, 0);
  }

  /**
   * At least this many partitions, at most {@value #MAX_PARTITIONS} (0: one per {@value
   * #DEFAULT_ROWS_PER_PARTITION} rows).
   */
  public Partitioning withPartitions(int partitions) {
    if (partitions < 0 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "The number of partitions (Partitioning.withPartitions) must be between 0"
                  + " (automatic) and %,d, got %,d",
              MAX_PARTITIONS,
              partitions));
    }
    return new Partitioning(column, partitions, maxRowsPerFile);
  }

  /** No file holds more rows than this (0: no limit). */
  public Partitioning withMaxRowsPerFile(long maxRowsPerFile) {
    if (maxRowsPerFile < 0) {
      throw new IllegalArgumentException(
          "The maximum rows per file (Partitioning.withMaxRowsPerFile) must be 0 (no limit) or"
              + " more, got "
              + maxRowsPerFile);
    }
    return new Partitioning(column, partitions, maxRowsPerFile);
  }

  /** The partition column, or null. */
  public String column() {
    return column;
  }

  public int partitions() {
    return partitions;
  }

  public long maxRowsPerFile() {
    return maxRowsPerFile;
  }

  /** How many partitions {@code rows} rows need. */
  int partitionsFor(long rows) {
    long byLimit = maxRowsPerFile > 0 ? ceilDiv(rows, maxRowsPerFile) : 1;
    long byDefault = partitions > 0 ? partitions : ceilDiv(rows, DEFAULT_ROWS_PER_PARTITION);
    return (int) Math.max(1, Math.min(MAX_PARTITIONS, Math.max(byLimit, byDefault)));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
