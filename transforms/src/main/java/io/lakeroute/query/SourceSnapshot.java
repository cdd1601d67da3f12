package io.lakeroute.query;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consistent view of the source for a whole run, where the database can share one: the
 * planner's COUNT and every partition's read then see the same rows, so a table written to while
 * the run reads it still reconciles exactly.
 *
 * <p>How depends on the source's {@link SourceDialect.Consistency}. On PostgreSQL ({@code
 * SHARED_SNAPSHOT}) the snapshot of a REPEATABLE READ transaction is exported ({@code
 * pg_export_snapshot()}) and each partition's transaction adopts it ({@code SET TRANSACTION
 * SNAPSHOT}), on any worker of any runner, for as long as this object stays open: the launcher
 * holds it until the pipeline has finished. MariaDB ({@code ONE_READER}) cannot hand a snapshot to
 * another connection: there is no id ({@link #id()} is null), the planner reads the query as one
 * partition, and that partition's reader counts and streams it in one consistent-snapshot
 * transaction. Others ({@code PER_PARTITION}) get no snapshot: each read sees the data as of its
 * own start, and reconciliation catches any change.
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

  private final JdbcSource source;
  private final Connection connection;
  private final String id;

  private SourceSnapshot(JdbcSource source, Connection connection, String id) {
    this.source = source;
    this.connection = connection;
    this.id = id;
  }

  /**
   * Opens the transaction whose snapshot the run shares. A source that cannot share one, and a
   * PostgreSQL that cannot export one (a hot standby), get none: the run goes on without, and says
   * so in the log.
   *
   * @throws SourceException when the source cannot be reached at all
   */
  public static SourceSnapshot export(JdbcSource source) {
    SourceDialect dialect = source.dialect();
    if (dialect.consistency() != SourceDialect.Consistency.SHARED_SNAPSHOT) {
      return new SourceSnapshot(source, null, null);
    }
    Connection connection;
    try {
      connection = source.connect();
    } catch (SQLException e) {
      throw new SourceException(SourceException.describe(e, source.redactedUrl()), e);
    }
    try {
      String id = dialect.exportSnapshot(connection);
      LOG.info("Every partition reads source snapshot {}", id);
      return new SourceSnapshot(source, connection, id);
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
