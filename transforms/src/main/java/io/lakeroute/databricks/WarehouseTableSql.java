package io.lakeroute.databricks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How Databricks reads a table a warehouse route loaded, in place. On real Databricks: Lakehouse
 * Federation ({@link FederationSql}: a connection whose password is a Databricks secret, a foreign
 * catalog over the warehouse's database) and a view named as the Databricks table over the foreign
 * table, so users query the name they chose. On the open-source stand-in: a Spark {@code USING
 * JDBC} table over the same warehouse table. Either way the step then counts this run's rows.
 */
public final class WarehouseTableSql {
  /** Host, port and database of a warehouse, as its JDBC URL names them. */
  public record Endpoint(String host, Integer port, String database) {
    private static final Pattern URL =
        Pattern.compile("jdbc:(redshift|postgresql|sqlserver)://([^:/;?]+)(?::(\\d+))?(.*)");
    private static final Pattern PATH_DATABASE = Pattern.compile("^/([^/?;]+)");
    private static final Pattern PROPERTY_DATABASE =
        Pattern.compile("(?i);(?:databaseName|database)=([^;]+)");

    /** Reads {@code jdbc:redshift://h:5439/db}, {@code jdbc:sqlserver://h:1433;databaseName=db}. */
    public static Endpoint parse(String jdbcUrl) {
      Matcher url = URL.matcher(jdbcUrl == null ? "" : jdbcUrl);
      if (url.matches()) {
        Integer port = url.group(3) == null ? null : Integer.valueOf(url.group(3));
        Matcher database =
            (url.group(1).equals("sqlserver") ? PROPERTY_DATABASE : PATH_DATABASE)
                .matcher(url.group(4));
        if (database.find()) {
          return new Endpoint(url.group(2), port, database.group(1));
        }
      }
      throw new IllegalArgumentException(
          "Databricks federation needs host and database from the warehouse JDBC URL"
              + " (withJdbcUrl), e.g. jdbc:redshift://host:5439/db or"
              + " jdbc:sqlserver://host:1433;databaseName=db");
    }
  }

  private WarehouseTableSql() {}

  /**
   * Real Databricks: the connection and foreign catalog (created once, kept), then the view.
   *
   * @param warehouseSchema the table's schema in the warehouse
   * @param warehouseTable the table's name in the warehouse
   */
  public static List<String> federated(
      DatabricksTable view, Federation federation, String warehouseSchema, String warehouseTable) {
    List<String> statements = new ArrayList<>(FederationSql.statements(federation));
    statements.add(
        "CREATE OR REPLACE VIEW "
            + view.quoted()
            + " AS SELECT * FROM "
            + federation.table(warehouseSchema, warehouseTable).quoted());
    return statements;
  }

  /**
   * The open-source stand-in: a Spark JDBC table over the warehouse table. The password is part of
   * the statement (Spark has no secrets), so callers must scrub it from every message.
   *
   * @param dbtable the warehouse table as the warehouse quotes it, e.g. {@code "public"."t"}
   */
  public static String jdbcTable(
      DatabricksTable table, String jdbcUrl, String dbtable, String user, String password) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("url", jdbcUrl);
    options.put("dbtable", dbtable);
    if (user != null) {
      options.put("user", user);
    }
    if (password != null) {
      options.put("password", password);
    }
    return "CREATE TABLE IF NOT EXISTS "
        + table.quoted()
        + " USING JDBC OPTIONS "
        + options.entrySet().stream()
            .map(e -> SqlText.literal(e.getKey()) + " " + SqlText.literal(e.getValue()))
            .collect(Collectors.joining(", ", "(", ")"));
  }

  /** This run's rows as Databricks sees them in the warehouse table. */
  public static String countRun(DatabricksTable table, String runIdColumn, String runId) {
    return "SELECT COUNT(*) FROM "
        + table.quoted()
        + " WHERE "
        + SqlText.identifier(runIdColumn)
        + " = "
        + SqlText.literal(runId);
  }
}
