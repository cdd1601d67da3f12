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
   * Rows per partition the planner allows, when the workers are known and a query has more than
   * {@value #DEFAULT_ROWS_PER_PARTITION} rows for each: then it cuts one partition per worker, or a
   * multiple, rather than many small ones. Each partition is a scan of its range in the source and
   * a file; more of them than workers cost source scans and leave workers idle at the end (the
   * benchmark, docs/performance.md), while a partition streams, so its size costs no memory.
   */
  public static final long MAX_ROWS_PER_WORKER_PARTITION = 5_000_000;

  /**
   * The most partitions a query is cut into: planning holds 16 histogram buckets per partition in
   * memory, and every partition is a file, a query and a connection of its own.
   */
  public static final int MAX_PARTITIONS = 100_000;

  private final String column;
  private final int partitions;
  private final long maxRowsPerFile;
  private final int workers;

  private Partitioning(String column, int partitions, long maxRowsPerFile, int workers) {
    this.column = column;
    this.partitions = partitions;
    this.maxRowsPerFile = maxRowsPerFile;
    this.workers = workers;
  }

  /** One partition: the query as written. */
  public static Partitioning none() {
    return new Partitioning(null, 0, 0, 0);
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
    return new Partitioning(column, 0, 0, 0);
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
    return new Partitioning(column, partitions, maxRowsPerFile, workers);
  }

  /** No file holds more rows than this (0: no limit). */
  public Partitioning withMaxRowsPerFile(long maxRowsPerFile) {
    if (maxRowsPerFile < 0) {
      throw new IllegalArgumentException(
          "The maximum rows per file (Partitioning.withMaxRowsPerFile) must be 0 (no limit) or"
              + " more, got "
              + maxRowsPerFile);
    }
    return new Partitioning(column, partitions, maxRowsPerFile, workers);
  }

  /**
   * How many partitions the run reads at once (the Direct runner's threads, a local Spark's cores),
   * for the automatic count; 0, the default: not known before the run (a cluster).
   */
  public Partitioning withWorkers(int workers) {
    if (workers < 0) {
      throw new IllegalArgumentException("The number of workers must be 0 or more, got " + workers);
    }
    return new Partitioning(column, partitions, maxRowsPerFile, workers);
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
    long byDefault = partitions > 0 ? partitions : automatic(rows);
    return (int) Math.max(1, Math.min(MAX_PARTITIONS, Math.max(byLimit, byDefault)));
  }

  /**
   * One partition per {@value #DEFAULT_ROWS_PER_PARTITION} rows while that is no more than the
   * workers; beyond, the fewest multiple of the workers that keeps partitions within {@value
   * #MAX_ROWS_PER_WORKER_PARTITION} rows.
   */
  private long automatic(long rows) {
    long small = ceilDiv(rows, DEFAULT_ROWS_PER_PARTITION);
    if (workers == 0 || small <= workers) {
      return small;
    }
    return workers * ceilDiv(rows, workers * MAX_ROWS_PER_WORKER_PARTITION);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
