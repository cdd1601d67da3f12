package io.lakeroute.query;

import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the rows of one {@link QueryPartition} to a consumer, one at a time, so that reading a
 * partition of any size holds one fetch batch in memory. Values are decoded to the exact Java types
 * of the Beam schema (BigDecimal at the declared scale, java.time types at microsecond precision).
 */
public final class PartitionReader implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionReader.class);

  private static final long serialVersionUID = 1L;

  /** Beam metric namespace of every lakeroute counter. */
  public static final String METRICS_NAMESPACE = "lakeroute";

  /** Counter of rows read from the source, over all partitions. */
  public static final String ROWS_READ = "rows_read";

  /**
   * Gauge of the columns whose fingerprints the source computed equal to the rows read ({@link
   * JdbcSource#withVerifySource}).
   */
  public static final String VALUES_IN_SOURCE = "values_in_source";

  private final JdbcSource source;
  private final Schema schema;
  private final String snapshotId;

  public PartitionReader(JdbcSource source, Schema schema) {
    this(source, schema, null);
  }

  private PartitionReader(JdbcSource source, Schema schema, String snapshotId) {
    this.source = source;
    this.schema = schema;
    this.snapshotId = snapshotId;
  }

  public Schema schema() {
    return schema;
  }

  /** A reader inside the exported source snapshot {@code id} (null: none). */
  PartitionReader inSnapshot(String id) {
    return new PartitionReader(source, schema, id);
  }

  /** Receives the rows of a partition. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(Row row) throws IOException;
  }

  /** Reads every row of {@code partition} into {@code consumer}; returns how many were read. */
  public long read(QueryPartition partition, RowConsumer consumer) throws IOException {
    return read(partition, consumer, null);
  }

  /**
   * Reads every row of {@code partition} into {@code consumer} and, unless {@code fingerprint} is
   * null, adds each row to it as it streams by (docs/fingerprints.md); returns how many were read.
   */
  public long read(
      QueryPartition partition, RowConsumer consumer, FingerprintAccumulator fingerprint)
      throws IOException {
    Counter rowsRead = Metrics.counter(METRICS_NAMESPACE, ROWS_READ);
    SourceDialect dialect = source.dialect();
    SourceDialect.ColumnReader[] columns = columnReaders(dialect);
    long rows = 0;
    Progress progress = new Progress(partition);
    try (Connection connection = source.connect()) {
      dialect.beginRead(connection, snapshotId);
      try {
        if (dialect.consistency() == SourceDialect.Consistency.ONE_READER) {
          checkSnapshotCount(connection, partition, dialect);
        }
        // The source's own fingerprint, in the transaction (and so the snapshot) the rows are
        // read in; compared with theirs once they are read.
        SourceValues sourceValues =
            source.verifySource()
                ? new SourceValues(dialect.fingerprintSql().orElseThrow(), schema)
                : null;
        Fingerprint inSource =
            sourceValues == null ? null : sourceValues.fingerprint(connection, partition);
        FingerprintAccumulator read =
            sourceValues != null && fingerprint == null
                ? FingerprintAccumulator.of(schema)
                : fingerprint;
        try (PreparedStatement statement =
            connection.prepareStatement(
                partition.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
          statement.setFetchSize(source.fetchSize());
          bind(statement, partition.parameters());
          try (ResultSet resultSet = statement.executeQuery()) {
            int width = columns.length;
            while (resultSet.next()) {
              Object[] values = new Object[width];
              for (int c = 0; c < width; c++) {
                try {
                  values[c] = columns[c].read(resultSet, c + 1);
                } catch (SQLException e) {
                  throw unreadable(schema.getField(c), resultSet, c + 1, e);
                }
              }
              if (read != null) {
                read.add(values);
              }
              consumer.accept(Row.withSchema(schema).attachValues(Arrays.asList(values)));
              rows++;
              if ((rows & 0x3FF) == 0) {
                rowsRead.inc(0x400);
                progress.report(rows);
              }
            }
          }
        }
        if (sourceValues != null) {
          sourceValues.compare(
              connection, partition, inSource, read.fingerprint(), columns, dialect.database());
          Metrics.gauge(METRICS_NAMESPACE, VALUES_IN_SOURCE).set(sourceValues.columns());
        }
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackAfter(connection, e);
        throw e;
      }
      connection.rollback();
    } catch (SQLException e) {
      throw new SourceReadException(
          "Reading "
              + partition
              + " from "
              + source.redactedUrl()
              + " failed after "
              + rows
              + " rows: "
              + e.getMessage(),
          e);
    }
    rowsRead.inc(rows & 0x3FF);
    progress.done(rows);
    return rows;
  }

  static void bind(PreparedStatement statement, List<Serializable> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
  }

  /**
   * The one reader of a source whose snapshots cannot be shared counts its snapshot's rows before
   * streaming them: the rows the planner counted earlier, in a transaction of its own, unless
   * writers committed in between. Then the run would fail reconciliation after the whole read, so
   * it fails now, saying why.
   */
  private void checkSnapshotCount(
      Connection connection, QueryPartition partition, SourceDialect dialect) throws SQLException {
    long inSnapshot;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM (" + partition.sql() + ") lakeroute_snapshot")) {
      bind(statement, partition.parameters());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        inSnapshot = rs.getLong(1);
      }
    }
    if (inSnapshot != partition.estimatedRows()) {
      // The same failure, and exit code, as the reconciliation it anticipates.
      throw new ReconciliationException(
          ReconciliationException.Hop.FILES,
          String.format(
              Locale.ROOT,
              "The query returned %,d rows when planned and %,d when its consistent read began:"
                  + " writers committed in between. %s cannot share one snapshot between"
                  + " connections, so the run reads in one transaction that sees no later"
                  + " change; nothing was published: re-run it, or select rows no writer"
                  + " changes any more (e.g. WHERE created_at < the logical date).",
              partition.estimatedRows(),
              inSnapshot,
              dialect.database()));
    }
    LOG.info("{}: one consistent reader, {} rows in its snapshot", partition, inSnapshot);
  }

  /**
   * Ends the read's transaction after {@code failure} without hiding it: a connection the driver
   * closed on a timeout refuses the rollback too, and that refusal is not the news.
   */
  private static void rollbackAfter(Connection connection, Exception failure) {
    try {
      if (!connection.isClosed()) {
        connection.rollback();
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Progress lines of a long read, in the worker's log: the only view into a partition while it
   * streams, since runners publish metrics when a bundle ends.
   */
  private static final class Progress {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final QueryPartition partition;
    private final long start = System.nanoTime();
    private long next = start + EVERY_NANOS;
    private boolean reported;

    Progress(QueryPartition partition) {
      this.partition = partition;
    }

    void report(long rows) {
      long now = System.nanoTime();
      if (now >= next) {
        next = now + EVERY_NANOS;
        reported = true;
        log("reading", rows, now);
      }
    }

    void done(long rows) {
      if (reported) {
        log("read", rows, System.nanoTime());
      }
    }

    private void log(String verb, long rows, long now) {
      double seconds = (now - start) / 1e9;
      LOG.info(
          String.format(
              Locale.ROOT,
              "%s %s: %,d rows, %,.0f rows/s, %.1f s",
              verb,
              partition,
              rows,
              seconds > 0 ? rows / seconds : 0.0,
              seconds));
    }
  }

  private SourceDialect.ColumnReader[] columnReaders(SourceDialect dialect) {
    SourceDialect.ColumnReader[] readers = new SourceDialect.ColumnReader[schema.getFieldCount()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = dialect.reader(schema.getField(i));
    }
    return readers;
  }

  /** How a value of {@code field}'s type is read through the JDBC standard getters. */
  static SourceDialect.ColumnReader standardReader(Schema.Field field) {
    switch (SqlTypeMapping.kindOf(field.getType())) {
      case INT16:
        return (rs, c) -> nullable(rs, rs.getShort(c));
      case INT32:
        return (rs, c) -> nullable(rs, rs.getInt(c));
      case INT64:
        return (rs, c) -> nullable(rs, rs.getLong(c));
      case FLOAT:
        return (rs, c) -> nullable(rs, rs.getFloat(c));
      case DOUBLE:
        return (rs, c) -> nullable(rs, rs.getDouble(c));
      case BOOLEAN:
        return (rs, c) -> nullable(rs, rs.getBoolean(c));
      case STRING:
        return ResultSet::getString;
      case BYTES:
        return ResultSet::getBytes;
      case DECIMAL:
        int precision = SqlTypeMapping.precision(field.getType());
        int scale = SqlTypeMapping.scale(field.getType());
        String name = field.getName();
        return (rs, c) -> fit(rs.getBigDecimal(c), precision, scale, name);
      case DATE:
        String dateColumn = field.getName();
        return (rs, c) ->
            finite(rs.getObject(c, LocalDate.class), LocalDate.MIN, LocalDate.MAX, dateColumn);
      case TIME:
        String timeColumn = field.getName();
        return (rs, c) ->
            micros(timeOfDay(rs.getObject(c, LocalTime.class), timeColumn), timeColumn);
      case TIMESTAMP:
        String tsColumn = field.getName();
        return (rs, c) ->
            micros(
                finite(
                    rs.getObject(c, LocalDateTime.class),
                    LocalDateTime.MIN,
                    LocalDateTime.MAX,
                    tsColumn),
                tsColumn);
      case TIMESTAMP_TZ:
        String tzColumn = field.getName();
        return (rs, c) -> {
          OffsetDateTime value =
              finite(
                  rs.getObject(c, OffsetDateTime.class),
                  OffsetDateTime.MIN,
                  OffsetDateTime.MAX,
                  tzColumn);
          return value == null ? null : micros(value.toInstant(), tzColumn);
        };
    }
    throw new IllegalStateException("unreachable");
  }

  private static Object nullable(ResultSet resultSet, Object value) throws SQLException {
    return resultSet.wasNull() ? null : value;
  }

  /** The value at exactly the column's scale, or an error: nothing is rounded silently. */
  static BigDecimal fit(BigDecimal value, int precision, int scale, String column) {
    if (value == null) {
      return null;
    }
    BigDecimal scaled;
    try {
      scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' holds "
              + value.toPlainString()
              + ", which has more than "
              + scale
              + " decimal places: cast it in the query, e.g. CAST("
              + column
              + " AS NUMERIC("
              + precision
              + ","
              + Math.min(precision, value.scale())
              + "))");
    }
    if (scaled.precision() > precision) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' holds "
              + value.toPlainString()
              + ", which has more than "
              + precision
              + " digits: cast it in the query to a wider NUMERIC (up to 38 digits)");
    }
    return scaled;
  }

  /**
   * The error for a value the driver cannot decode as the column's type, with the value's text:
   * pgjdbc refuses a numeric's NaN and ±Infinity as a BigDecimal, and no decimal in any file format
   * or in Databricks holds them.
   */
  private static IllegalArgumentException unreadable(
      Schema.Field field, ResultSet resultSet, int column, SQLException error) {
    String name = field.getName();
    String text;
    try {
      text = resultSet.getString(column);
    } catch (SQLException e) {
      text = null;
    }
    if (text != null && text.matches("(?i)[+-]?(nan|infinity)")) {
      return new IllegalArgumentException(
          "Column '"
              + name
              + "' holds "
              + text
              + ", which no decimal in a file or in Databricks can hold: filter those rows out or"
              + " replace the value in the query, e.g. NULLIF("
              + name
              + ", '"
              + text
              + "'), or cast the column to double precision",
          error);
    }
    return new IllegalArgumentException(
        "Column '"
            + name
            + "' ("
            + field.getDescription()
            + ") holds "
            + (text == null ? "a value" : "'" + text + "'")
            + " the driver cannot read ("
            + error.getMessage()
            + "): filter those rows out or cast the column in the query",
        error);
  }

  /**
   * The value, or an error for PostgreSQL's {@code 'infinity'} and {@code '-infinity'}, which
   * pgjdbc reads as the Java type's MAX and MIN: no file format or Databricks holds either.
   */
  private static <T> T finite(T value, T min, T max, String column) {
    if (value != null && (value.equals(max) || value.equals(min))) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' holds "
              + (value.equals(max) ? "infinity" : "-infinity")
              + ", which no file format or Databricks can hold: filter those rows out or"
              + " replace the value in the query, e.g. CASE WHEN isfinite("
              + column
              + ") THEN "
              + column
              + " END");
    }
    return value;
  }

  /** The value, or an error for 24:00:00, which pgjdbc reads as {@link LocalTime#MAX}. */
  private static LocalTime timeOfDay(LocalTime value, String column) {
    if (LocalTime.MAX.equals(value)) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' holds 24:00:00, which no file format holds (a time of day ends at"
              + " 23:59:59.999999): replace it in the query, e.g. CASE WHEN "
              + column
              + " = '24:00' THEN '23:59:59.999999' ELSE "
              + column
              + " END, or cast the column to text");
    }
    return value;
  }

  private static <T extends java.time.temporal.Temporal> T micros(T value, String column) {
    if (value != null && value.get(java.time.temporal.ChronoField.NANO_OF_SECOND) % 1000 != 0) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' holds "
              + value
              + ", finer than the microseconds every format carries: round it in the query");
    }
    return value;
  }
}
