package io.lakeroute.testing;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * GoogleSQL's functions that H2 lacks, with BigQuery's semantics for the arguments lakeroute's
 * queries pass (the fingerprint query, docs/fingerprints.md), installed in {@link LocalBigQuery}'s
 * database as {@code GOOGLESQL_<name>}; {@link GoogleSqlScript} calls them so. A format or argument
 * they do not model fails the query, naming it. NULL in, NULL out, as in BigQuery.
 */
public final class GoogleSqlFunctions {
  private static final List<String> NAMES =
      List.of(
          "MD5",
          "TO_HEX",
          "FORMAT",
          "FORMAT_DATE",
          "FORMAT_TIME",
          "UNIX_MICROS",
          "TIMESTAMP",
          "IS_NAN",
          "HEX_INT64");

  private GoogleSqlFunctions() {}

  /** Creates the functions in {@code db}. */
  public static void install(Connection db) throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String name : NAMES) {
        String method = name.toLowerCase(Locale.ROOT).replace("_", "");
        s.execute(
            "CREATE ALIAS IF NOT EXISTS GOOGLESQL_"
                + name
                + " FOR \""
                + GoogleSqlFunctions.class.getName()
                + "."
                + method
                + "\"");
      }
    }
  }

  /** MD5 of the text's UTF-8 bytes. */
  public static byte[] md5(String text) throws NoSuchAlgorithmException {
    return text == null
        ? null
        : MessageDigest.getInstance("MD5")
            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Lowercase hex. */
  public static String tohex(byte[] bytes) {
    return bytes == null ? null : HexFormat.of().formatHex(bytes);
  }

  /** {@code FORMAT('%.<s>f', numeric)}: the exact decimal at scale s. */
  public static String format(String format, BigDecimal value) {
    if (!format.matches("%\\.\\d+f")) {
      throw new IllegalArgumentException("GOOGLESQL_FORMAT models '%.<n>f' only, not " + format);
    }
    return value == null ? null : String.format(Locale.ROOT, format, value);
  }

  /** {@code FORMAT_DATE('%Y-%m-%d', date)}. */
  public static String formatdate(String format, LocalDate date) {
    if (!format.equals("%Y-%m-%d")) {
      throw new IllegalArgumentException("GOOGLESQL_FORMAT_DATE models '%Y-%m-%d' only");
    }
    return date == null
        ? null
        : String.format(
            Locale.ROOT,
            "%04d-%02d-%02d",
            date.getYear(),
            date.getMonthValue(),
            date.getDayOfMonth());
  }

  /** {@code FORMAT_TIME('%H:%M:%E6S', time)}. */
  public static String formattime(String format, LocalTime time) {
    if (!format.equals("%H:%M:%E6S")) {
      throw new IllegalArgumentException("GOOGLESQL_FORMAT_TIME models '%H:%M:%E6S' only");
    }
    return time == null
        ? null
        : String.format(
            Locale.ROOT,
            "%02d:%02d:%02d.%06d",
            time.getHour(),
            time.getMinute(),
            time.getSecond(),
            time.getNano() / 1000);
  }

  /** Microseconds since the epoch of a TIMESTAMP. */
  public static Long unixmicros(OffsetDateTime timestamp) {
    if (timestamp == null) {
      return null;
    }
    // From seconds: a count of nanoseconds (ChronoUnit's way) overflows beyond 2262.
    Instant instant = timestamp.toInstant();
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /** {@code TIMESTAMP(datetime)}: the DATETIME in UTC. */
  public static OffsetDateTime timestamp(LocalDateTime datetime) {
    return datetime == null ? null : datetime.atOffset(ZoneOffset.UTC);
  }

  public static Boolean isnan(Double value) {
    return value == null ? null : value.isNaN();
  }

  /** {@code CAST(CONCAT('0x', hex) AS INT64)}. */
  public static Long hexint64(String hex) {
    return hex == null ? null : Long.parseLong(hex, 16);
  }
}
