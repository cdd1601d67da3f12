package io.lakeroute.databricks;

import java.io.Serializable;

/** A three-level Databricks table name: catalog, schema, table; each part validated. */
public record DatabricksTable(String catalog, String schema, String table) implements Serializable {
  public DatabricksTable {
    SqlText.checkIdentifier(catalog, "the Databricks catalog (withDatabricksCatalog)");
    SqlText.checkIdentifier(schema, "the Databricks schema (withDatabricksSchema)");
    SqlText.checkIdentifier(table, "the Databricks table (withDatabricksTable)");
  }

  /** {@code `catalog`.`schema`.`table`}. */
  public String quoted() {
    return schemaQuoted() + "." + SqlText.identifier(table);
  }

  /** {@code `catalog`.`schema`}. */
  public String schemaQuoted() {
    return SqlText.identifier(catalog) + "." + SqlText.identifier(schema);
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + table;
  }
}
