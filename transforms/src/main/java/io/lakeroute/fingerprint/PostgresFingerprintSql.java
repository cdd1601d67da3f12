package io.lakeroute.fingerprint;

import java.util.List;
import java.util.Optional;

/** PostgreSQL (the Redshift stand-in, and a PostgreSQL source). */
class PostgresFingerprintSql extends EngineFingerprintSql {
  @Override
  public String engine() {
    return "PostgreSQL";
  }

  @Override
  public String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  String text(String expression) {
    return cast(expression, "TEXT");
  }

  @Override
  String digest(String text) {
    return "MD5(" + text + ")";
  }

  @Override
  String hex(String digest) {
    return digest;
  }

  @Override
  String int60(String digest) {
    return "CAST(CAST('x' || SUBSTR(" + digest + ", 2, 15) AS BIT(60)) AS BIGINT)";
  }

  @Override
  String concat(List<String> texts) {
    return "(" + String.join(" || ", texts) + ")";
  }

  @Override
  String bytes(String x) {
    return "ENCODE(" + x + ", 'hex')";
  }

  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.of("ENCODE(DECODE(" + x + ", 'base64'), 'hex')");
  }

  /**
   * {@code to_char} prints the year of an era, and PostgreSQL has no year 0: 1 BC is year 0 and 2
   * BC year -1 in ISO's astronomical numbering.
   */
  @Override
  String date(String x) {
    String year = "EXTRACT(YEAR FROM " + x + ")";
    return "CASE WHEN "
        + x
        + " >= DATE '0001-01-01' THEN TO_CHAR("
        + x
        + ", 'YYYY-MM-DD') WHEN "
        + year
        + " = -1 THEN '0000' || TO_CHAR("
        + x
        + ", '-MM-DD') ELSE '-' || LPAD("
        + text(integer("-1 - " + year))
        + ", 4, '0') || TO_CHAR("
        + x
        + ", '-MM-DD') END";
  }

  @Override
  Optional<String> time(String x) {
    return Optional.of("TO_CHAR(" + x + ", 'HH24:MI:SS.US')");
  }

  @Override
  String timestamp(String x) {
    return text(bigint("EXTRACT(EPOCH FROM " + x + ") * 1000000"));
  }

  @Override
  String timestampTz(String x) {
    return timestamp(x);
  }

  /**
   * PostgreSQL as a query's source. {@code CONCAT} renders any type by its output function, which
   * is the text pgjdbc's {@code getString} returns: a {@code char(n)} keeps its padding (a cast to
   * text would strip it), a {@code uuid} or {@code json} is its text (MD5 takes text only).
   */
  static final class Source extends PostgresFingerprintSql {
    @Override
    String string(String x) {
      return "CONCAT(" + x + ")";
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
