package io.lakeroute.warehouse;

import io.lakeroute.fingerprint.FingerprintSql;
import java.util.Optional;
import java.util.Set;

/**
 * H2 in {@code MODE=MSSQLServer} standing in for Synapse: T-SQL's quoting, types (with the SQL
 * standard's name for DATETIMEOFFSET) and {@code COPY INTO}, which the tests' driver executes
 * against Azurite (io.lakeroute.testing.CopyExecutingDriver); the DDL without Synapse's {@code WITH
 * (DISTRIBUTION …)} and {@code IF OBJECT_ID} batches, and {@code COUNT} for {@code COUNT_BIG},
 * which H2 lacks.
 */
final class H2Dialect extends SynapseDialect {
  private static final long serialVersionUID = 1L;

  H2Dialect() {
    super(
        "h2",
        "The H2 stand-in of Synapse",
        SynapseDialect.TYPES.with("timestamp_tz", "TIMESTAMP(6) WITH TIME ZONE"),
        Set.of("parquet", "csv"));
  }

  @Override
  public WarehouseDialect warehouse() {
    return WarehouseDialect.SYNAPSE;
  }

  @Override
  String tableOptions() {
    return "";
  }

  @Override
  public String createTable(WarehouseSql sql) {
    return createTableIfNotExists(sql);
  }

  @Override
  public String dropStaging(WarehouseSql sql) {
    return dropStagingIfExists(sql);
  }

  @Override
  public Optional<String> loadedCount(WarehouseSql sql) {
    return Optional.of("SELECT COUNT(*) FROM " + stagingTable(sql));
  }

  @Override
  public FingerprintSql fingerprintSql() {
    return FingerprintSql.h2();
  }
}
