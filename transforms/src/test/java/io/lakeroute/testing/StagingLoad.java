package io.lakeroute.testing;

import io.lakeroute.testing.StagedRecords.BadRecord;
import io.lakeroute.testing.StagedRecords.Record;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The insert half of a stand-in's bulk load: the decoded records of the staged files into a table
 * of the stand-in database, all or nothing, as a warehouse's COPY is. The server converts each
 * value to its column's type on assignment, so a value that does not fit (too long, not a number,
 * out of range) is rejected by the server's own rules; the load then names the file, the line and
 * the column at fault, found by inserting that row's values one column at a time.
 */
final class StagingLoad {
  /** What the load needs to know of a column: its name and the kind of text conversion it takes. */
  record Column(String name, Kind kind) {}

  /** The columns whose text a warehouse parses with its own date and time rules. */
  enum Kind {
    DATE,
    TIMESTAMP,
    TIMESTAMP_TZ,
    OTHER
  }

  /** One staged file and its records. */
  record StagedFile(String uri, List<Record> records) {}

  /** A rejected record: where, which column (empty when not one), why, and the raw value. */
  record Rejected(String file, long line, String column, String reason, String value) {}

  /** The load failed: more records were rejected than allowed; nothing was inserted. */
  static final class Failed extends Exception {
    final List<Rejected> rejected;

    Failed(List<Rejected> rejected) {
      super(rejected.get(rejected.size() - 1).reason());
      this.rejected = rejected;
    }
  }

  /** A record's values in column order, text converted where the warehouse parses it itself. */
  interface Mapping {
    List<Object> values(Record record) throws BadRecord;
  }

  private final Connection connection;
  private final String table;
  private final List<String> quotedColumns;
  private final List<Column> columns;
  private final boolean textOfUnknownType;

