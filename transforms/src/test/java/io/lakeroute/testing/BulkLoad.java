package io.lakeroute.testing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A warehouse's bulk load, executed by a stand-in database's connection (see {@link
 * CopyExecutingDriver}): the statement the warehouse would run, parsed, its files fetched from the
 * local object store, decoded with the statement's options and inserted into the stand-in.
 */
interface BulkLoad extends AutoCloseable {
  /** Whether {@code sql} is this warehouse's bulk load. */
  boolean isLoad(String sql);

  /** Runs the load on {@code connection}; returns the rows loaded. */
  long load(Connection connection, String sql) throws SQLException;

  /** {@code sql} as the stand-in runs it: a query about the last load answered, else unchanged. */
  String query(String sql);

  @Override
  void close();
}
