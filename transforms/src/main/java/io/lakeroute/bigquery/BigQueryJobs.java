package io.lakeroute.bigquery;

import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The jobs of one BigQuery load, as data and GoogleSQL text (pure, golden-tested): a load job of
 * exactly the manifest's CSV objects into a staging table of the run, then one query job, a
 * multi-statement transaction, that applies the write disposition from the staging table. Every
 * table row carries {@value #RUN_ID_COLUMN}, so a re-run of the same run id replaces its own rows
 * instead of adding them again.
 */
public final class BigQueryJobs {
  /** The column that tells runs apart in the table. */
  public static final String RUN_ID_COLUMN = "_lakeroute_run_id";

  private BigQueryJobs() {}

  /**
   * Fails, naming the setting, when BigQuery cannot read CSV written this way exactly: BigQuery has
   * no escape character (quotes inside values must be doubled), splits on single ISO-8859-1 bytes,
   * and reads a field equal to a custom null marker as NULL even when it is quoted, so only the
   * empty NULL text keeps a text value apart from NULL (an empty text is written quoted).
   */
  public static void checkLoadable(CsvOptions csv) {
    if (csv.escape() != null && csv.escape() != csv.quote()) {
      throw new IllegalArgumentException(
          "BigQuery cannot load CSV with the escape character (CsvOptions.withEscape) "
              + csv.escape()
              + ": it reads only doubled quotes inside quoted values. Leave the escape character"
              + " unset.");
    }
    if (csv.delimiter() > 0xFF || csv.quote() > 0xFF) {
      throw new IllegalArgumentException(
          "BigQuery splits CSV on one ISO-8859-1 character: the delimiter"
              + " (CsvOptions.withDelimiter) and the quote (CsvOptions.withQuote) must be one of"
              + " those");
    }
    if (!csv.nullString().isEmpty()) {
      throw new IllegalArgumentException(
          "BigQuery reads a field equal to the NULL text (CsvOptions.withNullString) '"
              + csv.nullString()
              + "' as NULL even when it is quoted, so a text value equal to it would become NULL."
              + " Keep the NULL text empty (the default): empty texts are then written quoted and"
              + " stay empty.");
    }
  }

  /** The dialect the manifest records, as {@link CsvOptions}. */
  public static CsvOptions csv(Manifest manifest) {
    Manifest.Csv csv = manifest.csv();
    if (!FileFormat.CSV.id().equals(manifest.format()) || csv == null) {
      throw new IllegalArgumentException(
          "the run at " + manifest.location() + " is " + manifest.format() + ", not CSV");
    }
    return CsvOptions.defaults()
        .withHeader(csv.header())
        .withDelimiter(csv.delimiter())
        .withQuote(csv.quote())
        .withEscape(csv.escape())
        .withNullString(csv.nullString())
        .withLineEnding(csv.lineEnding())
        .withQuoteMode(csv.quoteMode());
  }

  /** The table's schema: the run's columns, then {@value #RUN_ID_COLUMN}. */
  public static TableSchema tableSchema(TableSchema run) {
    if (run.getFields().stream().anyMatch(f -> f.getName().equalsIgnoreCase(RUN_ID_COLUMN))) {
      throw new BigQueryException(
          "The query has a column named " + RUN_ID_COLUMN + ", which lakeroute adds itself", null);
    }
    List<TableFieldSchema> fields = new ArrayList<>(run.getFields());
    fields.add(new TableFieldSchema().setName(RUN_ID_COLUMN).setType("STRING").setMode("NULLABLE"));
    return new TableSchema().setFields(fields);
  }

  /**
   * The run's staging table, next to the target: {@code _lakeroute_staging_<table>_<run>_<hash>}.
   * The run id's characters BigQuery does not allow in a name become {@code _}; the hash of the
   * exact run id keeps two run ids that differ only there apart.
   */
  public static TableReference staging(BigQueryTarget target, String runId) {
    String safe = runId.replaceAll("[^A-Za-z0-9_-]", "_");
    return new TableReference()
        .setProjectId(target.project())
        .setDatasetId(target.dataset())
        .setTableId("_lakeroute_staging_" + target.table() + "_" + safe + "_" + sha256(runId, 8));
  }

  /**
   * The load job: exactly the manifest's objects, in the dialect it records, with the run's schema,
   * into the staging table, which it replaces. No bad record is tolerated.
   */
  public static JobConfigurationLoad load(
      Manifest manifest, TableSchema runSchema, TableReference staging) {
    CsvOptions csv = csv(manifest);
    checkLoadable(csv);
    return new JobConfigurationLoad()
        .setSourceUris(manifest.files().stream().map(Manifest.FileEntry::uri).toList())
        .setSourceFormat("CSV")
        .setSchema(runSchema)
        .setDestinationTable(staging)
        .setCreateDisposition("CREATE_NEVER")
        .setWriteDisposition("WRITE_TRUNCATE")
        .setSkipLeadingRows(csv.header() ? 1 : 0)
        .setFieldDelimiter(String.valueOf(csv.delimiter()))
        .setQuote(String.valueOf(csv.quote()))
        .setNullMarker(csv.nullString())
        .setAllowQuotedNewlines(true)
        .setAllowJaggedRows(false)
        .setEncoding("UTF-8")
        .setMaxBadRecords(0);
  }

  /**
   * The transaction that moves the staged rows into the table: the rows the disposition replaces
   * are deleted (append: this run's earlier rows; replace: all; merge: those whose keys match a
   * staged row, NULL keys matching NULL), then the staged rows are inserted with the run id. One
   * script, so readers see the table before or after, never between.
   */
  public static String apply(BigQueryTarget target, Manifest manifest, TableReference staging) {
    String table = table(target);
    String from = table(staging);
    List<String> names = manifest.columns().stream().map(Manifest.Column::name).toList();
    checkMergeKeys(target, names);
    String delete;
    switch (target.disposition()) {
      case APPEND:
        delete =
            "DELETE FROM "
                + table
                + " WHERE "
                + identifier(RUN_ID_COLUMN)
                + " = "
                + literal(manifest.runId());
        break;
      case REPLACE:
        delete = "DELETE FROM " + table + " WHERE TRUE";
        break;
      case MERGE:
        delete =
            "DELETE FROM "
                + table
                + " AS t WHERE EXISTS (SELECT 1 FROM "
                + from
                + " AS s WHERE "
                + target.mergeKeys().stream()
                    .map(k -> "s." + identifier(k) + " IS NOT DISTINCT FROM t." + identifier(k))
                    .collect(Collectors.joining(" AND "))
                + ")";
        break;
      default:
        throw new IllegalStateException("unknown disposition " + target.disposition());
    }
    String columns = names.stream().map(BigQueryJobs::identifier).collect(Collectors.joining(", "));
    return "BEGIN TRANSACTION;\n"
        + delete
        + ";\nINSERT INTO "
        + table
        + " ("
        + columns
        + ", "
        + identifier(RUN_ID_COLUMN)
        + ") SELECT "
        + columns
        + ", "
        + literal(manifest.runId())
        + " FROM "
        + from
        + softDelete(target, manifest)
            .map(c -> " WHERE (" + identifier(c) + " IS NULL OR " + identifier(c) + " = FALSE)")
            .orElse("")
        + ";\nCOMMIT TRANSACTION;";
  }

  /** The target's soft-delete column as the query spells it, if it has one. */
  static Optional<String> softDelete(BigQueryTarget target, Manifest manifest) {
    return Optional.ofNullable(target.softDeleteColumn())
        .map(
            c ->
                manifest.booleanColumn(c, "The soft-delete column (withBigQuerySoftDeleteColumn)"));
  }

  /**
   * The staged rows that delete their key's row and are not inserted (the soft-delete column true);
   * empty without a soft-delete column.
   */
  public static Optional<ValuesCheck.Rows> stagedDeletes(
      BigQueryTarget target, Manifest manifest, TableReference staging) {
    return softDelete(target, manifest)
        .map(c -> staged(staging, "rows deleting their key by " + c, identifier(c) + " IS TRUE"));
  }

  /** Fails, naming the key, unless every merge key is one of the run's columns. */
  public static void checkMergeKeys(BigQueryTarget target, List<String> columns) {
    for (String key : target.mergeKeys()) {
      if (columns.stream().noneMatch(key::equalsIgnoreCase)) {
        throw new BigQueryException(
            "The merge keys (withBigQueryMergeKeys) name "
                + key
                + ", which is not a column of the query: "
                + columns,
            null);
      }
    }
  }

  /** The table's rows, then the run's: {@code SELECT COUNT(*), COUNT(CASE … END) FROM …}. */
  public static String count(BigQueryTarget target, String runId) {
    return "SELECT COUNT(*), COUNT(CASE WHEN "
        + runCondition(runId)
        + " THEN 1 END) FROM "
        + table(target);
  }

  /** The condition selecting the rows of run {@code runId}. */
  public static String runCondition(String runId) {
    return identifier(RUN_ID_COLUMN) + " = " + literal(runId);
  }

  /**
   * The check of the run's values in BigQuery: every column of the run in its BigQuery type (TIME
   * and BYTES are BigQuery's own, as the load job parsed them), without {@value #RUN_ID_COLUMN}.
   */
  public static ValuesCheck values(Manifest manifest) {
    return ValuesCheck.of(
            FingerprintSql.bigQuery(),
            manifest.columns().stream().map(c -> FingerprintColumn.of(c.name(), c.type())).toList())
        .withFiles(ValuesCheck.Files.of(manifest));
  }

  /** The rows of the run in the table, as {@link #count} counts them. */
  public static ValuesCheck.Rows runRows(BigQueryTarget target, String runId) {
    return new ValuesCheck.Rows(
        "BigQuery table " + target.spec() + " (rows of run " + runId + ")",
        table(target),
        runCondition(runId));
  }

  /**
   * The run's rows as the load job put them into the staging table; with a soft-delete column,
   * those the merge inserts.
   */
  public static ValuesCheck.Rows stagedRows(
      BigQueryTarget target, Manifest manifest, TableReference staging) {
    return softDelete(target, manifest)
        .map(c -> staged(staging, "rows not deleted by " + c, identifier(c) + " IS NOT TRUE"))
        .orElse(staged(staging, null, null));
  }

  /**
   * Rows of the staging table, those {@code where} holds (null: all), described by {@code which}.
   */
  private static ValuesCheck.Rows staged(TableReference staging, String which, String where) {
    return new ValuesCheck.Rows(
        "the staging table " + staging.getTableId() + (which == null ? "" : " (" + which + ")"),
        table(staging),
        where);
  }

  /** {@code `project.dataset.table`}. */
  static String table(BigQueryTarget target) {
    return table(target.reference());
  }

  static String table(TableReference table) {
    return identifier(table.getProjectId() + "." + table.getDatasetId() + "." + table.getTableId());
  }

  /** A GoogleSQL quoted identifier: backquotes, with {@code \} and {@code `} escaped. */
  public static String identifier(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /**
   * A GoogleSQL string literal: single quotes, with {@code \}, {@code '} and line breaks escaped.
   */
  public static String literal(String value) {
    return "'"
        + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        + "'";
  }

  private static String sha256(String text, int hexDigits) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, hexDigits);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
