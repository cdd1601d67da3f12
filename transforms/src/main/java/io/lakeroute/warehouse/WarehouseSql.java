package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.ValuesCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The statements of one load: a target and the manifest of a run, in a warehouse's {@link
 * WarehouseDialect}. The shape is the same for every warehouse: create the table when missing,
 * check its columns, load exactly the manifest's files into a staging table, read back how many
 * rows the warehouse loaded, then apply the write disposition from the staging table in one
 * transaction, so a rejected load never touches the table. Every table carries {@value
 * #RUN_ID_COLUMN}, so a re-run of the same run id replaces its own rows instead of adding them
 * again.
 */
public final class WarehouseSql {
  /** The column that tells runs apart in the table. */
  public static final String RUN_ID_COLUMN = "_lakeroute_run_id";

  private final WarehouseDialect dialect;
  private final WarehouseTarget target;
  private final Manifest manifest;
  private final String storageCredential;
  private final String softDelete;

  /**
   * @param storageCredential what the warehouse reads the staged files with (see {@link
   *     WarehouseConnection#withStorageCredential}), or null
   * @throws IllegalArgumentException when the warehouse cannot load the run as delivered
   */
  public WarehouseSql(
      WarehouseDialect dialect,
      WarehouseTarget target,
      Manifest manifest,
      String storageCredential) {
    this.dialect = dialect;
    this.target = target;
    this.manifest = manifest;
    this.storageCredential = storageCredential;
    List<String> names = manifest.columns().stream().map(Manifest.Column::name).toList();
    for (String key : target.mergeKeys()) {
      if (names.stream().noneMatch(key::equalsIgnoreCase)) {
        throw new IllegalArgumentException(
            "The merge keys (withMergeKeys) name "
                + key
                + ", which is not a column of the query: "
                + names);
      }
    }
    softDelete =
        target.softDeleteColumn() == null
            ? null
            : manifest.booleanColumn(
                target.softDeleteColumn(), "The soft-delete column (withSoftDeleteColumn)");
    if (names.stream().anyMatch(RUN_ID_COLUMN::equalsIgnoreCase)) {
      throw new IllegalArgumentException(
          "The query has a column named " + RUN_ID_COLUMN + ", which lakeroute adds itself");
    }
    dialect.check(this);
  }

  public WarehouseDialect dialect() {
    return dialect;
  }

  public WarehouseTarget target() {
    return target;
  }

  public Manifest manifest() {
    return manifest;
  }

  String storageCredential() {
    return storageCredential;
  }

  /** The quoted target table, {@code schema.table}. */
  public String table() {
    return dialect.identifier(target.schema()) + "." + dialect.identifier(target.table());
  }

  /** See {@link WarehouseDialect#createTable}. */
  public String createTable() {
    return dialect.createTable(this);
  }

  /** The table's columns and their types, in order; no rows when it does not exist. */
  public String describeColumns() {
    return "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = "
        + dialect.literal(target.schema())
        + " AND TABLE_NAME = "
        + dialect.literal(target.table())
        + " ORDER BY ORDINAL_POSITION";
  }

  /** See {@link WarehouseDialect#addColumn}. */
  public String addColumn(Manifest.Column column) {
    return dialect.addColumn(this, column);
  }

  /** See {@link WarehouseDialect#dropStaging}. */
  public String dropStaging() {
    return dialect.dropStaging(this);
  }

  /** See {@link WarehouseDialect#createStaging}. */
  public String createStaging() {
    return dialect.createStaging(this);
  }

  /** See {@link WarehouseDialect#loadStatement}. */
  public String load() {
    return dialect.loadStatement(this);
  }

  /** See {@link WarehouseDialect#loadedCount}. */
  public Optional<String> loadedCount() {
    return dialect.loadedCount(this);
  }

  /** See {@link WarehouseDialect#apply}. */
  public List<String> apply() {
    return dialect.apply(this);
  }

  /** This run's rows in the table after the load. */
  public String countRun() {
    return "SELECT COUNT(*) FROM " + table() + " WHERE " + runIdEquals();
  }

  /**
   * The check of this run's values in the table: every column of the run as the table holds it,
   * without {@value #RUN_ID_COLUMN}.
   */
  public ValuesCheck values() {
    return ValuesCheck.of(
            dialect.fingerprintSql(),
            manifest.columns().stream()
                .map(c -> FingerprintColumn.inTable(c, manifest.format()))
                .toList())
        .withFiles(ValuesCheck.Files.of(manifest));
  }

  /** This run's rows in the table, as {@link #countRun} counts them. */
  public ValuesCheck.Rows runRows() {
    return new ValuesCheck.Rows(
        dialect.id() + " table " + table() + " (rows of run " + manifest.runId() + ")",
        table(),
        runIdEquals());
  }

  /**
   * The run's rows as the load put them into the staging table, before the disposition; with a
   * soft-delete column, those the merge inserts (the column not true).
   */
  public ValuesCheck.Rows stagedRows() {
    String staging = dialect.stagingTable(this);
    return softDelete == null
        ? new ValuesCheck.Rows("the staging table " + staging, staging, null)
        : new ValuesCheck.Rows(
            "the staging table " + staging + " (rows not deleted by " + softDelete + ")",
            staging,
            notDeleted(dialect.identifier(softDelete)));
  }

  /**
   * The staged rows that delete their key's row and are not inserted (the soft-delete column true);
   * empty without a soft-delete column.
   */
  public Optional<ValuesCheck.Rows> stagedDeletes() {
    String staging = dialect.stagingTable(this);
    return Optional.ofNullable(softDelete)
        .map(
            column ->
                new ValuesCheck.Rows(
                    "the staging table " + staging + " (rows deleting their key by " + column + ")",
                    staging,
                    dialect.isTrue(dialect.identifier(column))));
  }

  /** The count of {@link #stagedDeletes()}. */
  public Optional<String> countDeletes() {
    return stagedDeletes()
        .map(rows -> "SELECT COUNT(*) FROM " + rows.from() + " WHERE " + rows.where());
  }

  /**
   * The condition that {@code column}, the soft-delete column as a statement names it, does not
   * delete the row: NULL or false.
   */
  String notDeleted(String column) {
    return "(" + column + " IS NULL OR NOT (" + dialect.isTrue(column) + "))";
  }

  /** The soft-delete column as the query spells it, if any. */
  Optional<String> softDelete() {
    return Optional.ofNullable(softDelete);
  }

  /** Every statement of the load, in the order the step runs them (columns to add aside). */
  public List<String> statements() {
    List<String> statements = new ArrayList<>();
    statements.add(createTable());
    statements.add(describeColumns());
    statements.add(dropStaging());
    statements.add(createStaging());
    statements.add(load());
    loadedCount().ifPresent(statements::add);
    countDeletes().ifPresent(statements::add);
    statements.addAll(apply());
    statements.add(countRun());
    statements.add(values().query(runRows()));
    statements.add(dropStaging());
    return statements;
  }

  /** The warehouse type of a column of this run. */
  public String columnType(Manifest.Column column) {
    return dialect.columnType(column, manifest.format());
  }

  /** The manifest's column of that name, compared without case. */
  public Manifest.Column column(String name) {
    return manifest.columns().stream()
        .filter(c -> c.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow();
  }

  /** The columns the table must have: name and type family (see {@link #family}). */
  public List<Map.Entry<String, String>> expectedColumns() {
    List<Map.Entry<String, String>> columns = new ArrayList<>();
    for (Manifest.Column column : manifest.columns()) {
      columns.add(Map.entry(column.name(), family(columnType(column))));
    }
    columns.add(Map.entry(RUN_ID_COLUMN, family(dialect.runIdType())));
    return columns;
  }

  /** {@value #RUN_ID_COLUMN} equals this run's id: the condition selecting this run's rows. */
  public String runIdEquals() {
    return dialect.identifier(RUN_ID_COLUMN) + " = " + dialect.literal(manifest.runId());
  }

  /**
   * No rows of the target's columns: a staging table created from it has the table's own types, so
   * the bulk load itself rejects a value the table cannot hold (too long, out of range) with the
   * warehouse's error and line, and the table is never touched.
   */
  String emptySelect() {
    return "SELECT " + columnNames() + " FROM " + table() + " WHERE 1 = 0";
  }

  /** The manifest's columns, quoted, comma-separated. */
  String columnNames() {
    return manifest.columns().stream()
        .map(c -> dialect.identifier(c.name()))
        .collect(Collectors.joining(", "));
  }

  /** {@code name type, …} of the manifest's columns. */
  String columnDefinitions() {
    return manifest.columns().stream()
        .map(c -> dialect.identifier(c.name()) + " " + columnType(c))
        .collect(Collectors.joining(", "));
  }

  /**
   * The family of a type as DDL or INFORMATION_SCHEMA names it, in Redshift, PostgreSQL, T-SQL or
   * H2 spelling: what an existing column must match. Lengths are not compared, so a narrower
   * existing column is kept and the warehouse rejects a value too long for it.
   */
  public static String family(String type) {
    String t = type.toLowerCase(Locale.ROOT).replaceAll("\\(.*\\)", "").strip();
    switch (t) {
      case "smallint":
      case "int2":
        return "smallint";
      case "integer":
      case "int":
      case "int4":
        return "integer";
      case "bigint":
      case "int8":
        return "bigint";
      case "real":
      case "float4":
        return "real";
      case "double precision":
      case "float8":
      case "float":
        return "double";
      case "numeric":
      case "decimal":
        return "decimal";
      case "boolean":
      case "bool":
      case "bit":
        return "boolean";
      case "character varying":
      case "varchar":
      case "nvarchar":
      case "text":
      case "character":
      case "char":
      case "nchar":
      case "bpchar":
        return "text";
      case "varbyte":
      case "binary varying":
      case "varbinary":
      case "bytea":
        return "binary";
      case "date":
        return "date";
      case "timestamp":
      case "timestamp without time zone":
      case "datetime2":
        return "timestamp";
      case "timestamptz":
      case "timestamp with time zone":
      case "datetimeoffset":
        return "timestamptz";
      default:
        return t;
    }
  }
}
