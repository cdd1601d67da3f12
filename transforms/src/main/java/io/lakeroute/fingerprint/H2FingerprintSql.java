package io.lakeroute.fingerprint;

import java.util.List;
import java.util.Optional;

/** H2 2.x (the Synapse stand-in). */
class H2FingerprintSql extends EngineFingerprintSql {
  @Override
  public String engine() {
    return "H2";
  }

  @Override
  public String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  String text(String expression) {
    return cast(expression, "VARCHAR");
  }

  @Override
  String digest(String text) {
    return "HASH('MD5', " + text + ")";
  }

  @Override
  String hex(String digest) {
    return "LOWER(RAWTOHEX(" + digest + "))";
  }

  /** H2 reads 8 bytes as a big-endian BIGINT. */
  @Override
  String int60(String digest) {
    return "BITAND(CAST(SUBSTRING("
        + digest
        + " FROM 1 FOR 8) AS BIGINT), "
        + FingerprintAccumulator.MASK_60
        + ")";
  }

  @Override
  String concat(List<String> texts) {
    return "(" + String.join(" || ", texts) + ")";
  }

  /** The SQL standard's form: H2 reads LIMIT only in some of its compatibility modes. */
  @Override
  String limit(String query, int limit) {
    return "SELECT * FROM (" + query + ") differing FETCH FIRST " + limit + " ROWS ONLY";
  }

  @Override
  String bytes(String x) {
    return "LOWER(RAWTOHEX(" + x + "))";
  }

  /** H2 has no base64 decoding. */
  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.empty();
  }

  @Override
  String date(String x) {
    return text(x);
  }

  @Override
  Optional<String> time(String x) {
    return Optional.of("FORMATDATETIME(" + x + ", 'HH:mm:ss.SSSSSS')");
  }

  @Override
  String timestamp(String x) {
    return text("DATEDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', " + x + ")");
  }

  /**
   * H2's DATEDIFF counts between two TIMESTAMP WITH TIME ZONE values on their wall clocks, ignoring
   * their offsets: the value is first moved to UTC and its offset dropped.
   */
  @Override
  String timestampTz(String x) {
    return timestamp("CAST(" + x + " AT TIME ZONE 'UTC' AS TIMESTAMP)");
  }

  /**
   * H2 as a query's source: a {@code UUID} or {@code JSON} column is read as text, and H2's MD5
   * would hash a UUID's 16 bytes and a JSON's encoding; as text they hash as the driver returns
   * them.
   */
  static final class Source extends H2FingerprintSql {
    @Override
    String string(String x) {
      return text(x);
    }
  }

  @Override
  String doubleType() {
    return "DOUBLE PRECISION";
  }

  @Override
  String isNaN(String x) {
    return x + " = " + cast("'NaN'", doubleType());
  }

  @Override
  String infinity(boolean positive) {
    return cast(positive ? "'Infinity'" : "'-Infinity'", doubleType());
  }
}
