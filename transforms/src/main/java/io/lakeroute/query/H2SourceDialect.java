package io.lakeroute.query;

import io.lakeroute.fingerprint.FingerprintSql;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * H2, the demo's embedded database: standard types, plus UUID (reported as BINARY) and JSON carried
 * as text. Partitions read apart: the demo's database is written by no one while it runs.
 */
enum H2SourceDialect implements SourceDialect {
  INSTANCE;

  @Override
  public String database() {
    return "H2";
  }

  @Override
  public FieldType fieldType(String column, String typeName, ResultSetMetaData metadata, int i)
      throws SQLException {
    String lower = typeName.toLowerCase(Locale.ROOT);
    if (lower.equals("uuid") || lower.equals("json")) {
      return FieldType.STRING;
    }
    return SqlTypeMapping.standardType(column, typeName, metadata, i);
  }

  @Override
  public Optional<FingerprintSql> fingerprintSql() {
    return Optional.of(FingerprintSql.h2Source());
  }

  @Override
  public Consistency consistency() {
    return Consistency.PER_PARTITION;
  }
}