  /**
   * @param table the table as the statement names it (quoted)
   * @param quotedColumns the columns the statement loads, quoted; empty for all of the table's
   * @param textOfUnknownType whether text is bound as of unknown type, for a server (PostgreSQL)
   *     that would otherwise refuse text for a typed column instead of converting it
   */
  StagingLoad(
      Connection connection, String table, List<String> quotedColumns, boolean textOfUnknownType)
      throws SQLException {
    this.connection = connection;
    this.table = table;
    this.textOfUnknownType = textOfUnknownType;
    List<Column> found = new ArrayList<>();
    List<String> quoted = new ArrayList<>();
    String select = quotedColumns.isEmpty() ? "*" : String.join(", ", quotedColumns);
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT " + select + " FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        found.add(new Column(meta.getColumnName(i), kind(meta.getColumnTypeName(i))));
        quoted.add(
            quotedColumns.isEmpty()
                ? connection.getMetaData().getIdentifierQuoteString()
                    + meta.getColumnName(i)
                    + connection.getMetaData().getIdentifierQuoteString()
                : quotedColumns.get(i - 1));
      }
    }
    this.columns = Collections.unmodifiableList(found);
    this.quotedColumns = quoted;
  }

  private static Kind kind(String typeName) {
    String type = typeName.toLowerCase(Locale.ROOT);
    if (type.equals("date")) {
      return Kind.DATE;
    }
    if (type.equals("timestamptz") || type.contains("with time zone")) {
      return Kind.TIMESTAMP_TZ;
    }
    return type.startsWith("timestamp") ? Kind.TIMESTAMP : Kind.OTHER;
  }

  List<Column> columns() {
    return columns;
  }

  List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /**
   * Inserts every record of {@code files}; returns the rows inserted. Up to {@code maxErrors}
   * rejected records are skipped; one more fails the load and leaves the table as it was.
   */
  long load(List<StagedFile> files, Mapping mapping, int maxErrors) throws SQLException, Failed {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    Savepoint start = autoCommit ? null : connection.setSavepoint();
    List<Rejected> rejected = new ArrayList<>();
    long rows = 0;
    String insert =
        "INSERT INTO "
            + table
            + " ("
            + String.join(", ", quotedColumns)
            + ") VALUES ("
            + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
            + ")";
    boolean done = false;
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      for (StagedFile file : files) {
        for (Record record : file.records()) {
          List<Object> values;
          try {
            values = mapping.values(record);
          } catch (BadRecord e) {
            reject(rejected, maxErrors, new Rejected(file.uri(), e.line, "", e.getMessage(), ""));
            continue;
          }
          Savepoint row = maxErrors > 0 ? connection.setSavepoint() : null;
          try {
            bind(statement, values);
            statement.executeUpdate();
            rows++;
          } catch (SQLException e) {
            if (row != null) {
              connection.rollback(row);
            } else {
              rollback(start);
            }
            reject(rejected, maxErrors, rejectedValue(file.uri(), record.line(), values, e));
          }
        }
      }
      done = true;
    } finally {
      if (done) {
        if (autoCommit) {
          connection.commit();
        }
      } else {
        rollback(start);
      }
      connection.setAutoCommit(autoCommit);
    }
    return rows;
  }

  private void rollback(Savepoint start) throws SQLException {
    if (start == null) {
      connection.rollback();
    } else {
      connection.rollback(start);
    }
  }

  private static void reject(List<Rejected> rejected, int maxErrors, Rejected one) throws Failed {
    rejected.add(one);
    if (rejected.size() > maxErrors) {
      throw new Failed(rejected);
    }
  }

  /**
   * The column the server rejects in {@code values}: each non-null value inserted alone, inside a
   * savepoint rolled back at once, until one fails.
   */
  private Rejected rejectedValue(String file, long line, List<Object> values, SQLException whole)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        continue;
      }
      Savepoint probe = connection.setSavepoint();
      try (PreparedStatement one =
          connection.prepareStatement(
              "INSERT INTO " + table + " (" + quotedColumns.get(i) + ") VALUES (?)")) {
        bind(one, 1, values.get(i), columns.get(i).kind());
        one.executeUpdate();
      } catch (SQLException e) {
        return new Rejected(
            file, line, columns.get(i).name(), firstLine(e), String.valueOf(values.get(i)));
      } finally {
        connection.rollback(probe);
      }
    }
    return new Rejected(file, line, "", firstLine(whole), "");
  }

  private static String firstLine(SQLException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private void bind(PreparedStatement statement, List<Object> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      bind(statement, i + 1, values.get(i), columns.get(i).kind());
    }
  }

  private void bind(PreparedStatement statement, int index, Object value, Kind kind)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.NULL);
    } else if (value instanceof String text) {
      if (textOfUnknownType) {
        statement.setObject(index, text, Types.OTHER);
      } else {
        statement.setString(index, text);
      }
    } else if (value instanceof byte[] bytes) {
      statement.setBytes(index, bytes);
    } else if (value instanceof Instant instant) {
      statement.setObject(
          index,
          kind == Kind.TIMESTAMP
              ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
              : instant.atOffset(ZoneOffset.UTC));
    } else if (value instanceof LocalDateTime local && kind == Kind.TIMESTAMP_TZ) {
      statement.setObject(index, local.atOffset(ZoneOffset.UTC));
    } else if (value instanceof OffsetDateTime offset && kind == Kind.TIMESTAMP) {
      statement.setObject(index, offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    } else {
      statement.setObject(index, value);
    }
  }

  /** ISO-8601 dates, years signed beyond four digits, as the stand-ins read them. */
  static final DateTimeFormatter ISO_DATE =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)
          .appendLiteral('-')
          .appendValue(ChronoField.MONTH_OF_YEAR, 2)
          .appendLiteral('-')
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .toFormatter(Locale.ROOT);

  static final DateTimeFormatter ISO_TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(ISO_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:mm", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH", "Z")
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  /**
   * The text of a date or timestamp column parsed with a load's date or time format (a value
   * without an offset is UTC, as warehouses read one); other text as it is.
   */
  static Object temporal(
      long line, Column column, String text, DateTimeFormatter dates, DateTimeFormatter times)
      throws BadRecord {
    try {
      switch (column.kind()) {
        case DATE:
          return LocalDate.from(dates.parse(text.strip()));
        case TIMESTAMP:
        case TIMESTAMP_TZ:
          TemporalAccessor parsed = times.parse(text.strip());
          OffsetDateTime at =
              parsed.isSupported(ChronoField.OFFSET_SECONDS)
                  ? OffsetDateTime.from(parsed)
                  : LocalDateTime.from(parsed).atOffset(ZoneOffset.UTC);
          return column.kind() == Kind.TIMESTAMP_TZ
              ? at
              : at.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        default:
          return text;
      }
    } catch (DateTimeException e) {
      throw new BadRecord(
          line,
          "Invalid "
              + (column.kind() == Kind.DATE ? "date" : "timestamp")
              + " format or value ["
              + text
              + "] for column "
              + column.name());
    }
  }
}
