package io.lakeroute.warehouse;

import io.lakeroute.fingerprint.FingerprintSql;
import java.util.Set;

/**
 * PostgreSQL 15 standing in for Redshift: Redshift's SQL, COPY included, which PostgreSQL runs as
 * it is once the tests' driver executes the COPY against the local S3 (io.lakeroute.testing
 * .CopyExecutingDriver), except binary columns: PostgreSQL has no VARBYTE, so they are BYTEA.
 */
final class PostgresDialect extends RedshiftDialect {
  private static final long serialVersionUID = 1L;

  PostgresDialect() {
    super(
        "postgres",
        "The PostgreSQL stand-in of Redshift",
        RedshiftDialect.TYPES.with("bytes", "BYTEA"),
        Set.of("parquet", "avro", "json", "csv"));
  }

  @Override
  public WarehouseDialect warehouse() {
    return WarehouseDialect.REDSHIFT;
  }

  @Override
  public FingerprintSql fingerprintSql() {
    return FingerprintSql.postgres();
  }
}
