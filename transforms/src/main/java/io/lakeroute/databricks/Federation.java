package io.lakeroute.databricks;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How Databricks reaches a warehouse through Lakehouse Federation: a connection (its name, source
 * type and options, the one secret option read from a Databricks secret, never given in the clear)
 * and a foreign catalog over the warehouse's database or project. One model for every federated
 * warehouse (Redshift, Synapse, BigQuery); {@link FederationSql} generates the statements from it.
 *
 * @param connection the connection's name
 * @param catalog the foreign catalog's name
 * @param type the connection type, e.g. {@code redshift}, {@code sqldw}, {@code bigquery}
 * @param options the connection's options in the clear, in order (host, port, user)
 * @param secretOption the option the secret fills, e.g. {@code password}
 * @param secret the Databricks secret holding that option's value
 * @param catalogOptions the foreign catalog's options, e.g. {@code database}
 */
public record Federation(
    String connection,
    String catalog,
    String type,
    Map<String, String> options,
    String secretOption,
    Secret secret,
    Map<String, String> catalogOptions)
    implements Serializable {

  /** A Databricks secret: scope and key, never the value. */
  public record Secret(String scope, String key) implements Serializable {
    public Secret {
      SqlText.checkIdentifier(scope, "the secret scope");
      SqlText.checkIdentifier(key, "the secret key");
    }

    /** {@code scope/key}, as a user writes a Databricks secret. */
    public static Secret parse(String scopeAndKey) {
      String[] parts = scopeAndKey == null ? new String[0] : scopeAndKey.split("/", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "'"
                + scopeAndKey
                + "' is not a Databricks secret: use <scope>/<key>, the secret that holds the"
                + " credential");
      }
      return new Secret(parts[0], parts[1]);
    }

    String sql() {
      return "secret(" + SqlText.literal(scope) + ", " + SqlText.literal(key) + ")";
    }
  }

  public Federation {
    SqlText.checkIdentifier(connection, "the federation connection name");
    SqlText.checkIdentifier(catalog, "the foreign catalog name");
    if (type == null || secretOption == null || secret == null) {
      throw new IllegalArgumentException("type, secret option and secret are required");
    }
    options = ordered(options);
    catalogOptions = ordered(catalogOptions);
  }

  /**
   * A database warehouse (Redshift, Synapse): host, port and user in the clear, the password from
   * {@code password}, the catalog over {@code database}.
   */
  public static Federation ofDatabase(
      String connection,
      String catalog,
      String type,
      String host,
      String port,
      String user,
      Secret password,
      String database) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("host", host);
    options.put("port", port);
    options.put("user", user);
    return new Federation(
        connection, catalog, type, options, "password", password, Map.of("database", database));
  }

  /**
   * BigQuery: the service-account key JSON from {@code serviceAccountKey}, the catalog over a
   * project.
   */
  public static Federation ofBigQuery(
      String connection, String catalog, String project, Secret serviceAccountKey) {
    return new Federation(
        connection,
        catalog,
        "bigquery",
        Map.of(),
        "GoogleServiceAccountKeyJson",
        serviceAccountKey,
        Map.of("dataProjectId", project));
  }

  /** A table of the warehouse as Databricks names it through the foreign catalog. */
  public DatabricksTable table(String schema, String table) {
    return new DatabricksTable(catalog, schema, table);
  }

  private static Map<String, String> ordered(Map<String, String> options) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(options == null ? Map.of() : options));
  }
}
