package io.lakeroute.query;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a query before the pipeline runs: derives its schema from the driver's metadata, counts its
 * rows and, with a partition column, cuts it into ranges of about equal row counts from a histogram
 * of that column (integer columns in equal-width buckets, date and timestamp columns by day).
 *
 * <p>Everything here fails before any data moves, with a message naming the setting at fault.
 */
public final class QueryPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(QueryPlanner.class);

  /** Histogram buckets per planned partition: enough to balance ranges within a few percent. */
  private static final int BUCKETS_PER_PARTITION = 16;

  private QueryPlanner() {}

  /**
   * Plans {@code query} in a transaction of its own; partitions read the data as of their start.
   */
  public static QueryPlan plan(JdbcSource source, String query, Partitioning partitioning) {
    return plan(source, query, partitioning, null);
  }

  /**
   * As {@link #plan(JdbcSource, String, Partitioning)}, reading only the rows past {@code cursor}'s
   * mark when it is not null.
   */
  public static QueryPlan plan(
      JdbcSource source, String query, Partitioning partitioning, Cursor cursor) {
    String sql = normalize(query);
    try (Connection connection = source.connect()) {
      return plan(source, connection, sql, partitioning, null, cursor);
    } catch (SQLException e) {
      throw new SourceException(SourceException.describe(e, source.redactedUrl()), e);
    }
  }

  /**
   * Plans {@code query} inside {@code snapshot}, whose partitions then read exactly the rows
   * counted here; without a snapshot id, like {@link #plan(JdbcSource, String, Partitioning)}.
   */
  public static QueryPlan plan(SourceSnapshot snapshot, String query, Partitioning partitioning) {
    return plan(snapshot, query, partitioning, null);
  }

  /**
   * As {@link #plan(SourceSnapshot, String, Partitioning)}, reading only the rows past {@code
   * cursor}'s mark when it is not null: the cursor's maximum is read in the snapshot, so the range
   * the plan records is exactly what the partitions read.
   */
  public static QueryPlan plan(
      SourceSnapshot snapshot, String query, Partitioning partitioning, Cursor cursor) {
    if (snapshot.id() == null) {
      return plan(snapshot.source(), query, partitioning, cursor);
    }
    try {
      return plan(
          snapshot.source(),
          snapshot.connection(),
          normalize(query),
          partitioning,
          snapshot.id(),
          cursor);
    } catch (SQLException e) {
      throw new SourceException(SourceException.describe(e, snapshot.source().redactedUrl()), e);
    }
  }

  private static QueryPlan plan(
      JdbcSource source,
      Connection connection,
      String sql,
      Partitioning partitioning,
      String snapshotId,
      Cursor cursor)
      throws SQLException {
    {
      SourceDialect dialect = source.dialect();
      if (cursor == null && CURSOR_FILTER.matcher(sql).find()) {
        throw new IllegalArgumentException(
            "The query uses {cursor_filter}, which stands for the rows past the cursor's mark:"
                + " give a cursor column (Cursor.on), or take the placeholder out");
      }
      // Until the cursor's type is known, the placeholder holds every row.
      Schema schema = schemaOf(connection, withCursorFilter(sql, null, dialect, null), dialect);
      String quote = identifierQuote(connection);
      Cursor.Range range = null;
      if (cursor != null) {
        range = cursorRange(connection, sql, schema, cursor, dialect, quote);
        sql =
            "SELECT * FROM ("
                + withCursorFilter(sql, range, dialect, quote)
                + ") lakeroute_c"
                + cursorPredicate(range, dialect, quote);
        if (!cursor.latestPer().isEmpty()) {
          sql = latestPerKey(sql, schema, cursor, quote);
        }
        LOG.info("Reading {} in ({}, {}]", range.column(), range.from(), range.to());
      }
      String wrapped = "SELECT * FROM (" + sql + ") lakeroute_q";
      boolean oneReader = dialect.consistency() == SourceDialect.Consistency.ONE_READER;
      if (oneReader) {
        LOG.warn(
            "{} cannot share a snapshot between connections: the query is read by one consistent"
                + " reader{}",
            dialect.database(),
            partitioning.column() == null
                ? ""
                : ", not in partitions on " + partitioning.column() + " (Partitioning.onColumn)");
      }
      if (partitioning.column() == null || oneReader) {
        long rows = singleLong(connection, "SELECT COUNT(*) FROM (" + sql + ") lakeroute_q");
        if (partitioning.maxRowsPerFile() > 0 && rows > partitioning.maxRowsPerFile()) {
          throw new IllegalArgumentException(
              "The query returns "
                  + rows
                  + " rows, more than the maximum rows per file (Partitioning.withMaxRowsPerFile)"
                  + " of "
                  + partitioning.maxRowsPerFile()
                  + (oneReader
                      ? ": "
                          + dialect.database()
                          + " is read by one consistent reader into one file, so raise the"
                          + " maximum or split the query into runs"
                      : ": files are cut at partition boundaries, so also give a partition"
                          + " column (Partitioning.onColumn)"));
        }
        return new QueryPlan(source, sql, schema, whole(sql, rows), rows, snapshotId, range);
      }
      Schema.Field field = partitionField(schema, partitioning.column());
      String column = quoted(field.getName(), quote);
      ColumnKind kind = ColumnKind.of(field);
      long[] stats =
          longs(
              connection,
              "SELECT COUNT(*), COUNT(" + column + ") FROM (" + sql + ") lakeroute_q",
              2);
      long rows = stats[0];
      long nulls = rows - stats[1];
      int target = partitioning.partitionsFor(rows);
      if (target == 1 || stats[1] == 0) {
        return new QueryPlan(source, sql, schema, whole(sql, rows), rows, snapshotId, range);
      }
      List<Bucket> buckets = histogram(connection, sql, column, kind, target);
      List<QueryPartition> partitions =
          ranges(wrapped, column, buckets, nulls, rows, target, partitioning.maxRowsPerFile());
      LOG.info("Planned {} partitions on {} for {} rows", partitions.size(), field.getName(), rows);
      return new QueryPlan(source, sql, schema, partitions, rows, snapshotId, range);
    }
  }

  /**
   * The range of {@code cursor}'s column this run reads: a replay's own, or from the mark moved
   * back by the lag up to the column's maximum now (the mark itself when nothing is newer: an empty
   * range, never one that goes back).
   */
  private static Cursor.Range cursorRange(
      Connection connection,
      String sql,
      Schema schema,
      Cursor cursor,
      SourceDialect dialect,
      String quote)
      throws SQLException {
    Schema.Field field = cursorField(schema, cursor.column());
    Cursor.Kind kind = cursorKind(field);
    if (cursor.replay() != null) {
      if (!cursor.replay().type().equals(kind.type)) {
        throw new IllegalArgumentException(
            "The run replayed read cursor column "
                + field.getName()
                + " as "
                + cursor.replay().type()
                + "; the query now gives "
                + kind.type
                + ": run a full refresh to start over");
      }
      return new Cursor.Range(
          field.getName(), kind.type, cursor.replay().from(), cursor.replay().to());
    }
    String column = quoted(field.getName(), quote);
    String from =
        cursor.after() == null ? null : kind.minus(cursor.after(), cursor.lag(), field.getName());
    // The maximum past the lower bound, with no upper bound yet: the placeholders hold that too.
    Cursor.Range past = new Cursor.Range(field.getName(), kind.type, from, null);
    String maxSql =
        "SELECT MAX("
            + column
            + ") FROM ("
            + withCursorFilter(sql, past, dialect, quote)
            + ") lakeroute_q"
            + cursorPredicate(past, dialect, quote);
    Object max;
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(maxSql)) {
      rs.next();
      max = dialect.reader(field).read(rs, 1);
    }
    String to = max == null ? null : kind.text(max);
    if (cursor.after() != null && (to == null || kind.compare(cursor.after(), to) > 0)) {
      to = cursor.after();
    }
    return new Cursor.Range(field.getName(), kind.type, from, to);
  }

  /**
   * The rows of {@code range}: above {@code from} up to {@code to}; without {@code from}, NULL
   * cursors too (a first run reads every row); without either, every row.
   */
  static String cursorPredicate(Cursor.Range range, SourceDialect dialect, String quote) {
    String condition = cursorCondition(quoted(range.column(), quote), range, dialect);
    return condition == null ? "" : " WHERE " + condition;
  }

  /**
   * The condition on {@code expression} that holds the rows of {@code range} (without {@code to},
   * every row above {@code from}), or null for every row.
   */
  private static String cursorCondition(
      String expression, Cursor.Range range, SourceDialect dialect) {
    Cursor.Kind kind = Cursor.Kind.of(range.type());
    if (range.from() == null) {
      return range.to() == null
          ? null
          : expression
              + " <= "
              + dialect.cursorLiteral(kind, range.to())
              + " OR "
              + expression
              + " IS NULL";
    }
    String above = expression + " > " + dialect.cursorLiteral(kind, range.from());
    return range.to() == null
        ? above
        : above + " AND " + expression + " <= " + dialect.cursorLiteral(kind, range.to());
  }

  /**
   * {@code {cursor_filter}} or {@code {cursor_filter:expression}} in a query: the condition that
   * holds the run's cursor range, where the query wants it (inside a join, a union, an aggregate,
   * where the wrapping condition would come too late for the source's planner).
   */
  static final Pattern CURSOR_FILTER = Pattern.compile("\\{cursor_filter(?::([^}]+))?}");

  /**
   * {@code sql} with each {@link #CURSOR_FILTER} replaced by the condition holding {@code range} on
   * the cursor column, or on the expression the placeholder names (e.g. {@code o.updated_at} in a
   * join); a null range holds every row. The placeholder is the whole condition rather than the
   * bounds because a first run has no lower bound, and reads NULL cursors too.
   */
  static String withCursorFilter(
      String sql, Cursor.Range range, SourceDialect dialect, String quote) {
    Matcher matcher = CURSOR_FILTER.matcher(sql);
    StringBuilder filled = new StringBuilder();
    while (matcher.find()) {
      String expression =
          matcher.group(1) != null
              ? matcher.group(1).strip()
              : range == null ? null : quoted(range.column(), quote);
      String condition = range == null ? null : cursorCondition(expression, range, dialect);
      matcher.appendReplacement(
          filled, Matcher.quoteReplacement(condition == null ? "1 = 1" : "(" + condition + ")"));
    }
    matcher.appendTail(filled);
    return filled.toString();
  }

  /**
   * {@code sql} with one row per key, the one with the highest cursor ({@link Cursor#latestPer}):
   * the window function every source dialect has, its helper column left out again.
   */
  static String latestPerKey(String sql, Schema schema, Cursor cursor, String quote) {
    List<String> keys = new ArrayList<>();
    for (String key : cursor.latestPer()) {
      try {
        keys.add(quoted(cursorField(schema, key).getName(), quote));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "The key "
                + key
                + " to keep the latest row of (Cursor.latestPer) names no column of the query; its"
                + " columns are "
                + schema.getFieldNames(),
            e);
      }
    }
    List<String> columns = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      columns.add(quoted(field.getName(), quote));
    }
    String cursorColumn = quoted(cursorField(schema, cursor.column()).getName(), quote);
    // NULL cursors last whatever the database's default: a row with a value is the later one.
    String order =
        "CASE WHEN " + cursorColumn + " IS NULL THEN 1 ELSE 0 END, " + cursorColumn + " DESC";
    return "SELECT "
        + String.join(", ", columns)
        + " FROM (SELECT lakeroute_k.*, ROW_NUMBER() OVER (PARTITION BY "
        + String.join(", ", keys)
        + " ORDER BY "
        + order
        + ") AS lakeroute_rn FROM ("
        + sql
        + ") lakeroute_k) lakeroute_l WHERE lakeroute_rn = 1";
  }

  private static Schema.Field cursorField(Schema schema, String column) {
    for (Schema.Field field : schema.getFields()) {
      if (field.getName().equalsIgnoreCase(column)) {
        return field;
      }
    }
    throw new IllegalArgumentException(
        "Cursor.on("
            + column
            + ") names no column of the query; its columns are "
            + schema.getFieldNames());
  }

  private static Cursor.Kind cursorKind(Schema.Field field) {
    switch (SqlTypeMapping.kindOf(field.getType())) {
      case INT16:
      case INT32:
      case INT64:
        return Cursor.Kind.INTEGER;
      case DECIMAL:
        if (SqlTypeMapping.scale(field.getType()) == 0
            && SqlTypeMapping.precision(field.getType()) <= 18) {
          return Cursor.Kind.INTEGER;
        }
        break;
      case DATE:
        return Cursor.Kind.DATE;
      case TIMESTAMP:
        return Cursor.Kind.TIMESTAMP;
      case TIMESTAMP_TZ:
        return Cursor.Kind.TIMESTAMP_TZ;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "The cursor column "
            + field.getName()
            + " (Cursor.on) has type "
            + field.getDescription()
            + "; a cursor is an integer, date or timestamp column that grows with every new or"
            + " changed row");
  }

  private static String quoted(String name, String quote) {
    return quote + name.replace(quote, quote + quote) + quote;
  }

  /** The query read as one partition. */
  private static List<QueryPartition> whole(String sql, long rows) {
    return List.of(new QueryPartition(0, 1, sql, List.of(), rows));
  }

  /** Drops a trailing semicolon and blank space so the query can be wrapped. */
  static String normalize(String query) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("The query is empty: give the SQL whose rows to deliver");
    }
    String sql = query.strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).stripTrailing();
    }
    return sql;
  }

  private static Schema schemaOf(Connection connection, String sql, SourceDialect dialect)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      ResultSetMetaData metadata = statement.getMetaData();
      if (metadata != null) {
        return SqlTypeMapping.schemaOf(metadata, dialect);
      }
    }
    // Some drivers describe a statement only once it ran: run it for no rows.
    try (Statement statement = connection.createStatement();
        ResultSet resultSet =
            statement.executeQuery("SELECT * FROM (" + sql + ") lakeroute_q WHERE 1 = 0")) {
      return SqlTypeMapping.schemaOf(resultSet.getMetaData(), dialect);
    }
  }

  private static String identifierQuote(Connection connection) throws SQLException {
    String quote = connection.getMetaData().getIdentifierQuoteString();
    return quote == null || quote.isBlank() ? "\"" : quote.strip();
  }

  private static Schema.Field partitionField(Schema schema, String column) {
    for (Schema.Field field : schema.getFields()) {
      if (field.getName().equalsIgnoreCase(column)) {
        return field;
      }
    }
    throw new IllegalArgumentException(
        "Partitioning.onColumn("
            + column
            + ") names no column of the query; its columns are "
            + schema.getFieldNames());
  }

  /** The partition column's kinds and how each is bucketed. */
  private enum ColumnKind {
    INTEGER,
    DATE,
    TIMESTAMP;

    static ColumnKind of(Schema.Field field) {
      SqlTypeMapping.Kind kind = SqlTypeMapping.kindOf(field.getType());
      switch (kind) {
        case INT16:
        case INT32:
        case INT64:
          return INTEGER;
        case DECIMAL:
          if (SqlTypeMapping.scale(field.getType()) == 0
              && SqlTypeMapping.precision(field.getType()) <= 18) {
            return INTEGER;
          }
          break;
        case DATE:
          return DATE;
        case TIMESTAMP:
          return TIMESTAMP;
        default:
          break;
      }
      throw new IllegalArgumentException(
          "The partition column "
              + field.getName()
              + " (Partitioning.onColumn) has type "
              + field.getDescription()
              + "; partition on an integer, date or timestamp (without time zone) column");
    }
  }

  /** Rows whose partition value is at least {@code start} (and below the next bucket's start). */
  private static final class Bucket {
    final Serializable start;
    final long rows;

    Bucket(Serializable start, long rows) {
      this.start = start;
      this.rows = rows;
    }
  }

  private static List<Bucket> histogram(
      Connection connection, String sql, String column, ColumnKind kind, int partitions)
      throws SQLException {
    List<Bucket> buckets = new ArrayList<>();
    if (kind == ColumnKind.INTEGER) {
      long[] range =
          longs(
              connection,
              "SELECT MIN(" + column + "), MAX(" + column + ") FROM (" + sql + ") lakeroute_q",
              2);
      long min = range[0];
      long span = Math.max(1, Math.subtractExact(range[1], min) + 1);
      long width = Math.max(1, ceilDiv(span, (long) partitions * BUCKETS_PER_PARTITION));
      // min and width are longs, so inlining them is safe and spares drivers parameter typing.
      String bucketSql =
          "SELECT lakeroute_b, COUNT(*) FROM (SELECT FLOOR(("
              + column
              + " - ("
              + min
              + ")) / "
              + width
              + ") AS lakeroute_b FROM ("
              + sql
              + ") lakeroute_q WHERE "
              + column
              + " IS NOT NULL) lakeroute_h GROUP BY lakeroute_b ORDER BY lakeroute_b";
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(bucketSql)) {
        while (rs.next()) {
          buckets.add(new Bucket(min + rs.getLong(1) * width, rs.getLong(2)));
        }
      }
    } else {
      String bucketSql =
          "SELECT lakeroute_d, COUNT(*) FROM (SELECT CAST("
              + column
              + " AS DATE) AS lakeroute_d FROM ("
              + sql
              + ") lakeroute_q WHERE "
              + column
              + " IS NOT NULL) lakeroute_h GROUP BY lakeroute_d ORDER BY lakeroute_d";
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(bucketSql)) {
        while (rs.next()) {
          LocalDate day = rs.getObject(1, LocalDate.class);
          buckets.add(
              new Bucket(kind == ColumnKind.DATE ? day : day.atStartOfDay(), rs.getLong(2)));
        }
      }
    }
    return buckets;
  }

  /**
   * Merges consecutive buckets into {@code partitions} ranges of about equal row counts (cut where
   * the running count crosses each 1/n-th of the rows); when that would put more than {@code
   * maxRowsPerFile} rows in a range, cuts greedily at that limit instead. The first range is open
   * below and also takes the NULLs; the last is open above, so the ranges cover every row whatever
   * changed since the histogram.
   */
  static List<QueryPartition> ranges(
      String wrapped,
      String column,
      List<Bucket> buckets,
      long nulls,
      long rows,
      int partitions,
      long maxRowsPerFile) {
    List<Serializable> cuts = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    cutEvenly(buckets, nulls, rows, partitions, cuts, counts);
    if (maxRowsPerFile > 0 && counts.stream().anyMatch(c -> c > maxRowsPerFile)) {
      cuts.clear();
      counts.clear();
      cutAtLimit(buckets, nulls, maxRowsPerFile, column, cuts, counts);
    }
    int count = cuts.size() + 1;
    List<QueryPartition> result = new ArrayList<>(count);
    if (count == 1) {
      result.add(new QueryPartition(0, 1, wrapped, List.of(), rows));
      return result;
    }
    for (int i = 0; i < count; i++) {
      String predicate;
      List<Serializable> parameters;
      if (i == 0) {
        predicate = column + " < ? OR " + column + " IS NULL";
        parameters = List.of(cuts.get(0));
      } else if (i == count - 1) {
        predicate = column + " >= ?";
        parameters = List.of(cuts.get(i - 1));
      } else {
        predicate = column + " >= ? AND " + column + " < ?";
        parameters = List.of(cuts.get(i - 1), cuts.get(i));
      }
      result.add(
          new QueryPartition(i, count, wrapped + " WHERE " + predicate, parameters, counts.get(i)));
    }
    return result;
  }

  private static void cutEvenly(
      List<Bucket> buckets,
      long nulls,
      long rows,
      int partitions,
      List<Serializable> cuts,
      List<Long> counts) {
    long before = nulls;
    long current = nulls;
    int partition = 0;
    for (Bucket bucket : buckets) {
      int target = (int) Math.min(partitions - 1, (before * partitions) / Math.max(1, rows));
      if (target > partition && current > 0) {
        cuts.add(bucket.start);
        counts.add(current);
        current = 0;
        partition = target;
      }
      current += bucket.rows;
      before += bucket.rows;
    }
    counts.add(current);
  }

  private static void cutAtLimit(
      List<Bucket> buckets,
      long nulls,
      long limit,
      String column,
      List<Serializable> cuts,
      List<Long> counts) {
    long current = nulls;
    for (Bucket bucket : buckets) {
      if (current > 0 && current + bucket.rows > limit) {
        cuts.add(bucket.start);
        counts.add(current);
        current = 0;
      }
      current += bucket.rows;
      if (bucket.rows > limit) {
        LOG.warn(
            "{} rows share one {} bucket starting at {}: that file will exceed the maximum rows"
                + " per file (Partitioning.withMaxRowsPerFile)",
            bucket.rows,
            column,
            bucket.start);
      }
    }
    counts.add(current);
  }

  private static long singleLong(Connection connection, String sql) throws SQLException {
    return longs(connection, sql, 1)[0];
  }

  private static long[] longs(Connection connection, String sql, int columns) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      long[] values = new long[columns];
      for (int i = 0; i < columns; i++) {
        values[i] = rs.getLong(i + 1);
      }
      return values;
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
