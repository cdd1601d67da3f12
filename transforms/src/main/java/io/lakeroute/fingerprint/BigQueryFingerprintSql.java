package io.lakeroute.fingerprint;

import java.util.List;
import java.util.Optional;

/** BigQuery's GoogleSQL. Golden-tested only: no BigQuery engine runs here. */
final class BigQueryFingerprintSql extends EngineFingerprintSql {
  @Override
  public String engine() {
    return "BigQuery";
  }

  @Override
  public String quote(String identifier) {
    return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  @Override
  String text(String expression) {
    return cast(expression, "STRING");
  }

  @Override
  String digest(String text) {
    return "MD5(" + text + ")";
  }

  @Override
  String hex(String digest) {
    return "TO_HEX(" + digest + ")";
  }

  @Override
  String int60(String digest) {
    return "CAST(CONCAT('0x', SUBSTR(TO_HEX(" + digest + "), 2, 15)) AS INT64)";
  }

  @Override
  String concat(List<String> texts) {
    return "CONCAT(" + String.join(", ", texts) + ")";
  }

  /** GoogleSQL names the set operation's kind. */
  @Override
  String except() {
    return "EXCEPT DISTINCT";
  }

  /**
   * BigQuery has no 32-bit float: a float column is FLOAT64, loaded from the float's shortest text,
   * which is not the float's exact value (3.4028235E38 for Float.MAX_VALUE). Rounding that double
   * to the nearest float gives the float back.
   */
  @Override
  String floatValue(String x) {
    return roundToFloat(x);
  }

  /** NUMERIC holds 29 integer digits; BIGNUMERIC the 38 every sum fits in. */
  @Override
  String sumType() {
    return "BIGNUMERIC";
  }

  /** CAST(NUMERIC AS STRING) drops trailing zeros; FORMAT keeps the scale. */
  @Override
  String decimal(String x, int precision, int scale) {
    return "FORMAT('%." + scale + "f', " + x + ")";
  }

  @Override
  String bytes(String x) {
    return "TO_HEX(" + x + ")";
  }

  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.of("TO_HEX(FROM_BASE64(" + x + "))");
  }

  @Override
  String date(String x) {
    return "FORMAT_DATE('%Y-%m-%d', " + x + ")";
  }

  @Override
  Optional<String> time(String x) {
    return Optional.of("FORMAT_TIME('%H:%M:%E6S', " + x + ")");
  }

  @Override
  String timestamp(String x) {
    return text("UNIX_MICROS(TIMESTAMP(" + x + "))");
  }

  @Override
  String timestampTz(String x) {
    return text("UNIX_MICROS(" + x + ")");
  }

  @Override
  String integer(String x) {
    return cast(x, "INT64");
  }

  @Override
  String bigint(String x) {
    return cast(x, "INT64");
  }

  @Override
  String doubleType() {
    return "FLOAT64";
  }

  @Override
  String isNaN(String x) {
    return "IS_NAN(" + x + ")";
  }

  @Override
  String infinity(boolean positive) {
    return cast(positive ? "'inf'" : "'-inf'", doubleType());
  }
}
