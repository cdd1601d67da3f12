package io.lakeroute.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fingerprint of a table's rows computed by the engine that holds them: one {@code SELECT},
 * generated per engine, that renders each value in the canonical form of docs/fingerprints.md,
 * hashes it with the engine's MD5 and sums, so no row leaves the engine. The result is read with
 * {@link #read} and compares with {@link FingerprintAccumulator}'s.
 *
 * <pre>{@code
 * FingerprintSql sql = FingerprintSql.postgres();
 * String query = sql.query(sql.quote("sales") + "." + sql.quote("orders"), columns, null);
 * Fingerprint inWarehouse = FingerprintSql.read(statement.executeQuery(query), columns);
 * }</pre>
 */
public interface FingerprintSql {
  /** The engine's name, for messages. */
  String engine();

  /** {@code identifier} quoted for the engine. */
  String quote(String identifier);

  /**
   * Why the engine cannot render {@code column} canonically, if it cannot: such a column is left
   * out of the fingerprint (and named), never fingerprinted wrongly.
   */
  Optional<String> unsupported(FingerprintColumn column);

  /**
   * One {@code SELECT} giving one row: the row count, the row sum, then each column's NULL count
   * and sum. {@code from} is a table (or subquery) as the engine reads it; {@code where}, if not
   * null, a condition on its rows, e.g. a key range, so that a range can be fingerprinted on its
   * own.
   */
  String query(String from, List<FingerprintColumn> columns, String where);

  /**
   * The fingerprints of the rows of {@code from} (where {@code where}) per key bucket, one row per
   * bucket: the bucket, then the cells of {@link #query}. A row's bucket is the first {@code
   * length} hex digits of the MD5 of its key's text (docs/fingerprints.md, bisection); only buckets
   * whose first {@code length - 1} digits are among {@code within} are given (every bucket when it
   * is empty). Bisection narrows a difference with one such query per digit.
   */
  String bucketQuery(
      String from,
      List<FingerprintColumn> columns,
      String where,
      List<FingerprintColumn> keys,
      int length,
      Collection<String> within);

  /**
   * Up to {@code limit} rows of {@code from} (where {@code where}) in the key buckets {@code
   * buckets} of {@code length} digits (as {@link #bucketQuery}), each cell the canonical text of a
   * column of {@code shown}, in that order.
   */
  String bucketRows(
      String from,
      String where,
      List<FingerprintColumn> keys,
      int length,
      Collection<String> buckets,
      List<FingerprintColumn> shown,
      int limit);

  /**
   * The canonical text of {@code column}'s values (NULL for NULL), an expression over the column of
   * that name: what a check shows of a differing row.
   *
   * @throws IllegalArgumentException when the engine cannot render the column ({@link
   *     #unsupported})
   */
  String canonical(FingerprintColumn column);

  /**
   * Up to {@code limit} rows of {@code from} (those where {@code where}, if not null) whose
   * canonical texts of {@code shown} are not among those of the rows of {@code other} (where {@code
   * otherWhere}): the rows that differ between two sets in one engine, each cell the canonical text
   * of its value as this engine renders it (NULL for NULL), in the order of {@code shown}.
   */
  String rowsNotIn(
      String from,
      String where,
      String other,
      String otherWhere,
      List<FingerprintColumn> shown,
      int limit);

  /**
   * One row, one cell: how many values of {@code keys} occur more than once among the rows of
   * {@code from} (where {@code where}, if not null). A key that is not unique cannot tell the rows
   * a check lists apart.
   */
  default String duplicateKeys(String from, String where, List<String> keys) {
    String columns = keys.stream().map(this::quote).collect(Collectors.joining(", "));
    return "SELECT COUNT(*) FROM (SELECT "
        + columns
        + " FROM "
        + from
        + (where == null ? "" : " WHERE " + where)
        + " GROUP BY "
        + columns
        + " HAVING COUNT(*) > 1) duplicated";
  }

  /** The fingerprint in the result of {@link #query}. */
  static Fingerprint read(ResultSet result, List<FingerprintColumn> columns) throws SQLException {
    if (!result.next()) {
      throw new SQLException("a fingerprint query returned no row");
    }
    List<String> cells = new ArrayList<>();
    for (int i = 1; i <= 2 + 2 * columns.size(); i++) {
      BigDecimal cell = result.getBigDecimal(i);
      cells.add(cell == null ? null : cell.toPlainString());
    }
    return read(cells, columns);
  }

  /**
   * The fingerprint in the one row of {@link #query}'s result, each cell as text (as {@code
   * SqlClient} and BigQuery's API return them).
   */
  static Fingerprint read(List<String> row, List<FingerprintColumn> columns) {
    List<Fingerprint.Column> parts = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      parts.add(
          new Fingerprint.Column(
              columns.get(i).name(),
              sum(row.get(2 + 2 * i)).longValueExact(),
              sum(row.get(3 + 2 * i))));
    }
    return new Fingerprint(
        Canonical.VERSION, sum(row.get(0)).longValueExact(), sum(row.get(1)), parts);
  }

  private static BigInteger sum(String cell) {
    // SUM over no rows (or only NULLs) is NULL in SQL: the sum of nothing.
    return cell == null ? BigInteger.ZERO : new BigDecimal(cell.strip()).toBigIntegerExact();
  }

  static FingerprintSql postgres() {
    return new PostgresFingerprintSql();
  }

  static FingerprintSql redshift() {
    return new RedshiftFingerprintSql();
  }

  /** Spark SQL, which Databricks runs. */
  static FingerprintSql spark() {
    return new SparkFingerprintSql();
  }

  static FingerprintSql bigQuery() {
    return new BigQueryFingerprintSql();
  }

  /** SQL Server's T-SQL, which Synapse runs. */
  static FingerprintSql sqlServer() {
    return new SqlServerFingerprintSql();
  }

  static FingerprintSql h2() {
    return new H2FingerprintSql();
  }

  /**
   * PostgreSQL as the source of a query: a string column may be of any type its reader takes as
   * text ({@code char(n)}, {@code uuid}, {@code json}), rendered as the driver's {@code getString}
   * returns it.
   */
  static FingerprintSql postgresSource() {
    return new PostgresFingerprintSql.Source();
  }

  /** H2 as the source of a query; as {@link #postgresSource()}. */
  static FingerprintSql h2Source() {
    return new H2FingerprintSql.Source();
  }

  /**
   * MariaDB or MySQL as the source of a query, on lakeroute's source connection (session time zone
   * UTC); a zero date is NULL when {@code zeroDatesAsNull}, as the source then reads it.
   */
  static FingerprintSql mariaDbSource(boolean zeroDatesAsNull) {
    return new MariaDbFingerprintSql(zeroDatesAsNull);
  }
}
