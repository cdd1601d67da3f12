package io.lakeroute.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consistent view of the source for a whole run, where the database can share one: the
 * planner's COUNT and every partition's read then see the same rows, so a table written to while
 * the run reads it still reconciles exactly.
 *
 * <p>On PostgreSQL the snapshot of a REPEATABLE READ transaction is exported ({@code
 * pg_export_snapshot()}) and each partition's transaction adopts it ({@code SET TRANSACTION
 * SNAPSHOT}), on any worker of any runner, for as long as this object stays open: the launcher
 * holds it until the pipeline has finished. Other databases get no snapshot ({@link #id()} is
 * null): each read sees the data as of its own start, and reconciliation catches any change.
 *
 * <pre>{@code
 * try (SourceSnapshot snapshot = SourceSnapshot.export(source)) {
 *   QueryPlan plan = QueryPlanner.plan(snapshot, query, partitioning);
 *   pipeline.run().waitUntilFinish();
 * }
 * }</pre>
 */
public final class SourceSnapshot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SourceSnapshot.class);

  /** What PostgreSQL returns, e.g. {@code 00000003-0000001B-1}: checked before it meets SQL. */
  private static final Pattern ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+");

  private final JdbcSource source;
  private final Connection connection;
  private final String id;

  private SourceSnapshot(JdbcSource source, Connection connection, String id) {
    this.source = source;
    this.connection = connection;
    this.id = id;
  }

  /**
   * Opens the transaction whose snapshot the run shares. Other databases, and a PostgreSQL that
   * cannot export one (a hot standby), get none: the run goes on without, and says so in the log.
   *
   * @throws SourceException when the source cannot be reached at all
   */
  public static SourceSnapshot export(JdbcSource source) {
    if (!supported(source)) {
      return new SourceSnapshot(source, null, null);
    }
    Connection connection;
    try {
      connection = source.connect();
    } catch (SQLException e) {
      throw new SourceException(SourceException.describe(e, source.redactedUrl()), e);
    }
    try {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        String id = checked(rs.getString(1));
        LOG.info("Every partition reads source snapshot {}", id);
        return new SourceSnapshot(source, connection, id);
      }
    } catch (SQLException e) {
      closeQuietly(connection);
      LOG.warn(
          "The source cannot export a snapshot ({}): partitions read the data as of their own"
              + " start, and a table changed during the run fails reconciliation",
          e.getMessage());
      return new SourceSnapshot(source, null, null);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing was written in it.
    }
  }

  static boolean supported(JdbcSource source) {
    return source.url().startsWith("jdbc:postgresql:");
  }

  /** Makes {@code connection}'s next transaction read the snapshot {@code id}. */
  static void adopt(Connection connection, String id) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TRANSACTION SNAPSHOT '" + checked(id) + "'");
    }
  }

  private static String checked(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalStateException("Unexpected snapshot id from the source: " + id);
    }
    return id;
  }

  public JdbcSource source() {
    return source;
  }

  /** The exported snapshot, or null when the source cannot share one. */
  public String id() {
    return id;
  }

  /** A connection inside the snapshot, for the planner; null without a snapshot. */
  Connection connection() {
    return connection;
  }

  /** Ends the transaction; partitions that have not started by then could no longer adopt it. */
  @Override
  public void close() throws SQLException {
    if (connection != null) {
      try {
        connection.rollback();
      } finally {
        connection.close();
      }
    }
  }
}
