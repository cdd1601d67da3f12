package io.lakeroute.query;

import io.lakeroute.fingerprint.FingerprintSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * What differs between the databases a query is read from: how their drivers report column types,
 * how a value of a type is read exactly, what every connection must set first, and how the
 * partitions of one run see one state of the data. One implementation per database, chosen from the
 * JDBC URL ({@link #forUrl}); anything not overridden follows the JDBC standard.
 */
public interface SourceDialect {

  /** How the partitions of one run see one state of the source. */
  enum Consistency {
    /**
     * The planner's snapshot is exported and every partition's transaction adopts it, on any
     * worker: partitions read in parallel exactly the rows the planner counted.
     */
    SHARED_SNAPSHOT,
    /**
     * Snapshots belong to one connection and cannot be shared: the query is read by one reader, in
     * one consistent-snapshot transaction, which counts the rows of its snapshot before it streams
     * them.
     */
    ONE_READER,
    /** Each partition reads the data as of its own start (an embedded database the run owns). */
    PER_PARTITION
  }

  /** Decodes one column of the current row to the Java type of its Beam field. */
  @FunctionalInterface
  interface ColumnReader {
    Object read(ResultSet resultSet, int column) throws SQLException;
  }

  /** The dialect of the database {@code url} names; the JDBC standard for others. */
  static SourceDialect forUrl(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return PostgresSourceDialect.INSTANCE;
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MariaDbSourceDialect.INSTANCE;
    }
    if (url.startsWith("jdbc:h2:")) {
      return H2SourceDialect.INSTANCE;
    }
    return StandardSourceDialect.INSTANCE;
  }

  /** The database's name, for logs and the run summary. */
  String database();

  /**
   * Driver properties every connection sets ({@code name=value;…}), or null for none; they bound
   * the login by {@code stallTimeout} where the driver would otherwise wait for it without limit.
   */
  default String connectionProperties(Duration stallTimeout) {
    return null;
  }

  /** Statements every new connection runs before anything else (session settings). */
  default List<String> sessionSql() {
    return List.of();
  }

  /**
   * The Beam type of result column {@code i}, or {@link UnsupportedColumnTypeException} naming it.
   *
   * @param typeName the type name the driver reports, never null
   */
  default FieldType fieldType(String column, String typeName, ResultSetMetaData metadata, int i)
      throws SQLException {
    return SqlTypeMapping.standardType(column, typeName, metadata, i);
  }

  /** Reads the values of {@code field}, a field {@link #fieldType} made. */
  default ColumnReader reader(Schema.Field field) {
    return PartitionReader.standardReader(field);
  }

  Consistency consistency();

  /**
   * The fingerprint query in the database's own SQL (docs/fingerprints.md), with which a run can
   * prove the rows it read against the source itself ({@link JdbcSource#withVerifySource}); empty
   * where lakeroute has none.
   */
  default Optional<FingerprintSql> fingerprintSql() {
    return Optional.empty();
  }

  /**
   * The SQL literal of a cursor value ({@link Cursor}), given as its text: the SQL standard's typed
   * literals, which PostgreSQL and H2 read as written; a time-zoned value at UTC.
   */
  default String cursorLiteral(Cursor.Kind kind, String value) {
    return switch (kind) {
      case INTEGER -> String.valueOf(Long.parseLong(value));
      case DATE -> "DATE '" + LocalDate.parse(value) + "'";
      case TIMESTAMP -> "TIMESTAMP '" + LITERAL_TIME.format(LocalDateTime.parse(value)) + "'";
      case TIMESTAMP_TZ ->
          "TIMESTAMP WITH TIME ZONE '"
              + LITERAL_TIME.format(LocalDateTime.ofInstant(Instant.parse(value), ZoneOffset.UTC))
              + "+00:00'";
    };
  }

  /** A timestamp literal's text, to the microsecond. */
  DateTimeFormatter LITERAL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  /**
   * Starts the planner's transaction on {@code connection} and returns the snapshot partitions
   * adopt; only for {@link Consistency#SHARED_SNAPSHOT}.
   */
  default String exportSnapshot(Connection connection) throws SQLException {
    throw new SQLFeatureNotSupportedException(database() + " cannot export a snapshot");
  }

  /**
   * Starts the transaction a partition reads in: inside {@code snapshotId} when the run shares one
   * (null otherwise), in a consistent snapshot of its own for {@link Consistency#ONE_READER}.
   */
  default void beginRead(Connection connection, String snapshotId) throws SQLException {
    // Drivers that stream (pgjdbc) do so only inside a transaction; others ignore it harmlessly.
    connection.setAutoCommit(false);
  }
}
