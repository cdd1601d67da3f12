package io.lakeroute.databricks;

import io.lakeroute.sql.JdbcClient;
import io.lakeroute.sql.SqlClient;
import java.io.Serializable;
import java.sql.SQLException;
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
          "The Databricks host (withHost) must be the server hostname, e.g."
              + " dbc-1234.cloud.databricks.com");
    }
    if (httpPath == null || httpPath.isBlank() || httpPath.contains(";")) {
      throw new IllegalArgumentException(
          "The Databricks HTTP path (withHttpPath) is required, e.g."
              + " /sql/1.0/warehouses/abc123");
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
          "The Databricks JDBC URL (withUrl) must start with jdbc:databricks://, got "
              + redact(url));
    }
    if (SECRET.matcher(url).find()) {
      throw new IllegalArgumentException(
          "The Databricks JDBC URL (withUrl) must not hold the token: give it as the Databricks"
              + " token (withToken)");
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "The Databricks token (withToken) is missing: give a personal access token");
    }
    return new DatabricksConnection(url, token);
  }

  /** Opens a client; the driver is the Databricks JDBC driver. */
  public SqlClient open() throws SQLException {
    try {
      Class.forName(DRIVER);
    } catch (ClassNotFoundException e) {
      throw new SQLException("The Databricks JDBC driver is not on the classpath", e);
    }
    Properties properties = new Properties();
    properties.setProperty("UID", "token");
    properties.setProperty("PWD", token);
    return JdbcClient.connect(url, properties, this::scrub);
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
}
