package io.lakeroute.fingerprint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The fingerprint query every engine shares; each engine supplies its spelling of the few things
 * that differ (casts to text, MD5, hex, dates, timestamps, special doubles). The inner query gives
 * each value's digest (NULL for NULL); the outer one counts and sums.
 */
abstract class EngineFingerprintSql implements FingerprintSql {
  /** 2^52: a double's mantissa as an integer. */
  private static final String TWO_TO_52 = "4503599627370496";

  // What differs between engines.

  /** {@code expression} cast to the engine's text type. */
  abstract String text(String expression);

  /** The engine's MD5 of a text expression (its UTF-8 bytes). */
  abstract String digest(String text);

  /** A digest as 32 lowercase hex digits. */
  abstract String hex(String digest);

  /** Hex digits 2 to 16 of a digest as a BIGINT (60 bits). */
  abstract String int60(String digest);

  /** Text concatenation of several text expressions, none of them NULL. */
  abstract String concat(List<String> texts);

  /** The exact decimal type every sum is taken in. */
  String sumType() {
    return "DECIMAL(38,0)";
  }

  String bool(String x) {
    return "CASE WHEN " + x + " THEN 'true' ELSE 'false' END";
  }

  String string(String x) {
    return x;
  }

  /** Binary as lowercase hex. */
  abstract String bytes(String x);

  /** Base64 text as lowercase hex of the bytes it holds; empty when the engine cannot. */
  abstract Optional<String> base64Bytes(String x);

  /** A date as {@code yyyy-MM-dd}, astronomical years, proleptic Gregorian. */
  abstract String date(String x);

  /** A TIME as {@code HH:mm:ss.SSSSSS}; empty when the engine has no TIME type. */
  abstract Optional<String> time(String x);

  /** A timestamp without zone as microseconds from 1970-01-01 00:00, as text. */
  abstract String timestamp(String x);

  /** A timestamp with zone as microseconds from the epoch (UTC), as text. */
  abstract String timestampTz(String x);

  /** The engine's double type. */
  abstract String doubleType();

  /** A condition true when the double {@code x} is NaN. */
  abstract String isNaN(String x);

  /** The double +Infinity ({@code positive}) or -Infinity; null where doubles have none. */
  abstract String infinity(boolean positive);

  /** The natural logarithm. */
  String ln(String x) {
    return "LN(" + x + ")";
  }

  /** {@code x} clamped to [low, high]. */
  String clamp(String x, int low, int high) {
    return "LEAST(" + high + ", GREATEST(" + low + ", " + x + "))";
  }

  /** An exact integer expression as the engine's integer type for exponents. */
  String integer(String x) {
    return "CAST(" + x + " AS INTEGER)";
  }

  String bigint(String x) {
    return "CAST(" + x + " AS BIGINT)";
  }

  String power2(String exponent) {
    return "POWER(" + cast("2", doubleType()) + ", " + exponent + ")";
  }

  static String cast(String x, String type) {
    return "CAST(" + x + " AS " + type + ")";
  }

  // The shared query.

  @Override
  public Optional<String> unsupported(FingerprintColumn column) {
    return canonical(column, "x").isPresent()
        ? Optional.empty()
        : Optional.of(
            engine()
                + " cannot render a "
                + column.type()
                + (column.asText() ? " held as text" : "")
                + " canonically");
  }

  @Override
  public String query(String from, List<FingerprintColumn> columns, String where) {
    return aggregate(from, columns, where, null);
  }

  @Override
  public String bucketQuery(
      String from,
      List<FingerprintColumn> columns,
      String where,
      List<FingerprintColumn> keys,
      int length,
      Collection<String> within) {
    // The buckets are chosen in the inner query, so that only their rows' values are hashed.
    String chosen = within.isEmpty() ? where : inBuckets(where, keys, length - 1, within);
    return aggregate(from, columns, chosen, prefix(keyHash(keys), length)) + " GROUP BY key_bucket";
  }

  @Override
  public String bucketRows(
      String from,
      String where,
      List<FingerprintColumn> keys,
      int length,
      Collection<String> buckets,
      List<FingerprintColumn> shown,
      int limit) {
    return limit(canonicalRows(from, inBuckets(where, keys, length, buckets), shown), limit);
  }

  /** {@code where} (or every row, if null) and the key's first {@code length} digits in buckets. */
  private String inBuckets(
      String where, List<FingerprintColumn> keys, int length, Collection<String> buckets) {
    return (where == null ? "" : "(" + where + ") AND ")
        + prefix(keyHash(keys), length)
        + " IN ("
        + buckets(buckets)
        + ")";
  }

