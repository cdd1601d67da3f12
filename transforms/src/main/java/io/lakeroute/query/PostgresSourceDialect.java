package io.lakeroute.query;

import io.lakeroute.fingerprint.FingerprintSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * PostgreSQL through pgjdbc, whose type codes need the type name to tell types apart (bool is BIT,
 * timestamptz is TIMESTAMP, uuid and json are OTHER). The planner's REPEATABLE READ snapshot is
 * exported ({@code pg_export_snapshot()}) and every partition adopts it ({@code SET TRANSACTION
 * SNAPSHOT}), so partitions read in parallel exactly the rows the planner counted.
 */
enum PostgresSourceDialect implements SourceDialect {
  INSTANCE;

  /** What PostgreSQL returns, e.g. {@code 00000003-0000001B-1}: checked before it meets SQL. */
  private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+");

  @Override
  public String database() {
    return "PostgreSQL";
  }

  /** pgjdbc waits for the server's answer to its login without limit unless told. */
  @Override
  public String connectionProperties(Duration stallTimeout) {
    return "loginTimeout=" + stallTimeout.toSeconds();
  }

  @Override
  public FieldType fieldType(String column, String typeName, ResultSetMetaData metadata, int i)
      throws SQLException {
    switch (typeName) {
      case "uuid":
      case "json":
      case "jsonb":
        return FieldType.STRING;
      case "bool":
        return FieldType.BOOLEAN;
      case "timestamptz":
        return FieldType.logicalType(SqlTypes.TIMESTAMP);
      case "money":
      case "timetz":
        throw new UnsupportedColumnTypeException(column, typeName, SqlTypeMapping.CAST_ADVICE);
      default:
        return SqlTypeMapping.standardType(column, typeName, metadata, i);
    }
  }

  @Override
  public Optional<FingerprintSql> fingerprintSql() {
    return Optional.of(FingerprintSql.postgresSource());
  }

  @Override
  public Consistency consistency() {
    return Consistency.SHARED_SNAPSHOT;
  }

  @Override
  public String exportSnapshot(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
      rs.next();
      return checked(rs.getString(1));
    }
  }

  @Override
  public void beginRead(Connection connection, String snapshotId) throws SQLException {
    // pgjdbc streams only inside a transaction.
    connection.setAutoCommit(false);
    if (snapshotId != null) {
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET TRANSACTION SNAPSHOT '" + checked(snapshotId) + "'");
      }
    }
  }

  private static String checked(String id) {
    if (id == null || !SNAPSHOT_ID.matcher(id).matches()) {
      throw new IllegalStateException("Unexpected snapshot id from the source: " + id);
    }
    return id;
  }
}
