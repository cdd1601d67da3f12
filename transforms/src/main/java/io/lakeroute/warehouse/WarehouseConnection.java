package io.lakeroute.warehouse;

import io.lakeroute.databricks.Federation;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.JdbcClient;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How to reach a warehouse over JDBC and how it reads the staged files: the dialect, the URL, the
 * user and password (a connection property, never part of a message or {@link #toString()}), and
 * the storage credential the warehouse itself uses (Redshift: the IAM role's ARN; Synapse: a SAS
 * token, or none for the workspace's managed identity).
 *
 * <pre>{@code
 * WarehouseConnection.of(WarehouseDialect.REDSHIFT)
 *     .withJdbcUrl("jdbc:redshift://cluster:5439/dev")
 *     .withUser("loader")
 *     .withPassword(password)
 *     .withStorageCredential("arn:aws:iam::123456789012:role/redshift-load");
 * }</pre>
 */
public final class WarehouseConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern URL_SECRET = Pattern.compile("(?i)(password|pwd|secret|sig)=[^;&]*");

  private final WarehouseDialect dialect;
  private final String url;
  private final String user;
  private final String password;
  private final String storageCredential;

  private WarehouseConnection(
      WarehouseDialect dialect,
      String url,
      String user,
      String password,
      String storageCredential) {
    this.dialect = dialect;
    this.url = url;
    this.user = user;
    this.password = password;
    this.storageCredential = storageCredential;
  }

  /** A connection in {@code dialect}; {@link #withJdbcUrl} is required. */
  public static WarehouseConnection of(WarehouseDialect dialect) {
    if (dialect == null) {
      throw new IllegalArgumentException("the dialect is required");
    }
    return new WarehouseConnection(dialect, null, null, null, null);
  }

  /** The warehouse's JDBC URL, without the password. */
  public WarehouseConnection withJdbcUrl(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "The warehouse JDBC URL (withJdbcUrl) must be a JDBC URL (jdbc:redshift://…,"
              + " jdbc:sqlserver://…), got "
              + redact(url));
    }
    if (URL_SECRET.matcher(url).find()) {
      throw new IllegalArgumentException(
          "The warehouse JDBC URL (withJdbcUrl) must not hold the password: give it as the"
              + " warehouse password (withPassword)");
    }
    return new WarehouseConnection(dialect, url, user, password, storageCredential);
  }

  public WarehouseConnection withUser(String user) {
    return new WarehouseConnection(dialect, url, user, password, storageCredential);
  }

  public WarehouseConnection withPassword(String password) {
    return new WarehouseConnection(dialect, url, user, password, storageCredential);
  }

  /**
   * What the warehouse reads the staged files with: Redshift, the ARN of an IAM role; Synapse, a
   * SAS token for the container, or null for the workspace's managed identity.
   */
  public WarehouseConnection withStorageCredential(String storageCredential) {
    dialect.checkStorageCredential(storageCredential);
    return new WarehouseConnection(dialect, url, user, password, storageCredential);
  }

  public WarehouseDialect dialect() {
    return dialect;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /**
   * The password, for the one statement that must carry it: the stand-in Databricks' JDBC table
   * over the warehouse (open-source Spark has no secrets).
   */
  String password() {
    return password;
  }

  /** The statements of {@code target} for {@code manifest} in this connection's dialect. */
  public WarehouseSql sql(WarehouseTarget target, Manifest manifest) {
    return new WarehouseSql(dialect, target, manifest, storageCredential);
  }

  /** {@code schema.table} as this warehouse quotes it. */
  public String quotedTable(WarehouseTarget target) {
    return dialect.identifier(target.schema()) + "." + dialect.identifier(target.table());
  }

  /**
   * How Databricks reaches this warehouse through Lakehouse Federation, the foreign catalog named
   * {@code catalog} and the password read from the Databricks secret {@code password}.
   */
  public Federation federation(String catalog, Federation.Secret password) {
    return dialect.federation(catalog, url, user, password);
  }

  /** Connects. */
  public JdbcClient open() throws SQLException {
    if (url == null) {
      throw new IllegalStateException("The warehouse JDBC URL (withJdbcUrl) is required");
    }
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    return JdbcClient.connect(url, properties, this::scrub);
  }

  /** Removes the password and any storage secret from a message. */
  public String scrub(String message) {
    if (message == null) {
      return null;
    }
    String scrubbed = message;
    for (String secret :
        new String[] {password, dialect.storageSecret(storageCredential).orElse(null)}) {
      if (secret != null && !secret.isEmpty()) {
        // As given, and as Spark's (backslash-escaped) and T-SQL's (quotes doubled) literals hold
        // it.
        scrubbed =
            scrubbed
                .replace(secret.replace("\\", "\\\\").replace("'", "\\'"), "***")
                .replace(secret.replace("'", "''"), "***")
                .replace(secret, "***");
      }
    }
    return redact(scrubbed);
  }

  static String redact(String text) {
    return text == null ? "null" : URL_SECRET.matcher(text).replaceAll("$1=***");
  }

  @Override
  public String toString() {
    return "WarehouseConnection{" + dialect.id() + " " + url + "}";
  }
}
