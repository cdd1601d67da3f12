package io.lakeroute.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * A {@link SqlClient} over one JDBC connection. Every message a driver raises passes through the
 * connection's {@code scrub} before it leaves, so a driver that echoes a password, token or URL
 * secret never leaks it. Credentials are connection properties, never part of the URL.
 */
public final class JdbcClient implements SqlClient {
  private final Connection connection;
  private final UnaryOperator<String> scrub;

  private JdbcClient(Connection connection, UnaryOperator<String> scrub) {
    this.connection = connection;
    this.scrub = scrub;
  }

  /** Connects to {@code url} with {@code properties} (user, password or token). */
  public static JdbcClient connect(String url, Properties properties, UnaryOperator<String> scrub)
      throws SQLException {
    return new JdbcClient(DriverManager.getConnection(url, properties), scrub);
  }

  @Override
  public void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw scrubbed(e);
    }
  }

  @Override
  public List<List<String>> query(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>(columns);
        for (int c = 1; c <= columns; c++) {
          row.add(rs.getString(c));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw scrubbed(e);
    }
  }

  /** Runs the statements in one transaction: all of them take effect, or none. */
  public void inTransaction(List<String> statements) throws SQLException {
    inTransaction(statements, () -> null);
  }

  /** What runs in a transaction after its statements, through this client, before the commit. */
  @FunctionalInterface
  public interface Check<T> {
    T run() throws SQLException;
  }

  /**
   * Runs the statements, then {@code check}, in one transaction: it commits only when {@code check}
   * returns; when anything throws, nothing takes effect.
   */
  public <T> T inTransaction(List<String> statements, Check<T> check) throws SQLException {
    connection.setAutoCommit(false);
    boolean committed = false;
    try {
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
      } catch (SQLException e) {
        throw scrubbed(e);
      }
      T result = check.run();
      connection.commit();
      committed = true;
      return result;
    } finally {
      if (!committed) {
        connection.rollback();
      }
      connection.setAutoCommit(true);
    }
  }

  /**
   * The driver's own API behind the connection, for a load that plain SQL cannot express (e.g.
   * PostgreSQL's {@code CopyManager}).
   */
  public <T> T unwrap(Class<T> driverType) throws SQLException {
    return connection.unwrap(driverType);
  }

  /** {@code e} with its message scrubbed, state and code kept. */
  public SQLException scrubbed(SQLException e) {
    return scrubbed(e, "");
  }

  /** As {@link #scrubbed(SQLException)}, the message after {@code context} (e.g. the file). */
  public SQLException scrubbed(SQLException e, String context) {
    String message = scrub.apply(e.getMessage());
    return new SQLException(
        context.isEmpty() ? message : context + message, e.getSQLState(), e.getErrorCode());
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
