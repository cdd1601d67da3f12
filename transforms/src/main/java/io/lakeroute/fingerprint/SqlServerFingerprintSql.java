package io.lakeroute.fingerprint;

import java.util.List;
import java.util.Optional;

/** SQL Server's T-SQL, as Synapse runs it. Golden-tested only: no TDS server runs here. */
final class SqlServerFingerprintSql extends EngineFingerprintSql {
  @Override
  public String engine() {
    return "SQL Server";
  }

  @Override
  public String quote(String identifier) {
    return "[" + identifier.replace("]", "]]") + "]";
  }

  @Override
  String text(String expression) {
    return cast(expression, "VARCHAR(50)");
  }

  /**
   * HASHBYTES hashes the bytes of its argument as stored: NVARCHAR is UTF-16, so text is converted
   * to UTF-8 first, through a UTF-8 collation (SQL Server 2019 and later).
   */
  @Override
  String string(String x) {
    return "CAST(" + x + " COLLATE Latin1_General_100_BIN2_UTF8 AS VARCHAR(MAX))";
  }

  @Override
  String digest(String text) {
    return "HASHBYTES('MD5', " + text + ")";
  }

  @Override
  String hex(String digest) {
    return "LOWER(CONVERT(VARCHAR(32), " + digest + ", 2))";
  }

  @Override
  String int60(String digest) {
    return "(CAST(SUBSTRING("
        + digest
        + ", 1, 8) AS BIGINT) & "
        + FingerprintAccumulator.MASK_60
        + ")";
  }

  /** T-SQL has no LIMIT. */
  @Override
  String limit(String query, int limit) {
    return "SELECT TOP (" + limit + ") * FROM (" + query + ") differing";
  }

  /** {@code +}, not CONCAT, which would turn a NULL into an empty string. */
  @Override
  String concat(List<String> texts) {
    return "(" + String.join(" + ", texts) + ")";
  }

  @Override
  String bool(String x) {
    return "CASE WHEN " + x + " = 1 THEN 'true' ELSE 'false' END";
  }

  @Override
  String bytes(String x) {
    return "LOWER(CONVERT(VARCHAR(MAX), " + x + ", 2))";
  }

  /** T-SQL decodes base64 only through XML, which Synapse lacks. */
  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.empty();
  }

  @Override
  String date(String x) {
    return "CONVERT(VARCHAR(10), " + x + ", 23)";
  }

  @Override
  Optional<String> time(String x) {
    return Optional.of("CONVERT(VARCHAR(15), CAST(" + x + " AS TIME(6)))");
  }

  @Override
  String timestamp(String x) {
    return text(
        "DATEDIFF_BIG(MICROSECOND, CAST('1970-01-01T00:00:00' AS DATETIME2(6)), " + x + ")");
  }

  @Override
  String timestampTz(String x) {
    return text(
        "DATEDIFF_BIG(MICROSECOND, CAST('1970-01-01T00:00:00+00:00' AS DATETIMEOFFSET(6)), "
            + x
            + ")");
  }

  @Override
  String ln(String x) {
    return "LOG(" + x + ")";
  }

  /** Synapse has no LEAST and GREATEST. */
  @Override
  String clamp(String x, int low, int high) {
    return "CASE WHEN "
        + x
        + " > "
        + high
        + " THEN "
        + high
        + " WHEN "
        + x
        + " < "
        + low
        + " THEN "
        + low
        + " ELSE "
        + x
        + " END";
  }

  @Override
  String doubleType() {
    return "FLOAT";
  }

  /** SQL Server's FLOAT holds no NaN and no infinity. */
  @Override
  String isNaN(String x) {
    return "1 = 0";
  }

  @Override
  String infinity(boolean positive) {
    return null;
  }
}
