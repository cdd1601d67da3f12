package io.lakeroute.query;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.Canonical;
import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.validation.ReconciliationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The source's own fingerprint of a partition ({@link JdbcSource#withVerifySource}): the source
 * database renders and hashes the partition's rows in its SQL (docs/fingerprints.md), inside the
 * transaction the partition is read in, and the result must equal the fingerprint lakeroute takes
 * of the values the driver returned. A value the driver or the type mapping changes (a date moved
 * by a calendar conversion, a timestamp by a zone) keeps the count but not the fingerprint.
 *
 * <p>On a difference the partition is read once more in the same transaction, each row with the
 * source's canonical text of the differing columns next to the values the driver returns, and up to
 * {@value ValuesCheck#SHOWN_ROWS} rows are named by their key (the query's first column) with both
 * texts.
 */
final class SourceValues {
  private static final String ALIAS = "lakeroute_source";

  private final FingerprintSql sql;
  private final Schema schema;
  private final List<FingerprintColumn> columns;

  SourceValues(FingerprintSql sql, Schema schema) {
    this.sql = sql;
    this.schema = schema;
    this.columns =
        schema.getFields().stream()
            .map(f -> FingerprintColumn.of(f.getName(), Manifest.typeOf(f.getType())))
            .toList();
  }

  /** How many columns are compared. */
  int columns() {
    return columns.size();
  }

  /** The fingerprint query of {@code partition}, run in the source. */
  String query(QueryPartition partition) {
    return sql.query(from(partition), columns, null);
  }

  private static String from(QueryPartition partition) {
    return "(" + partition.sql() + ") " + ALIAS;
  }

  /** Fingerprints {@code partition} in the source, on the read's own connection. */
  Fingerprint fingerprint(Connection connection, QueryPartition partition) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query(partition))) {
      PartitionReader.bind(statement, partition.parameters());
      try (ResultSet result = statement.executeQuery()) {
        return FingerprintSql.read(result, columns);
      }
    }
  }

  /**
   * Fails naming the columns and rows when {@code read}, the fingerprint of the values the driver
   * returned, is not {@code inSource}.
   *
   * @param readers how the partition's values were read, column by column
   * @param database the source's name, for the message
   */
  void compare(
      Connection connection,
      QueryPartition partition,
      Fingerprint inSource,
      Fingerprint read,
      SourceDialect.ColumnReader[] readers,
      String database)
      throws SQLException {
    List<String> differences = inSource.differences(read);
    if (differences.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("Values differ between the source and the rows read from it, in ")
            .append(partition)
            .append(": ")
            .append(String.join(", ", differences))
            .append(" (fingerprints computed by ")
            .append(database)
            .append(" in the read's transaction and by lakeroute from the values its driver")
            .append(" returned, docs/fingerprints.md). ");
    if (differences.contains("rows")) {
      message.append(
          "The source changed between its fingerprint and the read: it shares no snapshot"
              + " between them. Nothing was published: re-run it, or select rows no writer"
              + " changes any more.");
    } else {
      message
          .append(rows(connection, partition, differences, readers, database))
          .append(
              " The driver or lakeroute's mapping of the column's type changed the values, and"
                  + " every later hop would copy them. Nothing was published: cast the column in"
                  + " the query to a type that is read exactly (text, a numeric, a timestamp),"
                  + " and report it with the column's source type (")
          .append(
              shown(differences).stream()
                  .map(
                      i -> schema.getField(i).getName() + " " + schema.getField(i).getDescription())
                  .collect(Collectors.joining(", ")))
          .append(").");
    }
    throw new ReconciliationException(ReconciliationException.Hop.SOURCE, message.toString());
  }

  /** The schema positions of the differing columns; every column when only rows differ. */
  private List<Integer> shown(List<String> differences) {
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (differences.contains(columns.get(i).name())) {
        shown.add(i);
      }
    }
    if (shown.isEmpty()) {
      for (int i = 0; i < columns.size(); i++) {
        shown.add(i);
      }
    }
    return shown;
  }

  /**
   * Up to {@value ValuesCheck#SHOWN_ROWS} rows whose differing columns the source and lakeroute
   * render differently, read again with the source's canonical texts alongside.
   */
  private String rows(
      Connection connection,
      QueryPartition partition,
      List<String> differences,
      SourceDialect.ColumnReader[] readers,
      String database)
      throws SQLException {
    List<Integer> shown = shown(differences);
    FingerprintColumn key = columns.get(0);
    StringBuilder select =
        new StringBuilder("SELECT ").append(ALIAS).append(".*, ").append(sql.canonical(key));
    for (int i : shown) {
      select.append(", ").append(sql.canonical(columns.get(i)));
    }
    select.append(" FROM ").append(from(partition));
    int width = columns.size();
    List<String> found = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(select.toString())) {
      PartitionReader.bind(statement, partition.parameters());
      try (ResultSet result = statement.executeQuery()) {
        while (found.size() < ValuesCheck.SHOWN_ROWS && result.next()) {
          List<String> cells = new ArrayList<>();
          for (int s = 0; s < shown.size(); s++) {
            int column = shown.get(s);
            String inSource = result.getString(width + 2 + s);
            Object value = readers[column].read(result, column + 1);
            String read = value == null ? null : canonical(column, value);
            if (!Objects.equals(inSource, read)) {
              cells.add(
                  columns.get(column).name()
                      + " "
                      + ValuesCheck.shownValue(inSource)
                      + " in "
                      + database
                      + ", "
                      + ValuesCheck.shownValue(read)
                      + " as read");
            }
          }
          if (!cells.isEmpty()) {
            found.add(
                key.name()
                    + " "
                    + ValuesCheck.shownValue(result.getString(width + 1))
                    + ": "
                    + String.join(", ", cells));
          }
        }
      }
    }
    if (found.isEmpty()) {
      return "Read again, no row differs: the source changed between the reads.";
    }
    return "Rows by "
        + key.name()
        + " (canonical text, at most "
        + ValuesCheck.SHOWN_ROWS
        + "): "
        + String.join("; ", found)
        + "."
        + notUnique(connection, partition, key.name());
  }

  /** A sentence saying the key repeats among the partition's rows; nothing when it does not. */
  private String notUnique(Connection connection, QueryPartition partition, String key)
      throws SQLException {
    long repeated;
    try (PreparedStatement statement =
        connection.prepareStatement(sql.duplicateKeys(from(partition), null, List.of(key)))) {
      PartitionReader.bind(statement, partition.parameters());
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        repeated = result.getLong(1);
      }
    }
    return repeated == 0
        ? ""
        : " The key "
            + key
            + " is not unique: "
            + repeated
            + " of its values occur more than once in "
            + partition
            + ", so the rows above cannot be told apart by it; make the query's first column one"
            + " that identifies a row.";
  }

  private String canonical(int column, Object value) {
    Schema.FieldType type = schema.getField(column).getType();
    Kind kind = SqlTypeMapping.kindOf(type);
    return Canonical.text(kind, kind == Kind.DECIMAL ? SqlTypeMapping.scale(type) : 0, value);
  }
}
