package io.lakeroute.databricks;

import java.sql.SQLException;
import java.util.List;

/**
 * The few calls the Databricks step makes, so that the same step runs against a real workspace and
 * the local stand-in. Implementations never put the token in a message.
 */
public interface DatabricksClient extends AutoCloseable {
  /** Runs a statement that returns no rows. */
  void execute(String sql) throws SQLException;

  /** Runs a query; every cell as text (null for NULL). */
  List<List<String>> query(String sql) throws SQLException;

  @Override
  void close() throws SQLException;
}
