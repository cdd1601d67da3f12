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
      "replace: the table holds exactly this run (one atomic commit); append (delta only): adds"
          + " this run's rows, and a re-run of the same run id replaces them.")
  @Default.String("replace")
  String getDatabricksDisposition();

  void setDatabricksDisposition(String value);

  @Description(
      "databricks: a real workspace (COPY INTO, read_files, s3://); spark: the open-source Spark"
          + " + Delta stand-in, which runs the nearest equivalent statements (s3a://, file:).")
  @Default.String("databricks")
  String getDatabricksDialect();

  void setDatabricksDialect(String value);
}
