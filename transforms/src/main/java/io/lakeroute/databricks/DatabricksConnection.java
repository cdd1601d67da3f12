package io.lakeroute.databricks;

import io.lakeroute.sql.JdbcClient;
import io.lakeroute.sql.SqlClient;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How to reach a Databricks SQL warehouse or cluster through the Databricks JDBC driver: the URL
 * (server hostname and HTTP path, or a full URL) and the credentials, passed as connection
 * properties and never as part of the URL, a message or {@link #toString()}. Credentials are a
 * personal access token ({@code AuthMech=3}), or a service principal's client id and OAuth secret,
 * which the driver exchanges for short-lived tokens at the workspace's token endpoint (OAuth
 * machine-to-machine: {@code AuthMech=11;Auth_Flow=1}).
 *
 * <pre>{@code
 * DatabricksConnection.of(host, httpPath, token);
 * DatabricksConnection.of(host, httpPath, token).withServicePrincipal(clientId, secret);
 * }</pre>
 */
public final class DatabricksConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String DRIVER = "com.databricks.client.jdbc.Driver";
  private static final Pattern SECRET =
      Pattern.compile("(?i)(PWD|password|token|OAuth2Secret|Auth_AccessToken)=[^;]*");

  /** The URL's authentication mechanism and flow, replaced by the credentials' own. */
  private static final Pattern AUTH = Pattern.compile("(?i);(AuthMech|Auth_Flow)=[^;]*");

  private final String url;

  /** The personal access token, or the service principal's OAuth secret. */
  private final String secret;

  /** The service principal's client id; null with a personal access token. */
  private final String clientId;

  private DatabricksConnection(String url, String secret, String clientId) {
    this.url = url;
    this.secret = secret;
    this.clientId = clientId;
  }

  /** A workspace by host name and HTTP path, over TLS on port 443, with a personal access token. */
  public static DatabricksConnection of(String host, String httpPath, String token) {
    return at(host, httpPath).withToken(token);
  }

  /** A full Databricks JDBC URL (without credentials) with a personal access token. */
  public static DatabricksConnection withUrl(String url, String token) {
    return atUrl(url).withToken(token);
  }

  /**
   * A workspace by host name and HTTP path, over TLS on port 443; credentials follow with {@link
   * #withToken} or {@link #withServicePrincipal}.
   */
  public static DatabricksConnection at(String host, String httpPath) {
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
    return atUrl(
        "jdbc:databricks://"
            + host.strip()
            + ":443/default;transportMode=http;ssl=1;AuthMech=3;httpPath="
            + httpPath.strip()
            + ";EnableTelemetry=0");
  }

  /**
   * A full Databricks JDBC URL without credentials, e.g. for the local stand-in; credentials follow
   * with {@link #withToken} or {@link #withServicePrincipal}.
   */
  public static DatabricksConnection atUrl(String url) {
    if (url == null || !url.startsWith("jdbc:databricks://")) {
      throw new IllegalArgumentException(
          "The Databricks JDBC URL (withUrl) must start with jdbc:databricks://, got "
              + redact(url));
    }
    if (SECRET.matcher(url).find()) {
      throw new IllegalArgumentException(
          "The Databricks JDBC URL (withUrl) must not hold a token or secret: give the Databricks"
              + " token (withToken) or the service principal's secret (withClientSecret)");
    }
    return new DatabricksConnection(url, null, null);
  }

  /** This workspace with a personal access token (the URL's {@code AuthMech=3}). */
  public DatabricksConnection withToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "The Databricks token (withToken) is missing: give a personal access token, or a"
              + " service principal (withClientId, withClientSecret)");
    }
    return new DatabricksConnection(url, token, null);
  }

  /**
   * This workspace reached as service principal {@code clientId} with its OAuth {@code secret}
   * (OAuth machine-to-machine: the driver trades them for short-lived tokens) instead of a personal
   * access token.
   */
  public DatabricksConnection withServicePrincipal(String clientId, String secret) {
    if (clientId == null || clientId.isBlank() || clientId.contains(";")) {
      throw new IllegalArgumentException(
          "The service principal's client id (withClientId) is missing or holds ';': give its"
              + " application id, e.g. 7f3c2a9e-…");
    }
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(
          "The OAuth secret of service principal "
              + clientId
              + " (withClientSecret) is missing: give the secret created for it in the account"
              + " console");
    }
    String oauthUrl = AUTH.matcher(url).replaceAll("") + ";AuthMech=11;Auth_Flow=1";
    return new DatabricksConnection(oauthUrl, secret, clientId.strip());
  }

  /**
   * Who connects, for messages: the service principal's client id, or "a personal access token".
   */
  public String principal() {
    return clientId == null
        ? "a personal access token"
        : "service principal " + clientId + " (OAuth machine-to-machine)";
  }

  /** Opens a client; the driver is the Databricks JDBC driver. */
  public SqlClient open() throws SQLException {
    if (secret == null) {
      throw new IllegalStateException(
          "The Databricks connection has no credentials: give a token (withToken) or a service"
              + " principal (withClientId, withClientSecret)");
    }
    try {
      Class.forName(DRIVER);
    } catch (ClassNotFoundException e) {
      throw new SQLException("The Databricks JDBC driver is not on the classpath", e);
    }
    Properties properties = new Properties();
    if (clientId == null) {
      properties.setProperty("UID", "token");
      properties.setProperty("PWD", secret);
    } else {
      properties.setProperty("OAuth2ClientId", clientId);
      properties.setProperty("OAuth2Secret", secret);
    }
    try {
      return JdbcClient.connect(url, properties, this::scrub);
    } catch (SQLException e) {
      if (clientId == null) {
        throw e;
      }
      // The driver's message says the token could not be had, not for whom.
      throw new SQLException(
          "Databricks did not let "
              + principal()
              + " in: "
              + scrub(e.getMessage())
              + ". Check the client id (withClientId) and its OAuth secret (withClientSecret).",
          e.getSQLState(),
          e);
    }
  }

  public String url() {
    return url;
  }

  static String redact(String text) {
    return text == null ? "null" : SECRET.matcher(text).replaceAll("$1=***");
  }

  /** Removes the token or OAuth secret from a driver message, should a driver ever echo it. */
  public String scrub(String message) {
    return message == null
        ? null
        : redact((secret == null ? message : message.replace(secret, "***")));
  }

  @Override
  public String toString() {
    return "DatabricksConnection{" + url + "}";
  }
}
