package io.lakeroute.warehouse;

import io.lakeroute.databricks.Federation;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.sql.JdbcClient;
import java.io.IOException;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL a warehouse server speaks, and how it loads the staged files: one implementation per
 * warehouse. A local stand-in (PostgreSQL for Redshift, H2 for Synapse) is an implementation too:
 * it speaks its warehouse's SQL, its bulk load included (the tests' JDBC driver executes that
 * statement against the local object store), and replaces only the DDL its server lacks, so no
 * caller asks which kind of server it talks to.
 *
 * <p>Every statement is pure text generated from a {@link WarehouseSql} (the target and the
 * manifest of one load): the same inputs always give the same SQL, identifiers quoted, literals
 * escaped.
 */
public interface WarehouseDialect extends Serializable {
  /** Amazon Redshift: COPY from S3 through a manifest and an IAM role. */
  WarehouseDialect REDSHIFT = new RedshiftDialect();

  /** PostgreSQL 15 standing in for Redshift: Redshift's COPY, binary columns as BYTEA. */
  WarehouseDialect POSTGRES = new PostgresDialect();

  /** Azure Synapse Analytics (dedicated SQL pool): COPY INTO from Azure Blob Storage. */
  WarehouseDialect SYNAPSE = new SynapseDialect();

  /** H2 in MS SQL Server mode standing in for Synapse: COPY INTO, the DDL without Synapse's. */
  WarehouseDialect H2 = new H2Dialect();

  /** Every dialect, warehouses first. */
  static List<WarehouseDialect> all() {
    return List.of(REDSHIFT, POSTGRES, SYNAPSE, H2);
  }

  /**
   * The dialect named {@code id}: {@code redshift}, {@code postgres}, {@code synapse}, {@code h2}.
   */
  static WarehouseDialect of(String id) {
    String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    return all().stream()
        .filter(d -> d.id().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No warehouse dialect is named '"
                        + id
                        + "': use "
                        + all().stream()
                            .map(WarehouseDialect::id)
                            .collect(Collectors.joining(", "))));
  }

  /** The name {@link #of} takes. */
  String id();

  /** The warehouse this dialect is, or stands in for: itself for a real warehouse. */
  WarehouseDialect warehouse();

  /** The file formats its load reads, as the manifest names them. */
  Set<String> formats();

  /** The URI schemes of the stores its load reads staged files from. */
  Set<String> stagingSchemes();

  /** The schema a table goes to when none is given. */
  String defaultSchema();

  /** A quoted identifier: nothing in {@code name} can end it early. */
  String identifier(String name);

  /** The condition that a boolean column holds true (SQL Server has no boolean expressions). */
  default String isTrue(String column) {
    return column + " = TRUE";
  }

  /** A quoted string literal; text that generated SQL cannot carry safely is refused. */
  String literal(String text);

  /** The warehouse type of a column, as files of {@code format} hold it. */
  String columnType(Manifest.Column column, String format);

  /** The type of {@value WarehouseSql#RUN_ID_COLUMN}. */
  String runIdType();

  /**
   * Fails, saying what it takes, when the warehouse cannot read the staged files with {@code
   * storageCredential} (see {@link WarehouseConnection#withStorageCredential}).
   */
  void checkStorageCredential(String storageCredential);

  /**
   * The secret part of a storage credential, for scrubbing messages: a SAS token is a secret, the
   * ARN of an IAM role only names one. Empty when there is none.
   */
  Optional<String> storageSecret(String storageCredential);

  /** Fails, saying why, when this warehouse cannot load the run as delivered. */
  void check(WarehouseSql sql);

  /** The table, created from the manifest's schema when missing; an existing one is kept. */
  String createTable(WarehouseSql sql);

  /** Adds a column of the run that an existing table lacks; earlier rows hold NULL in it. */
  String addColumn(WarehouseSql sql, Manifest.Column column);

  /** The quoted staging table. */
  String stagingTable(WarehouseSql sql);

  /** Drops the staging table left by an earlier attempt, if any. */
  String dropStaging(WarehouseSql sql);

  /**
   * An empty staging table with the manifest's columns, typed as the target's (see {@link
   * WarehouseSql#emptySelect()}).
   */
  String createStaging(WarehouseSql sql);

  /**
   * The bulk load of exactly the manifest's files into the staging table, as {@link #load} runs it.
   */
  String loadStatement(WarehouseSql sql);

  /**
   * One row, one column: the rows the load just put into the staging table; empty when the load
   * itself returns the count.
   */
  Optional<String> loadedCount(WarehouseSql sql);

  /**
   * The statements that apply the write disposition (append, replace, merge) from the staging
   * table, run in one transaction: a failure leaves the table as it was.
   */
  List<String> apply(WarehouseSql sql);

  /**
   * The fingerprint SQL of this server (docs/fingerprints.md), which proves the values of the run's
   * rows in the table: the warehouse's own, or, for a stand-in, its server's.
   */
  FingerprintSql fingerprintSql();

  /** Runs the load through {@code client}; returns the rows the server says it loaded. */
  long load(JdbcClient client, WarehouseSql sql) throws SQLException, IOException;

  /**
   * How Databricks reaches this warehouse through Lakehouse Federation: a connection of this
   * warehouse's type to the server of {@code jdbcUrl}, its password from {@code password}, and the
   * foreign catalog {@code catalog} over the URL's database.
   */
  Federation federation(String catalog, String jdbcUrl, String user, Federation.Secret password);
}
