package io.lakeroute.databricks;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lakehouse Federation: the statements that let Databricks read a warehouse in place, generated
 * from a {@link Federation}. Passwords and keys are never part of the text: the connection names a
 * Databricks secret ({@code secret('scope', 'key')}) that holds them. Databricks-only, so proven as
 * text (golden tests); the warehouse and BigQuery routes run them through a {@code SqlClient}.
 */
public final class FederationSql {
  private FederationSql() {}

  /** The connection and the foreign catalog, each created once and kept. */
  public static List<String> statements(Federation federation) {
    return List.of(createConnection(federation), createForeignCatalog(federation));
  }

  /**
   * {@code CREATE CONNECTION IF NOT EXISTS}: the options in the clear, then the secret one from the
   * Databricks secret.
   */
  public static String createConnection(Federation federation) {
    return "CREATE CONNECTION IF NOT EXISTS "
        + SqlText.identifier(federation.connection())
        + " TYPE "
        + federation.type()
        + " OPTIONS ("
        + Stream.concat(
                federation.options().entrySet().stream()
                    .map(e -> e.getKey() + " " + SqlText.literal(e.getValue())),
                Stream.of(federation.secretOption() + " " + federation.secret().sql()))
            .collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * {@code CREATE FOREIGN CATALOG IF NOT EXISTS}: the warehouse's database (Redshift, Synapse) or
   * project (BigQuery) as a Unity Catalog catalog.
   */
  public static String createForeignCatalog(Federation federation) {
    return "CREATE FOREIGN CATALOG IF NOT EXISTS "
        + SqlText.identifier(federation.catalog())
        + " USING CONNECTION "
        + SqlText.identifier(federation.connection())
        + " OPTIONS ("
        + federation.catalogOptions().entrySet().stream()
            .map(e -> e.getKey() + " " + SqlText.literal(e.getValue()))
            .collect(Collectors.joining(", "))
        + ")";
  }

  /** Rows Databricks sees in a warehouse table through the foreign catalog. */
  public static String countRows(Federation federation, String schema, String table) {
    return "SELECT COUNT(*) FROM " + federation.table(schema, table).quoted();
  }
}
