package io.lakeroute.query;

import io.lakeroute.fingerprint.FingerprintSql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * MariaDB and MySQL through MariaDB Connector/J.
 *
 * <p>Types: unsigned integers widen to the next type that holds their maximum ({@code BIGINT
 * UNSIGNED} to decimal(20,0)); {@code TINYINT(1)} and {@code BOOLEAN} are booleans, and a value
 * other than 0 or 1 in them fails the read (the driver would read 2 as true); {@code BIT(n)} is an
 * integer, {@code YEAR} a small integer; {@code TIMESTAMP} is an instant and {@code DATETIME} a
 * local date-time. Dates, times and date-times are read from their text, because the driver reads a
 * zero date ({@code 0000-00-00}) as NULL and a {@code TIME} beyond a day as a wrong time of day:
 * both fail the read naming the column instead, unless the source asks for zero dates as NULL
 * ({@link #ZERO_DATES_AS_NULL}, from {@code JdbcSource.withZeroDate}). Every connection sets its
 * session time zone to UTC, so that {@code TIMESTAMP} values arrive as UTC whatever the server's or
 * the JVM's zone.
 *
 * <p>Consistency: InnoDB's consistent snapshot belongs to one transaction and cannot be handed to
 * another connection, so a run reads the query with one reader, in a transaction started {@code
 * WITH CONSISTENT SNAPSHOT}: rows committed while it reads are not seen.
 */
enum MariaDbSourceDialect implements SourceDialect {
  /** Zero dates fail the read, naming the column: the default. */
  INSTANCE(false),
  /** Zero dates are read as NULL: the user chose to lose them. */
  ZERO_DATES_AS_NULL(true);

  /**
   * A date MariaDB stores without it being one: a zero year, month and day, or a zero month or day
   * (allowed unless the server's SQL mode has NO_ZERO_DATE and NO_ZERO_IN_DATE).
   */
  private static final Pattern ZERO_DATE =
      Pattern.compile("^\\d{4}-(00-\\d{2}|\\d{2}-00)(\\s.*)?$");

  private final boolean zeroDatesAsNull;

  MariaDbSourceDialect(boolean zeroDatesAsNull) {
    this.zeroDatesAsNull = zeroDatesAsNull;
  }

  /** The session time zone every connection sets: TIMESTAMP values arrive in it. */
  static final String SESSION_TIME_ZONE = "+00:00";

  @Override
  public String database() {
    return "MariaDB";
  }

  /** A TIMESTAMP takes no zone in a literal: it is read in the session's, which is UTC. */
  @Override
  public String cursorLiteral(Cursor.Kind kind, String value) {
    if (kind == Cursor.Kind.TIMESTAMP_TZ) {
      return "TIMESTAMP '"
          + LITERAL_TIME.format(LocalDateTime.ofInstant(Instant.parse(value), ZoneOffset.UTC))
          + "'";
    }
    return SourceDialect.super.cursorLiteral(kind, value);
  }

  /**
   * The binary protocol: the text protocol prints a FLOAT with 6 significant digits (16777216
   * arrives as 1.67772e7), the binary one sends its 4 bytes. Connector/J bounds the login by its
   * {@code connectTimeout} (milliseconds).
   */
  @Override
  public String connectionProperties(Duration stallTimeout) {
    return "useServerPrepStmts=true;connectTimeout=" + stallTimeout.toMillis();
  }

  @Override
  public List<String> sessionSql() {
    return List.of("SET time_zone = '" + SESSION_TIME_ZONE + "'");
  }

  @Override
  public FieldType fieldType(String column, String typeName, ResultSetMetaData metadata, int i)
      throws SQLException {
    int jdbcType = metadata.getColumnType(i);
    switch (typeName) {
      case "BOOLEAN": // TINYINT(1), reported as BOOLEAN while tinyInt1isBit is on (the default)
        return FieldType.BOOLEAN;
      case "YEAR":
        return FieldType.INT16;
      case "TIMESTAMP":
        return FieldType.logicalType(SqlTypes.TIMESTAMP);
      case "DATETIME":
        return FieldType.logicalType(SqlTypes.DATETIME);
      case "uuid":
        return FieldType.STRING;
      default:
        break;
    }
    if (jdbcType == Types.BIT && metadata.getPrecision(i) > 1) {
      int bits = metadata.getPrecision(i);
      return bits < Long.SIZE ? FieldType.INT64 : FieldType.logicalType(unsigned64());
    }
    return SqlTypeMapping.standardType(column, typeName, metadata, i);
  }

  private static FixedPrecisionNumeric unsigned64() {
    return FixedPrecisionNumeric.of(20, 0);
  }

  @Override
  public ColumnReader reader(Schema.Field field) {
    String column = field.getName();
    String type = field.getDescription();
    switch (SqlTypeMapping.kindOf(field.getType())) {
      case BOOLEAN:
        if (type.equals("BOOLEAN")) {
          return (rs, c) -> zeroOrOne(rs.getString(c), column);
        }
        break;
      case INT64:
      case DECIMAL:
        if (type.equals("BIT")) {
          boolean wide = SqlTypeMapping.kindOf(field.getType()) == SqlTypeMapping.Kind.DECIMAL;
          return (rs, c) -> {
            byte[] bits = rs.getBytes(c);
            if (bits == null) {
              return null;
            }
            BigInteger value = new BigInteger(1, bits);
            return wide ? new BigDecimal(value) : (Object) value.longValueExact();
          };
        }
        break;
      case INT16:
        if (type.equals("YEAR")) {
          return (rs, c) -> {
            String text = rs.getString(c);
            return text == null ? null : Short.valueOf(text);
          };
        }
        break;
      case DATE:
        return (rs, c) -> temporal(rs, c, column, type, LocalDate::parse);
      case TIMESTAMP:
        return (rs, c) -> temporal(rs, c, column, type, MariaDbSourceDialect::dateTime);
      case TIMESTAMP_TZ:
        return (rs, c) ->
            temporal(rs, c, column, type, text -> dateTime(text).toInstant(ZoneOffset.UTC));
      case TIME:
        return (rs, c) -> temporal(rs, c, column, type, LocalTime::parse);
      default:
        break;
    }
    return PartitionReader.standardReader(field);
  }

  private static Boolean zeroOrOne(String text, String column) {
    if (text == null) {
      return null;
    }
    switch (text) {
      case "0":
        return Boolean.FALSE;
      case "1":
        return Boolean.TRUE;
      default:
        throw new IllegalArgumentException(
            "Column '"
                + column
                + "' is a TINYINT(1), read as a boolean, and holds "
                + text
                + ": only 0 and 1 are booleans. Cast it in the query to keep the number, e.g."
                + " CAST("
                + column
                + " AS SIGNED), or add tinyInt1isBit=false to the JDBC URL to read every"
                + " TINYINT(1) as a number");
    }
  }

  private static LocalDateTime dateTime(String text) {
    return LocalDateTime.parse(text.replace(' ', 'T'));
  }

  /**
   * Parses a temporal value from the text MariaDB sends, which holds exactly what was stored; a
   * zero date is NULL when the source asks for it.
   */
  private <T> T temporal(ResultSet rs, int c, String column, String type, Function<String, T> parse)
      throws SQLException {
    String text;
    try {
      text = rs.getString(c);
    } catch (DateTimeException e) {
      // Connector/J turns a binary DATE into text through LocalDate.of, which fails on the one
      // value MariaDB sends that is no date: a zero month or day (it spells out an all-zero DATE,
      // and DATETIME and TIMESTAMP values of every kind).
      if (zeroDatesAsNull) {
        return null;
      }
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' ("
              + type
              + ") holds a date with a zero month or day, "
              + zeroDateAdvice(
                  "filter those rows out, e.g. WHERE MONTH("
                      + column
                      + ") <> 0 AND DAY("
                      + column
                      + ") <> 0"),
          e);
    }
    if (text == null) {
      return null;
    }
    try {
      return parse.apply(text);
    } catch (DateTimeParseException e) {
      boolean zeroDate = !type.equals("TIME") && ZERO_DATE.matcher(text).matches();
      if (zeroDate && zeroDatesAsNull) {
        return null;
      }
      String advice =
          type.equals("TIME")
              ? "a duration beyond a time of day (00:00:00 to 23:59:59.999999): cast it in the"
                  + " query, e.g. TIME_TO_SEC("
                  + column
                  + ") for seconds"
              : zeroDate
                  ? zeroDateAdvice(
                      "turn it into NULL in the query, e.g. NULLIF("
                          + column
                          + ", '"
                          + text
                          + "'), or filter those rows out")
                  : "a value no file format holds: filter those rows out or cast the column";
      throw new IllegalArgumentException(
          "Column '" + column + "' (" + type + ") holds '" + text + "', " + advice, e);
    }
  }

  /** Why a zero date is refused, what the query can do about it ({@code fix}), and the option. */
  private static String zeroDateAdvice(String fix) {
    return "a zero date, which no file format or Databricks holds: "
        + fix
        + ", or set JdbcSource.withZeroDate(null) to read every zero date as NULL";
  }

  @Override
  public Optional<FingerprintSql> fingerprintSql() {
    return Optional.of(FingerprintSql.mariaDbSource(zeroDatesAsNull));
  }

  @Override
  public Consistency consistency() {
    return Consistency.ONE_READER;
  }

  @Override
  public void beginRead(Connection connection, String snapshotId) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (Statement statement = connection.createStatement()) {
      statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }
  }
}