  /**
   * The MD5 in hex of the key's text: the keys' value digests in hex, {@code -} for NULL, as in the
   * row text ({@link KeyBisection#bucket} in Java); a bucket is its first digits.
   */
  private String keyHash(List<FingerprintColumn> keys) {
    List<String> parts = new ArrayList<>();
    for (FingerprintColumn key : keys) {
      parts.add("COALESCE(" + hex(digest(canonical(key))) + ", '-')");
    }
    // One part is not concatenated: H2 (LocalBigQuery's engine) wants two arguments to CONCAT.
    return hex(digest(parts.size() == 1 ? parts.get(0) : concat(parts)));
  }

  /** The first {@code length} characters of a text (SUBSTRING is spelled alike everywhere). */
  private static String prefix(String text, int length) {
    return "SUBSTRING(" + text + ", 1, " + length + ")";
  }

  /**
   * Buckets as SQL literals. A bucket is lowercase hex digits only, which every engine's string
   * literal takes as they are; anything else is refused rather than escaped per engine.
   */
  private static String buckets(Collection<String> buckets) {
    List<String> literals = new ArrayList<>();
    for (String bucket : buckets) {
      if (!bucket.matches("[0-9a-f]{1,32}")) {
        throw new IllegalArgumentException("A key bucket is hex digits, not " + bucket);
      }
      literals.add("'" + bucket + "'");
    }
    return String.join(", ", literals);
  }

  /**
   * The fingerprint query; with {@code bucket}, an expression over the rows, the inner query also
   * gives it as {@code key_bucket}, which {@code filter} (a clause or empty) may test and the
   * caller groups by.
   */
  private String aggregate(
      String from, List<FingerprintColumn> columns, String where, String bucket) {
    List<String> digests = new ArrayList<>();
    List<String> rowParts = new ArrayList<>();
    StringBuilder outer = new StringBuilder("SELECT ");
    if (bucket != null) {
      outer.append("key_bucket, ");
    }
    outer.append("COUNT(*) AS row_count");
    for (int i = 0; i < columns.size(); i++) {
      FingerprintColumn column = columns.get(i);
      String value = canonical(column);
      digests.add("\n    " + digest(value) + " AS d" + i);
      rowParts.add("COALESCE(" + hex("d" + i) + ", '-')");
    }
    if (bucket != null) {
      digests.add("\n    " + bucket + " AS key_bucket");
    }
    outer
        .append(",\n  SUM(")
        .append(cast(int60(digest(concat(rowParts))), sumType()))
        .append(") AS row_sum");
    for (int i = 0; i < columns.size(); i++) {
      outer.append(",\n  COUNT(*) - COUNT(d").append(i).append(") AS nulls_").append(i);
      outer.append(", SUM(").append(cast(int60("d" + i), sumType())).append(") AS sum_").append(i);
    }
    return outer
        .append("\nFROM (SELECT")
        .append(String.join(",", digests))
        .append("\n  FROM ")
        .append(from)
        .append(where == null ? "" : " WHERE " + where)
        .append(") fingerprinted")
        .toString();
  }

  @Override
  public String rowsNotIn(
      String from,
      String where,
      String other,
      String otherWhere,
      List<FingerprintColumn> shown,
      int limit) {
    return limit(
        canonicalRows(from, where, shown)
            + " "
            + except()
            + " "
            + canonicalRows(other, otherWhere, shown),
        limit);
  }

