package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the rows come from: a JDBC source and a query. */
public interface SourceOptions extends PipelineOptions {
  @Description(
      "JDBC URL of the source, e.g. jdbc:postgresql://host:5432/db or"
          + " jdbc:mariadb://host:3306/db (MariaDB and MySQL; read by one consistent reader, see"
          + " docs/sources.md). Without it, the demo runs on an embedded H2 database seeded with a"
          + " 100 000-row customer table.")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("JDBC driver class; found from --jdbcUrl when not given.")
  String getJdbcDriver();

  void setJdbcDriver(String value);

  @Description("User name for the source.")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description("Name of the environment variable that holds the source password.")
  @Default.String("LAKEROUTE_JDBC_PASSWORD")
  String getJdbcPasswordEnv();

  void setJdbcPasswordEnv(String value);

  @Description(
      "File whose content (trailing newline ignored) is the source password; wins over"
          + " --jdbcPasswordEnv. There is deliberately no flag for the password itself.")
  String getJdbcPasswordFile();

  void setJdbcPasswordFile(String value);

  @Description("The SQL query whose result is delivered. Give this or --queryFile.")
  String getQuery();

  void setQuery(String value);

  @Description("A .sql file holding the query (local path). Give this or --query.")
  String getQueryFile();

  void setQueryFile(String value);

  @Description(
      "Rows fetched per round trip, 1 to 100,000; the driver streams the result in batches this"
          + " size.")
  @Default.Integer(10_000)
  int getFetchSize();

  void setFetchSize(int value);

  @Description(
      "MariaDB/MySQL zero dates (0000-00-00, or a zero month or day) in DATE, DATETIME and"
          + " TIMESTAMP columns, which no file format or warehouse holds: refuse (fail the read"
          + " naming the column and the value) or null (read them as NULL).")
  @Default.String("refuse")
  String getMariaDbZeroDate();

  void setMariaDbZeroDate(String value);

  @Description(
      "Integer, date or timestamp column to split the read on: ranges of about equal row"
          + " counts, read in parallel, one file each. Without it the query is read in one pass.")
  String getPartitionColumn();

  void setPartitionColumn(String value);

  @Description(
      "Number of partitions with --partitionColumn (0: one per 500 000 rows up to one per"
          + " worker, the Direct runner's threads or a local Spark's cores; beyond, one per worker"
          + " or a multiple, up to 5 000 000 rows each; on a cluster one per 500 000 rows; at"
          + " least as many as --maxRowsPerFile needs).")
  @Default.Integer(0)
  int getPartitions();

  void setPartitions(int value);

  @Description("Most rows in one file (0: no limit); needs --partitionColumn for larger results.")
  @Default.Long(0)
  long getMaxRowsPerFile();

  void setMaxRowsPerFile(long value);

  @Description(
      "Incremental reads: an integer, date or timestamp column that grows with every new or"
          + " changed row. A run reads the rows past the high-water mark in the last published"
          + " run's manifest at --destination, and records its own (docs/incremental.md).")
  String getCursorColumn();

  void setCursorColumn(String value);

  @Description(
      "With --cursorColumn: re-read rows this far below the high-water mark, for rows that"
          + " arrive late; an integer for an integer cursor, an ISO-8601 duration (PT2H, P1D) for"
          + " a date or timestamp. Needs merge keys wherever the run loads a table.")
  String getCursorLag();

  void setCursorLag(String value);

  @Description(
      "With --cursorColumn: read every row, ignoring the high-water marks published before; the"
          + " run records the new mark.")
  @Default.Boolean(false)
  boolean getFullRefresh();

  void setFullRefresh(boolean value);

  @Description(
      "A boolean column of the query, true for a row deleted at the source: every merge of the"
          + " run (--warehouseDisposition, --bigQueryDisposition or --databricksDisposition=merge)"
          + " deletes the row of that key and inserts none (docs/incremental.md).")
  String getSoftDeleteColumn();

  void setSoftDeleteColumn(String value);
}
