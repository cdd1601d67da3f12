package io.lakeroute.fingerprint;

import java.util.List;
import java.util.Optional;

/** Spark SQL: Databricks, and the Databricks stand-in. */
final class SparkFingerprintSql extends EngineFingerprintSql {
  @Override
  public String engine() {
    return "Spark";
  }

  @Override
  public String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  @Override
  String text(String expression) {
    return cast(expression, "STRING");
  }

  @Override
  String digest(String text) {
    return "md5(" + text + ")";
  }

  @Override
  String hex(String digest) {
    return digest;
  }

  @Override
  String int60(String digest) {
    return "CAST(conv(substr(" + digest + ", 2, 15), 16, 10) AS BIGINT)";
  }

  @Override
  String concat(List<String> texts) {
    return "concat(" + String.join(", ", texts) + ")";
  }

  /**
   * Spark prints a decimal as Java's BigDecimal.toString does, in scientific notation below 10^-6
   * ({@code 0E-10}, {@code 1E-10}): those are written out from their digits at the scale.
   */
  @Override
  String decimal(String x, int precision, int scale) {
    String typed = cast(x, "DECIMAL(" + precision + "," + scale + ")");
    if (scale <= 6) {
      return text(typed);
    }
    String digits = text(cast("ABS(" + typed + ") * 1" + "0".repeat(scale), "DECIMAL(38,0)"));
    return "CASE WHEN ABS("
        + typed
        + ") >= 0.000001 THEN "
        + text(typed)
        + " ELSE concat(CASE WHEN "
        + typed
        + " < 0 THEN '-' ELSE '' END, '0.', lpad("
        + digits
        + ", "
        + scale
        + ", '0')) END";
  }

  @Override
  String bytes(String x) {
    return "lower(hex(" + x + "))";
  }

  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.of("lower(hex(unbase64(" + x + ")))");
  }

  @Override
  String date(String x) {
    return text(x);
  }

  /** Spark has no TIME type: lakeroute's tables hold it as text. */
  @Override
  Optional<String> time(String x) {
    return Optional.empty();
  }

  /** Field by field: a TIMESTAMP_NTZ has no zone to count from, and none is wanted. */
  @Override
  String timestamp(String x) {
    // Every term a BIGINT: minute(x) * 60000000 alone would overflow an INT.
    return text(
        bigint("unix_date(CAST(" + x + " AS DATE))")
            + " * 86400000000 + "
            + bigint("hour(" + x + ")")
            + " * 3600000000 + "
            + bigint("minute(" + x + ")")
            + " * 60000000 + "
            + bigint("date_part('SECOND', " + x + ") * 1000000"));
  }

  @Override
  String timestampTz(String x) {
    return text("unix_micros(" + x + ")");
  }

  @Override
  String doubleType() {
    return "DOUBLE";
  }

  @Override
  String isNaN(String x) {
    return "isnan(" + x + ")";
  }

  @Override
  String infinity(boolean positive) {
    return cast(positive ? "'Infinity'" : "'-Infinity'", doubleType());
  }
}
