package io.lakeroute.sql;

import java.sql.SQLException;
import java.util.List;

/**
 * The few calls a step makes on a SQL server (a warehouse, Databricks), so that the same step runs
 * against the real server, its local stand-in, or a test's recording client. Implementations never
 * put a password, token or secret in a message.
 */
public interface SqlClient extends AutoCloseable {
  /** Runs a statement that returns no rows. */
  void execute(String sql) throws SQLException;

  /** Runs a query; every cell as text (null for NULL). */
  List<List<String>> query(String sql) throws SQLException;

  @Override
  void close() throws SQLException;
}
