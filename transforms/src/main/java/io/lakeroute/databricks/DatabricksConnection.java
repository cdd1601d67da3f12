package io.lakeroute.databricks;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How to reach a Databricks SQL warehouse or cluster through the Databricks JDBC driver: the URL
 * (server hostname and HTTP path, or a full URL) and a personal access token, passed as a
 * connection property and never as part of the URL, a message or {@link #toString()}.
 */
public final class DatabricksConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String DRIVER = "com.databricks.client.jdbc.Driver";
  private static final Pattern SECRET = Pattern.compile("(?i)(PWD|password|token)=[^;]*");

  private final String url;
  private final String token;

  private DatabricksConnection(String url, String token) {
    this.url = url;
    this.token = token;
  }

  /** A workspace by host name and HTTP path, over TLS on port 443. */
  public static DatabricksConnection of(String host, String httpPath, String token) {
    if (host == null || host.isBlank() || host.contains("/") || host.contains(";")) {
      throw new IllegalArgumentException(
          "--databricksHost must be the server hostname, e.g. dbc-1234.cloud.databricks.com");
    }
    if (httpPath == null || httpPath.isBlank() || httpPath.contains(";")) {
      throw new IllegalArgumentException(
          "--databricksHttpPath is required, e.g. /sql/1.0/warehouses/abc123");
    }
    return withUrl(
        "jdbc:databricks://"
            + host.strip()
            + ":443/default;transportMode=http;ssl=1;AuthMech=3;httpPath="
            + httpPath.strip()
            + ";EnableTelemetry=0",
        token);
  }

  /** A full Databricks JDBC URL (without credentials), e.g. for the local stand-in. */
  public static DatabricksConnection withUrl(String url, String token) {
    if (url == null || !url.startsWith("jdbc:databricks://")) {
      throw new IllegalArgumentException(
          "--databricksJdbcUrl must start with jdbc:databricks://, got " + redact(url));
    }
    if (SECRET.matcher(url).find()) {
      throw new IllegalArgumentException(
          "--databricksJdbcUrl must not hold the token: give it with --databricksTokenEnv or"
              + " --databricksTokenFile");
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "The Databricks token is missing: set the environment variable named by"
              + " --databricksTokenEnv (default DATABRICKS_TOKEN) or give --databricksTokenFile");
    }
    return new DatabricksConnection(url, token);
  }

  /** Opens a client; the driver is the Databricks JDBC driver. */
  public DatabricksClient open() throws SQLException {
    try {
      Class.forName(DRIVER);
    } catch (ClassNotFoundException e) {
      throw new SQLException("The Databricks JDBC driver is not on the classpath", e);
    }
    Properties properties = new Properties();
    properties.setProperty("UID", "token");
    properties.setProperty("PWD", token);
    Connection connection = DriverManager.getConnection(url, properties);
    return new JdbcClient(connection);
  }

  public String url() {
    return url;
  }

  static String redact(String text) {
    return text == null ? "null" : SECRET.matcher(text).replaceAll("$1=***");
  }

  /** Removes the token from a driver message, should a driver ever echo it. */
  public String scrub(String message) {
    return message == null ? null : redact(message.replace(token, "***"));
  }

  @Override
  public String toString() {
    return "DatabricksConnection{" + url + "}";
  }

  private final class JdbcClient implements DatabricksClient {
    private final Connection connection;

    JdbcClient(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void execute(String sql) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new SQLException(scrub(e.getMessage()), e.getSQLState(), e.getErrorCode());
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
        throw new SQLException(scrub(e.getMessage()), e.getSQLState(), e.getErrorCode());
      }
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
