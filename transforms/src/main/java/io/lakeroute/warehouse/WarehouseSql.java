package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The statements a warehouse load runs, generated from the target and the manifest as pure text:
 * the same inputs always give the same SQL, identifiers quoted, literals escaped. The shape is the
 * same for every warehouse: create the table when missing, check its columns, load exactly the
 * manifest's files into a staging table, read back how many rows the warehouse loaded, then apply
 * the write disposition from the staging table in one transaction, so a rejected load never touches
 * the table. Every table carries {@value #RUN_ID_COLUMN}, so a re-run of the same run id replaces
 * its own rows instead of adding them again.
 */
public abstract class WarehouseSql {
  /** The column that tells runs apart in the table. */
  public static final String RUN_ID_COLUMN = "_lakeroute_run_id";

  protected final WarehouseTarget target;
  protected final Manifest manifest;

  protected WarehouseSql(WarehouseTarget target, Manifest manifest) {
    this.target = target;
    this.manifest = manifest;
    List<String> names = manifest.columns().stream().map(Manifest.Column::name).toList();
    for (String key : target.mergeKeys()) {
      if (names.stream().noneMatch(key::equalsIgnoreCase)) {
        throw new IllegalArgumentException(
            "--warehouseMergeKeys names " + key + ", which is not a column of the query: " + names);
      }
    }
    if (names.stream().anyMatch(RUN_ID_COLUMN::equalsIgnoreCase)) {
      throw new IllegalArgumentException(
          "The query has a column named " + RUN_ID_COLUMN + ", which lakeroute adds itself");
    }
  }

  /** A quoted identifier. */
  protected abstract String identifier(String name);

  /** A quoted string literal. */
  protected abstract String literal(String text);

  /** The warehouse type of a column, as this run's files hold it. */
  public abstract String columnType(Manifest.Column column);

  /** The type of {@value #RUN_ID_COLUMN}. */
  protected abstract String runIdType();

  /** The table, created from the manifest's schema when missing; an existing one is kept. */
  public abstract String createTable();

  /** Drops the staging table left by an earlier attempt, if any. */
  public abstract String dropStaging();

  /**
   * An empty staging table with the manifest's columns, typed as the target's (see {@link
   * #emptySelect()}).
   */
  public abstract String createStaging();

  /** The warehouse's own bulk load of exactly the manifest's files into the staging table. */
  public abstract String load();

  /** One row, one column: the rows the load just put into the staging table. */
  public abstract String loadedCount();

  /** The quoted staging table. */
  public abstract String stagingTable();

  /** The quoted target table, {@code schema.table}. */
  public String table() {
    return identifier(target.schema()) + "." + identifier(target.table());
  }

  /** Adds a column of the run that an existing table lacks; earlier rows hold NULL in it. */
  public String addColumn(Manifest.Column column) {
    return "ALTER TABLE "
        + table()
        + " "
        + addColumnKeyword()
        + " "
        + identifier(column.name())
        + " "
        + columnType(column);
  }

  /** {@code ADD COLUMN} (Redshift) or {@code ADD} (T-SQL). */
  protected abstract String addColumnKeyword();

  /** The manifest's column of that name, compared without case. */
  public Manifest.Column column(String name) {
    return manifest.columns().stream()
        .filter(c -> c.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow();
  }

  /** The table's columns and their types, in order; no rows when it does not exist. */
  public String describeColumns() {
    return "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = "
        + literal(target.schema())
        + " AND TABLE_NAME = "
        + literal(target.table())
        + " ORDER BY ORDINAL_POSITION";
  }

  /** The columns the table must have: name and type family (see {@link #family}). */
  public List<Map.Entry<String, String>> expectedColumns() {
    List<Map.Entry<String, String>> columns = new ArrayList<>();
    for (Manifest.Column column : manifest.columns()) {
      columns.add(Map.entry(column.name(), family(columnType(column))));
    }
    columns.add(Map.entry(RUN_ID_COLUMN, family(runIdType())));
    return columns;
  }

  /**
   * The statements that apply the disposition from the staging table, run in one transaction: a
   * failure leaves the table as it was.
   */
  public List<String> apply() {
    List<String> statements = new ArrayList<>();
    String table = table();
    switch (target.disposition()) {
      case APPEND:
        statements.add("DELETE FROM " + table + " WHERE " + runIdEquals());
        break;
      case REPLACE:
        statements.add("DELETE FROM " + table);
        break;
      case MERGE:
        statements.add(
            "DELETE FROM "
                + table
                + " WHERE EXISTS (SELECT 1 FROM "
                + stagingTable()
                + " AS s WHERE "
                + target.mergeKeys().stream()
                    .map(k -> "s." + identifier(k) + " = " + table + "." + identifier(k))
                    .collect(Collectors.joining(" AND "))
                + ")");
        break;
    }
    statements.add(
        "INSERT INTO "
            + table
            + " ("
            + columnNames()
            + ", "
            + identifier(RUN_ID_COLUMN)
            + ") SELECT "
            + columnNames()
            + ", "
            + literal(manifest.runId())
            + " FROM "
            + stagingTable());
    return statements;
  }

  /** This run's rows in the table after the load. */
  public String countRun() {
    return "SELECT COUNT(*) FROM " + table() + " WHERE " + runIdEquals();
  }

  private String runIdEquals() {
    return identifier(RUN_ID_COLUMN) + " = " + literal(manifest.runId());
  }

  /**
   * No rows of the target's columns: a staging table created from it has the table's own types, so
   * the bulk load itself rejects a value the table cannot hold (too long, out of range) with the
   * warehouse's error and line, and the table is never touched.
   */
  protected String emptySelect() {
    return "SELECT " + columnNames() + " FROM " + table() + " WHERE 1 = 0";
  }

  /** The manifest's columns, quoted, comma-separated. */
  protected String columnNames() {
    return manifest.columns().stream()
        .map(c -> identifier(c.name()))
        .collect(Collectors.joining(", "));
  }

  /** {@code name type, …} of the manifest's columns. */
  protected String columnDefinitions() {
    return manifest.columns().stream()
        .map(c -> identifier(c.name()) + " " + columnType(c))
        .collect(Collectors.joining(", "));
  }

  protected boolean isText() {
    return manifest.format().equals("csv") || manifest.format().equals("json");
  }

  /** The run directory's files, in manifest order. */
  protected List<Manifest.FileEntry> files() {
    return manifest.files();
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
