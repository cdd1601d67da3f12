package io.lakeroute.databricks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lakehouse Federation: the statements that let Databricks read a warehouse in place (Redshift,
 * Synapse, BigQuery). Passwords and keys are never part of the text: the connection names a
 * Databricks secret ({@code secret('scope', 'key')}) that holds them. Databricks-only, so proven as
 * text (golden tests); the warehouse routes run them through {@link DatabricksClient}.
 */
public final class FederationSql {
  /** The warehouses Databricks federates, with their connection type. */
  public enum Source {
    REDSHIFT("redshift", "5439"),
    SYNAPSE("sqldw", "1433"),
    BIGQUERY("bigquery", null);

    private final String type;
    private final String defaultPort;

    Source(String type, String defaultPort) {
      this.type = type;
      this.defaultPort = defaultPort;
    }

    public String type() {
      return type;
    }
  }

  /** A Databricks secret: scope and key, never the value. */
  public record Secret(String scope, String key) {
    public Secret {
      SqlText.checkIdentifier(scope, "secret scope");
      SqlText.checkIdentifier(key, "secret key");
    }

    String sql() {
      return "secret(" + SqlText.literal(scope) + ", " + SqlText.literal(key) + ")";
    }
  }

  private FederationSql() {}

  /**
   * {@code CREATE CONNECTION IF NOT EXISTS} for a database warehouse (Redshift, Synapse): host,
   * port and user in the clear, the password from a secret.
   */
  public static String createConnection(
      String connection, Source source, String host, Integer port, String user, Secret password) {
    if (source == Source.BIGQUERY) {
      throw new IllegalArgumentException("BigQuery connects with a service-account key");
    }
    Map<String, String> options = new LinkedHashMap<>();
    options.put("host", SqlText.literal(host));
    options.put("port", SqlText.literal(port == null ? source.defaultPort : port.toString()));
    options.put("user", SqlText.literal(user));
    options.put("password", password.sql());
    return create(connection, source, options);
  }

  /** {@code CREATE CONNECTION IF NOT EXISTS … TYPE bigquery}, the key JSON from a secret. */
  public static String createBigQueryConnection(String connection, Secret serviceAccountKey) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("GoogleServiceAccountKeyJson", serviceAccountKey.sql());
    return create(connection, Source.BIGQUERY, options);
  }

  private static String create(String connection, Source source, Map<String, String> options) {
    SqlText.checkIdentifier(connection, "connection name");
    return "CREATE CONNECTION IF NOT EXISTS "
        + SqlText.identifier(connection)
        + " TYPE "
        + source.type()
        + " OPTIONS ("
        + options.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * {@code CREATE FOREIGN CATALOG IF NOT EXISTS}: the warehouse's database (Redshift, Synapse) or
   * project (BigQuery) as a Unity Catalog catalog.
   */
  public static String createForeignCatalog(
      String catalog, String connection, Source source, String databaseOrProject) {
    SqlText.checkIdentifier(catalog, "--databricksCatalog");
    SqlText.checkIdentifier(connection, "connection name");
    String option = source == Source.BIGQUERY ? "dataProjectId" : "database";
    return "CREATE FOREIGN CATALOG IF NOT EXISTS "
        + SqlText.identifier(catalog)
        + " USING CONNECTION "
        + SqlText.identifier(connection)
        + " OPTIONS ("
        + option
        + " "
        + SqlText.literal(databaseOrProject)
        + ")";
  }

  /** Rows Databricks sees in the warehouse table through the foreign catalog. */
  public static String countRows(String catalog, String schema, String table) {
    return "SELECT COUNT(*) FROM " + new DatabricksTable(catalog, schema, table).quoted();
  }
}
