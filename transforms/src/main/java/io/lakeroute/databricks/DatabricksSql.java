package io.lakeroute.databricks;

import io.lakeroute.databricks.DatabricksTarget.Dialect;
import io.lakeroute.databricks.DatabricksTarget.Disposition;
import io.lakeroute.databricks.DatabricksTarget.Load;
import io.lakeroute.databricks.DatabricksTarget.Mode;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.formats.ValueText;
import io.lakeroute.sql.ColumnTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every statement the Databricks step runs, generated from the manifest as pure text: the same
 * target and manifest always give the same SQL, identifiers quoted, literals escaped.
 *
 * <p>A Delta load is the same statements on Databricks and on open-source Spark 3.5 with Delta 3.3
 * (only the location's scheme differs): the session's Parquet rebase modes, a temporary view over
 * exactly the manifest's files read with the options the manifest records, then one statement that
 * is one Delta commit ({@code INSERT INTO … REPLACE WHERE} the run id, {@code INSERT OVERWRITE}, or
 * {@code MERGE INTO} on the merge keys). {@code COPY INTO}, for those who ask for it, is
 * Databricks-only.
 */
public final class DatabricksSql {
  /** The column that tells apart the runs appended to a Delta table. */
  public static final String RUN_ID_COLUMN = "_lakeroute_run_id";

  /** A Unicode noncharacter: never part of text, so never mistaken for a value. */
  static final String UNUSED_NULL_TEXT = "\uFFFF";

  private final DatabricksTarget target;
  private final Manifest manifest;
  private final String softDelete;

  public DatabricksSql(DatabricksTarget target, Manifest manifest) {
    this.target = target;
    this.manifest = manifest;
    this.softDelete =
        target.softDeleteColumn() == null
            ? null
            : manifest.booleanColumn(
                target.softDeleteColumn(),
                "The soft-delete column (withDatabricksSoftDeleteColumn)");
    if (manifest.format().equals("csv") && manifest.csv() != null) {
      checkCsv(manifest.csv().quoteMode(), manifest.csv().nullString());
    }
    if (isText() && manifest.codec().equals("gzip")) {
      // Spark picks a text file's decompression by its name alone.
      for (Manifest.FileEntry file : manifest.files()) {
        if (!file.name().endsWith(".gz")) {
          throw new IllegalArgumentException(
              "The manifest lists gzip file "
                  + file.name()
                  + " without .gz: Databricks would"
                  + " read it as plain text");
        }
      }
    }
    List<String> names = manifest.columns().stream().map(Manifest.Column::name).toList();
    if (names.stream().anyMatch(RUN_ID_COLUMN::equalsIgnoreCase)) {
      throw new IllegalArgumentException(
          "The query has a column named " + RUN_ID_COLUMN + ", which lakeroute adds itself");
    }
    for (String key : target.mergeKeys()) {
      if (names.stream().noneMatch(key::equalsIgnoreCase)) {
        throw new IllegalArgumentException(
            "The merge keys (withDatabricksMergeKeys) name "
                + key
                + ", which is not a column of the query: "
                + names);
      }
    }
  }

  /**
   * Fails, naming the options, when Databricks cannot read CSV written this way exactly: without
   * quotes, or with a NULL text Spark would also find in a quoted value.
   */
  public static void checkCsv(FormatSpec spec) {
    if (spec.format() == FileFormat.CSV) {
      checkCsv(spec.csv().quoteMode().name().toLowerCase(Locale.ROOT), spec.csv().nullString());
    }
  }

  private static void checkCsv(String quoteMode, String nullString) {
    if (quoteMode.equals("none")) {
      throw new IllegalArgumentException(
          "Databricks reads CSV with quotes: deliver with the CSV quote mode (withQuoteMode)"
              + " minimal or all, not none");
    }
    if (!nullString.isEmpty()) {
      // Spark's CSV reader compares every field with nullValue after removing its quotes, so a
      // text equal to the NULL text would arrive as NULL; only the empty NULL text is unambiguous
      // (an unquoted empty field is NULL, a quoted "" an empty text).
      throw new IllegalArgumentException(
          "Databricks reads every CSV field equal to the NULL text (withNullString) '"
              + nullString
              + "' as NULL, quoted or not, so a text '"
              + nullString
              + "' would become NULL: leave the NULL text (withNullString) empty for the"
              + " Databricks step, or deliver parquet, avro or json (withFormat)");
    }
  }

  /** Fails when the catalog or schema does not exist. */
  public static String describeSchema(DatabricksTable table) {
    return "DESCRIBE SCHEMA " + table.schemaQuoted();
  }

  /** The table, created when missing; an existing table is left as it is. */
  public String createTable() {
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(target.table().quoted())
            .append(" (")
            .append(columnList());
    if (target.mode() == Mode.DELTA) {
      sql.append(", ").append(SqlText.identifier(RUN_ID_COLUMN)).append(" STRING");
      return sql.append(") USING DELTA").toString();
    }
    return sql.append(") USING ")
        .append(provider())
        .append(options(formatOptions()))
        .append(" LOCATION ")
        .append(SqlText.literal(location()))
        .toString();
  }

  /** Lists the table's columns, to check them against the manifest's. */
  public String describeTable() {
    return "DESCRIBE TABLE " + target.table().quoted();
  }

  /** The columns the table must have, in order: name and Databricks type, lower case. */
  public List<Map.Entry<String, String>> expectedColumns() {
    List<Map.Entry<String, String>> columns = new ArrayList<>();
    for (Manifest.Column column : manifest.columns()) {
      columns.add(Map.entry(column.name(), tableType(column).toLowerCase(Locale.ROOT)));
    }
    if (target.mode() == Mode.DELTA) {
      columns.add(Map.entry(RUN_ID_COLUMN, "string"));
    }
    return columns;
  }

  /**
   * The statements that make exactly this run's rows visible, in order. With the merge disposition
   * one of them is {@link #duplicateKeys()}, a query that must return no row.
   */
  public List<String> load() {
    List<String> statements = new ArrayList<>();
    String table = target.table().quoted();
    if (target.mode() == Mode.EXTERNAL) {
      statements.add("ALTER TABLE " + table + " SET LOCATION " + SqlText.literal(location()));
      statements.add("REFRESH TABLE " + table);
      return statements;
    }
    // Spark 3.5 (and Databricks) refuse to write dates before 1582-10-15 and timestamps before
    // 1900 (Delta writes timestamps with a zone as INT96) to Parquet unless told the values are
    // proleptic Gregorian, as the delivered files are: a session setting on both servers.
    statements.add("SET spark.sql.parquet.datetimeRebaseModeInWrite = CORRECTED");
    statements.add("SET spark.sql.parquet.int96RebaseModeInWrite = CORRECTED");
    String runId = SqlText.literal(manifest.runId());
    if (target.load() == Load.COPY_INTO) {
      statements.add(deleteRun(table, runId));
      statements.add(copyInto(table, runId));
      return statements;
    }
    statements.add(runView());
    switch (target.disposition()) {
      case APPEND:
        statements.add(
            "INSERT INTO "
                + table
                + " REPLACE WHERE "
                + SqlText.identifier(RUN_ID_COLUMN)
                + " = "
                + runId
                + " "
                + selectRun(runId, viewName()));
        break;
      case REPLACE:
        statements.add("INSERT OVERWRITE TABLE " + table + " " + selectRun(runId, viewName()));
        break;
      case MERGE:
        statements.add(duplicateKeys());
        statements.add(merge(table, runId));
        break;
    }
    return statements;
  }

  /**
   * With the merge disposition, the first merge key that the run holds more than once, as text, and
   * how often: one row, or none when every key is unique. NULL keys are equal here as in the
   * merge's {@code <=>}.
   */
  public String duplicateKeys() {
    List<String> keys = keyColumns();
    return "SELECT "
        + keys.stream().map(k -> "CAST(" + k + " AS STRING)").collect(Collectors.joining(", "))
        + ", COUNT(*) FROM "
        + viewName()
        + " GROUP BY "
        + String.join(", ", keys)
        + " HAVING COUNT(*) > 1 LIMIT 1";
  }

  /** The merge keys as the query spells them, quoted. */
  private List<String> keyColumns() {
    return target.mergeKeys().stream()
        .map(
            k ->
                manifest.columns().stream()
                    .map(Manifest.Column::name)
                    .filter(k::equalsIgnoreCase)
                    .findFirst()
                    .orElseThrow())
        .map(SqlText::identifier)
        .toList();
  }

  private String merge(String table, String runId) {
    String target = SqlText.identifier("target");
    String source = SqlText.identifier("source");
    return "MERGE INTO "
        + table
        + " AS "
        + target
        + " USING ("
        + selectRun(runId, viewName())
        + ") AS "
        + source
        + " ON "
        + keyColumns().stream()
            .map(k -> target + "." + k + " <=> " + source + "." + k)
            .collect(Collectors.joining(" AND "))
        + (softDelete == null
            ? " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
            : " WHEN MATCHED AND "
                + deletes(source + "." + SqlText.identifier(softDelete))
                + " THEN DELETE WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED AND NOT "
                + deletes(source + "." + SqlText.identifier(softDelete))
                + " THEN INSERT *");
  }

  /** The condition that a soft-delete column deletes its row: true, NULL counting as false. */
  private static String deletes(String column) {
    return "(" + column + " <=> TRUE)";
  }

  /**
   * The run's rows in the files that delete their key's row and are not inserted (the soft-delete
   * column true); empty without a soft-delete column or a view over the files.
   */
  public Optional<ValuesCheck.Rows> filesDeletes() {
    if (softDelete == null || filesRows() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ValuesCheck.Rows(
            "the view " + viewName() + " (rows deleting their key by " + softDelete + ")",
            viewName(),
            deletes(SqlText.identifier(softDelete))));
  }

  /** The count of {@link #filesDeletes()}. */
  public Optional<String> countDeletes() {
    return filesDeletes()
        .map(rows -> "SELECT COUNT(*) FROM " + rows.from() + " WHERE " + rows.where());
  }

  /**
   * Rows visible for this run: the whole table, or the rows this run appended or merged (a merge
   * sets the run id of every row it writes).
   */
  public String countRows() {
    String condition = runCondition();
    return "SELECT COUNT(*) FROM "
        + target.table().quoted()
        + (condition == null ? "" : " WHERE " + condition);
  }

  /** The condition selecting this run's rows in the table; null when the table holds only them. */
  private String runCondition() {
    return target.disposition() == Disposition.REPLACE
        ? null
        : SqlText.identifier(RUN_ID_COLUMN) + " = " + SqlText.literal(manifest.runId());
  }

  /**
   * The check of this run's values in the table: every column of the run as the table holds it,
   * without {@value #RUN_ID_COLUMN}.
   */
  public ValuesCheck values() {
    return ValuesCheck.of(
            FingerprintSql.spark(),
            manifest.columns().stream()
                .map(c -> FingerprintColumn.inTable(c, manifest.format()))
                .toList())
        .withFiles(ValuesCheck.Files.of(manifest));
  }

  /** The rows {@link #countRows} counts. */
  public ValuesCheck.Rows runRows() {
    return new ValuesCheck.Rows(
        "Databricks table "
            + target.table()
            + (runCondition() == null ? "" : " (rows of run " + manifest.runId() + ")"),
        target.table().quoted(),
        runCondition());
  }

  /**
   * The run's rows as Databricks reads them from the files, where the load leaves them in the
   * session (the temporary view an insert into a Delta table reads); null otherwise.
   */
  public ValuesCheck.Rows filesRows() {
    if (target.mode() != Mode.DELTA || target.load() != Load.INSERT) {
      return null;
    }
    return softDelete == null
        ? new ValuesCheck.Rows("the view " + viewName() + " over the files", viewName(), null)
        : new ValuesCheck.Rows(
            "the view " + viewName() + " over the files (rows not deleted by " + softDelete + ")",
            viewName(),
            "NOT " + deletes(SqlText.identifier(softDelete)));
  }

  /**
   * The statement creating the session's view over the files that {@link #filesRows()} reads, when
   * there is one; a temporary view, gone with the session.
   */
  public Optional<String> filesView() {
    return filesRows() == null ? Optional.empty() : Optional.of(runView());
  }

  private String deleteRun(String table, String runId) {
    return "DELETE FROM " + table + " WHERE " + SqlText.identifier(RUN_ID_COLUMN) + " = " + runId;
  }

  private String selectRun(String runId, String from) {
    return "SELECT "
        + manifest.columns().stream()
            .map(c -> SqlText.identifier(c.name()))
            .collect(Collectors.joining(", "))
        + ", "
        + runId
        + " AS "
        + SqlText.identifier(RUN_ID_COLUMN)
        + " FROM "
        + from;
  }

  /** Databricks' COPY INTO over exactly the manifest's files, typed by a SELECT. */
  private String copyInto(String table, String runId) {
    boolean text = isText();
    String select =
        manifest.columns().stream()
                .map(
                    c ->
                        text
                            ? "CAST("
                                + SqlText.identifier(c.name())
                                + " AS "
                                + tableType(c)
                                + ") AS "
                                + SqlText.identifier(c.name())
                            : SqlText.identifier(c.name()))
                .collect(Collectors.joining(", "))
            + ", "
            + runId
            + " AS "
            + SqlText.identifier(RUN_ID_COLUMN);
    Map<String, String> formatOptions = new LinkedHashMap<>(formatOptions());
    if (manifest.format().equals("json")) {
      // Numbers as text, so that decimals reach the cast with every digit.
      formatOptions.put("primitivesAsString", "true");
    }
    return "COPY INTO "
        + table
        + " FROM (SELECT "
        + select
        + " FROM "
        + SqlText.literal(location())
        + ") FILEFORMAT = "
        + provider()
        + " FILES = ("
        + manifest.files().stream()
            .map(f -> SqlText.literal(f.name()))
            .collect(Collectors.joining(", "))
        + ")"
        + (formatOptions.isEmpty() ? "" : " FORMAT_OPTIONS " + pairs(formatOptions, " = "))
        + " COPY_OPTIONS ('force' = 'true', 'mergeSchema' = 'false')";
  }

  /**
   * A temporary view over exactly the manifest's files (the run directory, filtered to their names;
   * Spark's SQL data sources take one path), typed by the manifest's schema.
   */
  private String runView() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("path", location());
    options.put("pathGlobFilter", fileNamePattern());
    options.putAll(formatOptions());
    return "CREATE OR REPLACE TEMPORARY VIEW "
        + viewName()
        + " ("
        + columnList()
        + ") USING "
        + provider()
        + options(options);
  }

  /** A glob matching exactly the manifest's file names. */
  private String fileNamePattern() {
    return manifest.files().stream()
        .map(Manifest.FileEntry::name)
        .collect(Collectors.joining(",", "{", "}"));
  }

  private String viewName() {
    return SqlText.identifier("lakeroute_run_" + manifest.runId().replaceAll("[^A-Za-z0-9_]", "_"));
  }

  private String columnList() {
    return manifest.columns().stream()
        .map(c -> SqlText.identifier(c.name()) + " " + tableType(c))
        .collect(Collectors.joining(", "));
  }

  private boolean isText() {
    return manifest.format().equals("csv") || manifest.format().equals("json");
  }

  private String provider() {
    return manifest.format().toUpperCase(Locale.ROOT);
  }

  /** Spark's types; text for time, which every format carries as text. */
  private static final ColumnTypes TYPES =
      ColumnTypes.standard("STRING")
          .with("int32", "INT")
          .with("float", "FLOAT")
          .with("double", "DOUBLE")
          .with("bytes", "BINARY")
          .with("time", "STRING")
          .with("timestamp", "TIMESTAMP_NTZ")
          .with("timestamp_tz", "TIMESTAMP");

  /**
   * The Databricks type of a column as the files of this format hold it. Spark does not decode the
   * base64 text CSV and JSON carry binary as, so that stays a string.
   */
  String tableType(Manifest.Column column) {
    if (column.type().equals("int16") && manifest.format().equals("avro")) {
      // Avro has no 16-bit integer; its files hold an int.
      return "INT";
    }
    return TYPES.of(column, manifest.format());
  }

  /** Reader options matching exactly what was written. */
  Map<String, String> formatOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    switch (manifest.format()) {
      case "parquet":
        // The files are proleptic Gregorian, not written by a legacy Spark.
        options.put("datetimeRebaseMode", "CORRECTED");
        options.put("int96RebaseMode", "CORRECTED");
        break;
      case "avro":
        options.put("datetimeRebaseMode", "CORRECTED");
        break;
      case "csv":
        Manifest.Csv csv = manifest.csv();
        options.put("header", String.valueOf(csv.header()));
        options.put("sep", csv.delimiter());
        options.put("quote", csv.quote());
        options.put("escape", csv.escape() == null ? csv.quote() : csv.escape());
        // Spark reads both an unquoted empty field and a quoted "" as nullValue when it is empty;
        // a text no value holds keeps "" an empty string and leaves empty fields NULL.
        options.put("nullValue", csv.nullString().isEmpty() ? UNUSED_NULL_TEXT : csv.nullString());
        options.put("multiLine", "true");
        options.put("mode", "FAILFAST");
        options.put("encoding", "UTF-8");
        textTimeOptions(options);
        break;
      case "json":
        options.put("mode", "FAILFAST");
        options.put("encoding", "UTF-8");
        textTimeOptions(options);
        break;
      default:
        throw new IllegalArgumentException("Databricks cannot read format " + manifest.format());
    }
    return options;
  }

  private static void textTimeOptions(Map<String, String> options) {
    options.put("dateFormat", ValueText.DATE_PATTERN);
    options.put("timestampFormat", ValueText.TIMESTAMP_TZ_PATTERN);
    options.put("timestampNTZFormat", ValueText.TIMESTAMP_PATTERN);
  }

  private static String options(Map<String, String> options) {
    return options.isEmpty() ? "" : " OPTIONS " + pairs(options, " ");
  }

  private static String pairs(Map<String, String> options, String separator) {
    return options.entrySet().stream()
        .map(e -> SqlText.literal(e.getKey()) + separator + SqlText.literal(e.getValue()))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  /** The run directory as the server reads it. */
  String location() {
    return locationOf(manifest.location());
  }

  /**
   * Databricks reads {@code s3://} and {@code abfss://}; the open-source stand-in reads S3 through
   * hadoop-aws as {@code s3a://}, and local paths as {@code file:}. Beam's {@code
   * azfs://account/container/path} has no counterpart on a cluster: Databricks reads Azure Blob
   * Storage through ABFS (the DFS endpoint, which also serves accounts without a hierarchical
   * namespace), {@code abfss://container@account.dfs.core.windows.net/path}. Open-source Spark
   * reads the same form with hadoop-azure, except Azurite's account, which only hadoop-azure's WASB
   * storage-emulator mode reaches ({@code wasb://container@devstoreaccount1/path}).
   */
  String locationOf(String uri) {
    if (uri.startsWith("azfs://")) {
      return azureLocation(uri, target.dialect());
    }
    if (target.dialect() == Dialect.SPARK) {
      if (uri.startsWith("s3://")) {
        return "s3a://" + uri.substring("s3://".length());
      }
      if (uri.startsWith("/")) {
        return "file:" + uri;
      }
      return uri;
    }
    if (uri.startsWith("/") || uri.startsWith("file:")) {
      throw new IllegalArgumentException(
          "Databricks cannot read the local destination "
              + uri
              + ": deliver to cloud storage (s3://…) for the Databricks step");
    }
    return uri;
  }

  /** Azurite's one account, which hadoop-azure's emulator mode maps to 127.0.0.1:10000. */
  static final String AZURITE_ACCOUNT = "devstoreaccount1";

  private static String azureLocation(String uri, Dialect dialect) {
    String[] parts = uri.substring("azfs://".length()).split("/", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          uri + " names no container: expected azfs://<account>/<container>/<path>");
    }
    String account = parts[0];
    String container = parts[1];
    String path = parts.length > 2 ? parts[2] : "";
    if (dialect == Dialect.SPARK && account.equals(AZURITE_ACCOUNT)) {
      return "wasb://" + container + "@" + account + "/" + path;
    }
    return "abfss://" + container + "@" + account + ".dfs.core.windows.net/" + path;
  }
}
