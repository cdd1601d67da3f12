package io.lakeroute.warehouse;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * The few calls the warehouse step makes, so that the same step runs against the real warehouse and
 * its local stand-in: the stand-ins differ only in how the staged files reach the staging table.
 * Implementations never put a password or secret in a message.
 */
public interface WarehouseClient extends AutoCloseable {
  /** Runs a statement that returns no rows. */
  void execute(String sql) throws SQLException;

  /** Runs a query; every cell as text (null for NULL). */
  List<List<String>> query(String sql) throws SQLException;

  /** Runs the statements in one transaction: all of them take effect, or none. */
  void inTransaction(List<String> statements) throws SQLException;

  /**
   * Loads exactly the manifest's files into the staging table and returns the rows the warehouse
   * says it loaded.
   */
  long load(WarehouseSql sql) throws SQLException, IOException;

  @Override
  void close() throws SQLException;
}
