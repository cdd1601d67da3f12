package io.lakeroute.fingerprint;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The fingerprint of a set of rows (docs/fingerprints.md): how many, and per column how many are
 * NULL and the sum of a 60-bit integer taken from the MD5 of each value's canonical text, plus the
 * same sum over whole rows. Sums do not depend on row order, so fingerprints of files, partitions
 * or key ranges merge by adding, and equal rows in any order and any engine give equal
 * fingerprints.
 *
 * <p>The same shape carries a <em>check</em> ({@link FingerprintAccumulator#check()}): sums of a
 * hash only lakeroute computes, marked by version {@link FingerprintAccumulator#CHECK_VERSION}, and
 * so never comparable with a fingerprint.
 *
 * <p>Sums are exact: at most 2^60 per row, they stay below 10^38 (what a DECIMAL(38,0) holds in
 * every engine) up to 8.6 × 10^19 rows. They are written as JSON strings, which no reader rounds.
 */
public record Fingerprint(
    int version,
    long rows,
    @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger rowSum,
    List<Column> columns)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  /** A column's part: its name, its NULLs, and the sum over its non-null values. */
  public record Column(
      String name, long nulls, @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger sum)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public Fingerprint {
    columns = List.copyOf(columns);
  }

  /** The fingerprint of no rows. */
  public static Fingerprint empty(List<String> columnNames) {
    return new Fingerprint(
        Canonical.VERSION,
        0,
        BigInteger.ZERO,
        columnNames.stream().map(n -> new Column(n, 0, BigInteger.ZERO)).toList());
  }

  /** The fingerprint of these rows and {@code other}'s together. */
  public Fingerprint merge(Fingerprint other) {
    checkComparable(other);
    List<Column> merged = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Column a = columns.get(i);
      Column b = other.columns.get(i);
      merged.add(new Column(a.name, a.nulls + b.nulls, a.sum.add(b.sum)));
    }
    return new Fingerprint(version, rows + other.rows, rowSum.add(other.rowSum), merged);
  }

  /** The fingerprint of these rows without {@code other}'s, which are among them. */
  public Fingerprint minus(Fingerprint other) {
    checkComparable(other);
    List<Column> left = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Column a = columns.get(i);
      Column b = other.columns.get(i);
      left.add(new Column(a.name, a.nulls - b.nulls, a.sum.subtract(b.sum)));
    }
    return new Fingerprint(version, rows - other.rows, rowSum.subtract(other.rowSum), left);
  }

  /**
   * The fingerprint of only the columns {@code names}, in this fingerprint's order. The row sum
   * covers every column and cannot be narrowed: a fingerprint of fewer columns carries a row sum of
   * zero, so that two of them compare by their count and columns alone.
   */
  public Fingerprint select(List<String> names) {
    List<Column> kept = columns.stream().filter(c -> names.contains(c.name)).toList();
    if (kept.size() != names.size()) {
      throw new IllegalArgumentException(
          "A fingerprint of columns "
              + columns.stream().map(Column::name).toList()
              + " has no column among "
              + names
              + " for each name");
    }
    return kept.size() == columns.size()
        ? this
        : new Fingerprint(version, rows, BigInteger.ZERO, kept);
  }

  /**
   * The fingerprint with every sum taken modulo 2^64: what Beam counters (longs that wrap) carry.
   * Two fingerprints that are equal are equal modulo 2^64; a change in a value changes its sum by a
   * 60-bit amount, which is never a multiple of 2^64.
   */
  public Fingerprint modulo64() {
    return new Fingerprint(
        version,
        rows,
        rowSum.mod(TWO_TO_64),
        columns.stream().map(c -> new Column(c.name, c.nulls, c.sum.mod(TWO_TO_64))).toList());
  }

  /**
   * What differs from {@code other}, one entry each: {@code rows} for the count, a column's name
   * where its values differ, and {@code (rows)} where only the row sums differ (equal columns, but
   * values moved between rows). Empty when they are equal.
   */
  public List<String> differences(Fingerprint other) {
    checkComparable(other);
    List<String> differences = new ArrayList<>();
    if (rows != other.rows) {
      differences.add("rows");
    }
    for (int i = 0; i < columns.size(); i++) {
      if (!columns.get(i).equals(other.columns.get(i))) {
        differences.add(columns.get(i).name);
      }
    }
    if (differences.isEmpty() && !rowSum.equals(other.rowSum)) {
      differences.add("(rows)");
    }
    return differences;
  }

  private void checkComparable(Fingerprint other) {
    if (other.version != version) {
      throw new IllegalArgumentException(
          "Fingerprints of canonical form versions "
              + version
              + " and "
              + other.version
              + " cannot be compared: fingerprint both sides with one lakeroute version");
    }
    List<String> mine = columns.stream().map(Column::name).toList();
    List<String> theirs = other.columns.stream().map(Column::name).toList();
    if (!mine.equals(theirs)) {
      throw new IllegalArgumentException(
          "Fingerprints of different columns cannot be compared: " + mine + " and " + theirs);
    }
  }
}
