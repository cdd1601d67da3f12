package io.lakeroute.warehouse;

import io.lakeroute.databricks.Federation;
import io.lakeroute.databricks.WarehouseTableSql;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.ColumnTypes;
import io.lakeroute.sql.JdbcClient;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every warehouse here shares: the SQL standard's DDL and the disposition as {@code DELETE} +
 * {@code INSERT} from the staging table, which each dialect replaces only where its SQL differs.
 */
abstract class AbstractDialect implements WarehouseDialect {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String name;
  private final ColumnTypes types;
  private final Set<String> formats;

  /**
   * @param name what messages call the server, e.g. {@code the PostgreSQL stand-in of Redshift}
   */
  AbstractDialect(String id, String name, ColumnTypes types, Set<String> formats) {
    this.id = id;
    this.name = name;
    this.types = types;
    this.formats = formats;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public WarehouseDialect warehouse() {
    return this;
  }

  @Override
  public final Set<String> formats() {
    return formats;
  }

  @Override
  public final String columnType(Manifest.Column column, String format) {
    return types.of(column, format);
  }

  /** Any credential, or none: the server reads the files itself or with its own identity. */
  @Override
  public void checkStorageCredential(String storageCredential) {}

  @Override
  public Optional<String> storageSecret(String storageCredential) {
    return Optional.ofNullable(storageCredential).filter(s -> !s.isEmpty());
  }

  /** Checks the format; dialects add what else they cannot read. */
  @Override
  public void check(WarehouseSql sql) {
    String format = sql.manifest().format();
    if (!formats.contains(format)) {
      throw new IllegalArgumentException(
          name
              + " loads "
              + formats.stream().sorted().collect(Collectors.joining(" and "))
              + ", not "
              + format
              + ": deliver with the file format (withFormat) "
              + formats.stream().sorted().collect(Collectors.joining(" or ")));
    }
  }

  @Override
  public String createTable(WarehouseSql sql) {
    return createTableIfNotExists(sql);
  }

  /** The SQL standard's form, which Redshift, PostgreSQL and H2 run. */
  final String createTableIfNotExists(WarehouseSql sql) {
    return "CREATE TABLE IF NOT EXISTS " + sql.table() + columnsWithRunId(sql);
  }

  /** {@code (name type, …, run id type)}. */
  final String columnsWithRunId(WarehouseSql sql) {
    return " ("
        + sql.columnDefinitions()
        + ", "
        + identifier(WarehouseSql.RUN_ID_COLUMN)
        + " "
        + runIdType()
        + ")";
  }

  @Override
  public String addColumn(WarehouseSql sql, Manifest.Column column) {
    return "ALTER TABLE "
        + sql.table()
        + " "
        + addColumnKeyword()
        + " "
        + identifier(column.name())
        + " "
        + columnType(column, sql.manifest().format());
  }

  /** {@code ADD COLUMN}, as the SQL standard spells it. */
  String addColumnKeyword() {
    return "ADD COLUMN";
  }

  @Override
  public String dropStaging(WarehouseSql sql) {
    return dropStagingIfExists(sql);
  }

  /** The SQL standard's form, which Redshift, PostgreSQL and H2 run. */
  final String dropStagingIfExists(WarehouseSql sql) {
    return "DROP TABLE IF EXISTS " + stagingTable(sql);
  }

  @Override
  public Optional<String> loadedCount(WarehouseSql sql) {
    return Optional.of("SELECT COUNT(*) FROM " + stagingTable(sql));
  }

  /** Runs the load statement, then the count query. */
  @Override
  public long load(JdbcClient client, WarehouseSql sql) throws SQLException, IOException {
    client.execute(loadStatement(sql));
    return Long.parseLong(client.query(loadedCount(sql).orElseThrow()).get(0).get(0));
  }

  @Override
  public List<String> apply(WarehouseSql sql) {
    List<String> statements = new ArrayList<>();
    String table = sql.table();
    String staging = stagingTable(sql);
    switch (sql.target().disposition()) {
      case APPEND:
        statements.add("DELETE FROM " + table + " WHERE " + sql.runIdEquals());
        break;
      case REPLACE:
        statements.add("DELETE FROM " + table);
        break;
      case MERGE:
        statements.add(
            "DELETE FROM "
                + table
                + " WHERE EXISTS (SELECT 1 FROM "
                + staging
                + " AS s WHERE "
                + sql.target().mergeKeys().stream()
                    .map(k -> keysEqual("s." + identifier(k), table + "." + identifier(k)))
                    .collect(Collectors.joining(" AND "))
                + ")");
        break;
    }
    statements.add(
        "INSERT INTO "
            + table
            + " ("
            + sql.columnNames()
            + ", "
            + identifier(WarehouseSql.RUN_ID_COLUMN)
            + ") SELECT "
            + sql.columnNames()
            + ", "
            + literal(sql.manifest().runId())
            + " FROM "
            + staging
            + sql.softDelete().map(c -> " WHERE " + sql.notDeleted(identifier(c))).orElse(""));
    return statements;
  }

  /**
   * Two key values that match: equal, or both NULL (a key column that holds NULL still identifies
   * one row). Spelled out, as neither Redshift nor Synapse has {@code IS NOT DISTINCT FROM}.
   */
  private static String keysEqual(String a, String b) {
    return "(" + a + " = " + b + " OR (" + a + " IS NULL AND " + b + " IS NULL))";
  }

  /** The connection type Databricks federates this warehouse with. */
  abstract String federationType();

  /** The port of the warehouse when its JDBC URL names none. */
  abstract int defaultPort();

  @Override
  public Federation federation(
      String catalog, String jdbcUrl, String user, Federation.Secret password) {
    WarehouseTableSql.Endpoint endpoint = WarehouseTableSql.Endpoint.parse(jdbcUrl);
    return Federation.ofDatabase(
        catalog + "_connection",
        catalog,
        federationType(),
        endpoint.host(),
        String.valueOf(endpoint.port() == null ? defaultPort() : endpoint.port()),
        user,
        password,
        endpoint.database());
  }

  /** The one instance of the dialect, also after deserialization. */
  protected Object readResolve() {
    return WarehouseDialect.of(id);
  }

  @Override
  public String toString() {
    return id;
  }
}
