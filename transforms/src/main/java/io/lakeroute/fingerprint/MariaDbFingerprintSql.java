package io.lakeroute.fingerprint;

import java.util.List;
import java.util.Optional;

/**
 * MariaDB and MySQL as the source of a query, on lakeroute's source connection (session time zone
 * UTC, see {@code MariaDbSourceDialect}). Every text is converted to utf8mb4 before {@code MD5()},
 * which hashes a string's bytes in its own character set; integers are rendered as numbers ({@code
 * x + 0}), so that a {@code BIT(n)} is its value, not its bytes, and a {@code YEAR} 0000 is 0, as
 * they are read. {@code DOUBLE} holds no NaN or infinity in MariaDB. Dates are proleptic Gregorian
 * years 0 to 9999, as {@code DATE_FORMAT} prints them with four digits; a zero date (a zero month
 * or day) is NULL when the source reads it as NULL, and otherwise fails the read before any
 * fingerprint is compared.
 */
class MariaDbFingerprintSql extends EngineFingerprintSql {
  private final boolean zeroDatesAsNull;

  /**
   * @param zeroDatesAsNull whether the source reads a zero date as NULL (else it refuses it)
   */
  MariaDbFingerprintSql(boolean zeroDatesAsNull) {
    this.zeroDatesAsNull = zeroDatesAsNull;
  }

  @Override
  public String engine() {
    return "MariaDB";
  }

  @Override
  public String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  @Override
  String text(String expression) {
    return cast(expression, "CHAR");
  }

  @Override
  String digest(String text) {
    return "MD5(CONVERT(" + text + " USING utf8mb4))";
  }

  @Override
  String hex(String digest) {
    return digest;
  }

  @Override
  String int60(String digest) {
    return "CAST(CONV(SUBSTRING(" + digest + ", 2, 15), 16, 10) AS UNSIGNED)";
  }

  @Override
  String concat(List<String> texts) {
    return "CONCAT(" + String.join(", ", texts) + ")";
  }

  @Override
  String bytes(String x) {
    return "LOWER(HEX(" + x + "))";
  }

  @Override
  Optional<String> base64Bytes(String x) {
    return Optional.of("LOWER(HEX(FROM_BASE64(" + x + ")))");
  }

  @Override
  String date(String x) {
    return "DATE_FORMAT(" + x + ", '%Y-%m-%d')";
  }

  @Override
  Optional<String> time(String x) {
    return Optional.of("TIME_FORMAT(" + x + ", '%H:%i:%s.%f')");
  }

  /** The wall clock's microseconds; a TIMESTAMP shows its UTC wall clock in a UTC session. */
  @Override
  String timestamp(String x) {
    return text("TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', " + x + ")");
  }

  @Override
  String timestampTz(String x) {
    return timestamp(x);
  }

  @Override
  String integer(String x) {
    return cast(x, "SIGNED");
  }

  @Override
  String bigint(String x) {
    return cast(x, "SIGNED");
  }

  @Override
  String doubleType() {
    return "DOUBLE";
  }

  @Override
  String isNaN(String x) {
    return "FALSE";
  }

  @Override
  String infinity(boolean positive) {
    return null;
  }

  @Override
  Optional<String> canonical(FingerprintColumn column, String x) {
    switch (column.kind()) {
      case "int16":
      case "int32":
      case "int64":
        return super.canonical(column, "(" + x + " + 0)");
      case "date":
      case "timestamp":
      case "timestamp_tz":
        if (zeroDatesAsNull) {
          return super.canonical(column, x)
              .map(
                  t ->
                      "CASE WHEN MONTH("
                          + x
                          + ") = 0 OR DAYOFMONTH("
                          + x
                          + ") = 0 THEN NULL ELSE "
                          + t
                          + " END");
        }
        return super.canonical(column, x);
      default:
        return super.canonical(column, x);
    }
  }
}
