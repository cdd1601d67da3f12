package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Databricks step: the workspace, the credentials and the table the run becomes. */
public interface DatabricksOptions extends PipelineOptions {
  @Description(
      "Databricks table the run becomes, as three parts with --databricksCatalog and"
          + " --databricksSchema. Without it the route ends at the published files.")
  String getDatabricksTable();

  void setDatabricksTable(String value);

  @Description("Unity Catalog catalog of the table (spark_catalog on the open-source stand-in).")
  @Default.String("main")
  String getDatabricksCatalog();

  void setDatabricksCatalog(String value);

  @Description("Schema (database) of the table; it must exist.")
  @Default.String("default")
  String getDatabricksSchema();

  void setDatabricksSchema(String value);

  @Description("Server hostname of the workspace, e.g. dbc-1234.cloud.databricks.com.")
  String getDatabricksHost();

  void setDatabricksHost(String value);

  @Description("HTTP path of the SQL warehouse or cluster, e.g. /sql/1.0/warehouses/abc123.")
  String getDatabricksHttpPath();

  void setDatabricksHttpPath(String value);

  @Description(
      "A full jdbc:databricks:// URL without credentials, instead of --databricksHost and"
          + " --databricksHttpPath.")
  String getDatabricksJdbcUrl();

  void setDatabricksJdbcUrl(String value);

  @Description("Name of the environment variable holding the personal access token.")
  @Default.String("DATABRICKS_TOKEN")
  String getDatabricksTokenEnv();

  void setDatabricksTokenEnv(String value);

  @Description("File holding the personal access token; wins over --databricksTokenEnv.")
  String getDatabricksTokenFile();

  void setDatabricksTokenFile(String value);

  @Description(
      "Client id (application id) of a Databricks service principal: connect with OAuth"
          + " machine-to-machine (its OAuth secret from --databricksClientSecretEnv or"
          + " --databricksClientSecretFile) instead of a personal access token. Default: the"
          + " variable DATABRICKS_CLIENT_ID, when set.")
  String getDatabricksClientId();

  void setDatabricksClientId(String value);

  @Description("Name of the environment variable holding the service principal's OAuth secret.")
  @Default.String("DATABRICKS_CLIENT_SECRET")
  String getDatabricksClientSecretEnv();

  void setDatabricksClientSecretEnv(String value);

  @Description(
      "File holding the service principal's OAuth secret; wins over --databricksClientSecretEnv.")
  String getDatabricksClientSecretFile();

  void setDatabricksClientSecretFile(String value);

  @Description(
      "external: CREATE TABLE … USING <format> LOCATION <run directory> (each run moves it);"
          + " delta: a managed Delta table loaded from exactly the run's files.")
  @Default.String("external")
  String getDatabricksMode();

  void setDatabricksMode(String value);

  @Description(
      "replace: the table holds exactly this run; append (delta only): adds this run's rows, and a"
          + " re-run of the same run id replaces them; merge (delta only): rows whose"
          + " --databricksMergeKeys equal a row of this run (NULL equals NULL) are replaced, the"
          + " others added. Each is one Delta commit.")
  @Default.String("replace")
  String getDatabricksDisposition();

  void setDatabricksDisposition(String value);

  @Description(
      "Comma-separated columns that identify a row, for --databricksDisposition=merge; a run"
          + " holding a key twice fails before anything is merged.")
  String getDatabricksMergeKeys();

  void setDatabricksMergeKeys(String value);

  @Description(
      "How a Delta table is written. insert: INSERT … REPLACE WHERE / INSERT OVERWRITE / MERGE INTO"
          + " from a temporary view over exactly the run's files, one commit, the same statements"
          + " on Databricks and open-source Spark; copy-into (Databricks only, append only): DELETE"
          + " the run's rows, then COPY INTO, two commits.")
  @Default.String("insert")
  String getDatabricksLoad();

  void setDatabricksLoad(String value);

  @Description(
      "databricks: a real workspace (s3://, abfss://); spark: the open-source Spark + Delta"
          + " stand-in (s3a://, file:, wasb:// for Azurite).")
  @Default.String("databricks")
  String getDatabricksDialect();

  void setDatabricksDialect(String value);
}