  private String canonicalRows(String from, String where, List<FingerprintColumn> shown) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < shown.size(); i++) {
      cells.add(canonical(shown.get(i)) + " AS v" + i);
    }
    return "SELECT "
        + String.join(", ", cells)
        + " FROM "
        + from
        + (where == null ? "" : " WHERE " + where);
  }

  /** The set difference without duplicates. */
  String except() {
    return "EXCEPT";
  }

  /** The first {@code limit} rows of {@code query}. */
  String limit(String query, int limit) {
    return "SELECT * FROM (" + query + ") differing LIMIT " + limit;
  }

  @Override
  public String canonical(FingerprintColumn column) {
    return canonical(column, quote(column.name()))
        .orElseThrow(() -> new IllegalArgumentException(unsupported(column).orElseThrow()));
  }

  /** The canonical text of the column's values (NULL for NULL), if the engine can render it. */
  Optional<String> canonical(FingerprintColumn column, String x) {
    Optional<String> text = nonNull(column, x);
    return text.map(t -> "CASE WHEN " + x + " IS NULL THEN NULL ELSE " + t + " END");
  }

  private Optional<String> nonNull(FingerprintColumn column, String x) {
    switch (column.kind()) {
      case "int16":
      case "int32":
      case "int64":
        return Optional.of(text(x));
      case "decimal":
        return Optional.of(decimal(x, column.precision(), column.scale()));
      case "float":
        return Optional.of(doubleText(floatValue(cast(x, doubleType()))));
      case "double":
        return Optional.of(doubleText(cast(x, doubleType())));
      case "boolean":
        return Optional.of(bool(x));
      case "string":
        return Optional.of(string(x));
      case "bytes":
        return column.asText() ? base64Bytes(x) : Optional.of(bytes(x));
      case "date":
        return Optional.of(date(x));
      case "time":
        return column.asText() ? Optional.of(string(x)) : time(x);
      case "timestamp":
        return Optional.of(timestamp(x));
      case "timestamp_tz":
        return Optional.of(timestampTz(x));
      default:
        return Optional.empty();
    }
  }

  /** A decimal in plain notation at the column's scale. */
  String decimal(String x, int precision, int scale) {
    return text(cast(x, "DECIMAL(" + precision + "," + scale + ")"));
  }

  /**
   * The value of a {@code float} column as a double, {@code x} being the column as the engine's
   * double: itself where the engine holds floats in a 32-bit type (widening is exact).
   */
  String floatValue(String x) {
    return x;
  }

  /**
   * The binary exponent E of a finite positive double {@code abs} (2^E ≤ abs < 2^(E+1)): a guess by
   * logarithm, corrected by exact comparisons.
   */
  String exponent(String abs) {
    String guess = clamp(integer("FLOOR(" + ln(abs) + " / " + ln("2") + ")"), -1074, 1023);
    String scaled = abs + " / " + power2(guess);
    return "("
        + guess
        + " + CASE WHEN "
        + scaled
        + " >= 2 THEN 1 WHEN "
        + scaled
        + " < 1 THEN -1 ELSE 0 END)";
  }

  /**
   * A double {@code x} rounded to the nearest float (ties to even), as a double: what a 32-bit
   * parser makes of the text a float was written as, for an engine that read it into a double. The
   * unit of the float's last bit is 2^(E − 23), 2^-149 below the normal range; dividing by it and
   * multiplying back are exact.
   */
  String roundToFloat(String x) {
    String abs = "ABS(" + x + ")";
    String unit = power2(integer("GREATEST(" + exponent(abs) + ", -126) - 23"));
    String units = "(" + abs + " / " + unit + ")";
    String floor = "FLOOR(" + units + ")";
    String fraction = "(" + units + " - " + floor + ")";
    String rounded =
        "CASE WHEN "
            + fraction
            + " > 0.5 THEN "
            + floor
            + " + 1 WHEN "
            + fraction
            + " < 0.5 THEN "
            + floor
            + " ELSE "
            + floor
            + " + MOD("
            + bigint(floor)
            + ", 2) END";
    StringBuilder special = new StringBuilder(isNaN(x)).append(" OR ").append(x).append(" = 0");
    String plus = infinity(true);
    if (plus != null) {
      special.append(" OR ").append(x).append(" = ").append(plus);
      special.append(" OR ").append(x).append(" = ").append(infinity(false));
    }
    return "CASE WHEN "
        + special
        + " THEN "
        + x
        + " ELSE CASE WHEN "
        + x
        + " < 0 THEN -1 ELSE 1 END * ("
        + rounded
        + ") * "
        + unit
        + " END";
  }

  /**
   * A double as {@code [-]Mp E} (see {@link Canonical}). Only the first guess of the binary
   * exponent uses a logarithm, which may be off by one near a power of two; the guess is then
   * corrected by exact comparisons, and dividing by a power of two and multiplying by 2^52 are
   * exact in IEEE arithmetic, so every engine gets the same integers.
   */
  String doubleText(String x) {
    String abs = "ABS(" + x + ")";
    String exponent = exponent(abs);
    String mantissa = bigint(abs + " / " + power2(exponent) + " * " + TWO_TO_52);
    StringBuilder text = new StringBuilder("CASE WHEN ").append(isNaN(x)).append(" THEN 'NaN'");
    String plus = infinity(true);
    if (plus != null) {
      text.append(" WHEN ").append(x).append(" = ").append(plus).append(" THEN 'Infinity'");
      text.append(" WHEN ").append(x).append(" = ").append(infinity(false));
      text.append(" THEN '-Infinity'");
    }
    return text.append(" WHEN ")
        .append(x)
        .append(" = 0 THEN '0' ELSE ")
        .append(
            concat(
                List.of(
                    "CASE WHEN " + x + " < 0 THEN '-' ELSE '' END",
                    text(mantissa),
                    "'p'",
                    text(exponent + " - 52"))))
        .append(" END")
        .toString();
  }
}
