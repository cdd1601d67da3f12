package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The warehouse table of routes redshift and synapse: how to reach the warehouse, the table and the
 * write disposition. The warehouse's own storage credential is in {@link RedshiftOptions} and
 * {@link SynapseOptions}.
 */
public interface WarehouseOptions extends PipelineOptions {
  @Description(
      "JDBC URL of the warehouse, without the password: jdbc:redshift://…:5439/db (or"
          + " jdbc:postgresql://…), jdbc:sqlserver://…;databaseName=db.")
  String getWarehouseJdbcUrl();

  void setWarehouseJdbcUrl(String value);

  @Description("Warehouse user.")
  String getWarehouseUser();

  void setWarehouseUser(String value);

  @Description("Name of the environment variable holding the warehouse password.")
  @Default.String("LAKEROUTE_WAREHOUSE_PASSWORD")
  String getWarehousePasswordEnv();

  void setWarehousePasswordEnv(String value);

  @Description("File holding the warehouse password; wins over --warehousePasswordEnv.")
  String getWarehousePasswordFile();

  void setWarehousePasswordFile(String value);

  @Description("Schema of the warehouse table; it must exist (default: public, or dbo on Synapse).")
  String getWarehouseSchema();

  void setWarehouseSchema(String value);

  @Description(
      "Warehouse table the run is loaded into; created from the query's schema if missing.")
  String getWarehouseTable();

  void setWarehouseTable(String value);

  @Description(
      "append: adds the run's rows (a re-run of the run id replaces them); replace: the table holds"
          + " exactly this run; merge: rows matching --warehouseMergeKeys are replaced. Each is one"
          + " transaction.")
  @Default.String("append")
  String getWarehouseDisposition();

  void setWarehouseDisposition(String value);

  @Description(
      "Add the run's columns an existing table lacks (ALTER TABLE … ADD; earlier rows hold NULL)."
          + " Without it such a table fails the load, naming the columns.")
  @Default.Boolean(false)
  boolean getWarehouseAddColumns();

  void setWarehouseAddColumns(boolean value);

  @Description("Comma-separated key columns of --warehouseDisposition=merge.")
  String getWarehouseMergeKeys();

  void setWarehouseMergeKeys(String value);

  @Description(
      "The warehouse's SQL: redshift or synapse (the default of the route), or the stand-ins"
          + " the tests use, postgres (for redshift) and h2 (for synapse): the warehouse's"
          + " statements, bulk load included, with only the DDL their servers lack replaced.")
  String getWarehouseDialect();

  void setWarehouseDialect(String value);

  @Description(
      "With --databricksTable on real Databricks: the Databricks secret holding the warehouse"
          + " password, as <scope>/<key>, for the Lakehouse Federation connection.")
  String getWarehouseDatabricksSecret();

  void setWarehouseDatabricksSecret(String value);

  @Description(
      "With --databricksTable on real Databricks: the foreign catalog created over the"
          + " warehouse's database (default lakeroute_<route>).")
  String getWarehouseForeignCatalog();

  void setWarehouseForeignCatalog(String value);
}
