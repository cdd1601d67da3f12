package io.lakeroute.fingerprint;

import java.util.Optional;

/** Redshift: PostgreSQL's SQL where Redshift has its own functions. Golden-tested only. */
final class RedshiftFingerprintSql extends PostgresFingerprintSql {
  @Override
  public String engine() {
    return "Redshift";
  }

  @Override
  String text(String expression) {
    return cast(expression, "VARCHAR");
  }

  /** Redshift has no bit strings; STRTOL reads hex. */
  @Override
  String int60(String digest) {
    return "STRTOL(SUBSTRING(" + digest + ", 2, 15), 16)";
  }

  @Override
  String bytes(String x) {
    return "TO_HEX(" + x + ")";
  }

  /** Redshift cannot decode base64. */
  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.empty();
  }

  /** Redshift's EXTRACT(EPOCH) is a double, which loses microseconds; DATEDIFF is exact. */
  @Override
  String timestamp(String x) {
    return text("DATEDIFF(microsecond, TIMESTAMP '1970-01-01 00:00:00', " + x + ")");
  }

  @Override
  String timestampTz(String x) {
    return text("DATEDIFF(microsecond, TIMESTAMPTZ '1970-01-01 00:00:00+00', " + x + ")");
  }
}
