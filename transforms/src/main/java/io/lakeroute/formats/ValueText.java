package io.lakeroute.formats;

import io.lakeroute.query.SqlTypeMapping.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Base64;

/**
 * The text of a value in CSV and JSON: ISO-8601 dates and times with exactly six fractional digits,
 * timestamps with zone in UTC with a {@code Z}, decimals in plain notation at their full scale,
 * binary as base64. One fixed shape per type, so that loaders can be given one exact pattern.
 */
public final class ValueText {
  /** {@code yyyy-MM-dd}; years outside 0000–9999 carry a sign, as ISO-8601 allows. */
  public static final String DATE_PATTERN = "yyyy-MM-dd";

  /** {@code HH:mm:ss.SSSSSS}. */
  public static final String TIME_PATTERN = "HH:mm:ss.SSSSSS";

  /** Timestamp without zone: {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS}. */
  public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";

  /** Timestamp with zone, always UTC: {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSSX}. */
  public static final String TIMESTAMP_TZ_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSX";

  private static final DateTimeFormatter DATE =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4, 10, SignStyle.EXCEEDS_PAD)
          .appendLiteral('-')
          .appendValue(ChronoField.MONTH_OF_YEAR, 2)
          .appendLiteral('-')
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .toFormatter();
  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
          .toFormatter();
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder().append(DATE).appendLiteral('T').append(TIME).toFormatter();
  private static final DateTimeFormatter TIMESTAMP_TZ =
      new DateTimeFormatterBuilder()
          .append(TIMESTAMP)
          .appendLiteral('Z')
          .toFormatter()
          .withZone(ZoneOffset.UTC);

  private ValueText() {}

  /**
   * The value of a text {@link #format} wrote, as the Java type of its kind; text of another shape
   * (e.g. five fractional digits) is refused, as the reader of a delivered file must.
   */
  public static Object parse(Kind kind, String text) {
    switch (kind) {
      case INT16:
        return Short.valueOf(text);
      case INT32:
        return Integer.valueOf(text);
      case INT64:
        return Long.valueOf(text);
      case FLOAT:
        return Float.valueOf(text);
      case DOUBLE:
        return Double.valueOf(text);
      case DECIMAL:
        return new BigDecimal(text);
      case BOOLEAN:
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException("not a boolean: '" + text + "'");
        }
        return Boolean.valueOf(text);
      case STRING:
        return text;
      case BYTES:
        return Base64.getDecoder().decode(text);
      case DATE:
        return isDate(text, 0) && text.length() == 10
            ? date(text, 0)
            : exactly(DATE, text, LocalDate::from);
      case TIME:
        return isTime(text, 0) && text.length() == 15
            ? time(text, 0)
            : exactly(TIME, text, LocalTime::from);
      case TIMESTAMP:
        return isTimestamp(text) && text.length() == 26
            ? LocalDateTime.of(date(text, 0), time(text, 11))
            : exactly(TIMESTAMP, text, LocalDateTime::from);
      case TIMESTAMP_TZ:
        return isTimestamp(text) && text.length() == 27 && text.charAt(26) == 'Z'
            ? LocalDateTime.of(date(text, 0), time(text, 11)).toInstant(ZoneOffset.UTC)
            : exactly(TIMESTAMP_TZ, text, Instant::from);
    }
    throw new IllegalStateException("unreachable");
  }

  // Fast paths for the shapes of years 0000-9999, where the formatters print no sign: the text is
  // checked digit by digit and the value built directly, which is exact by construction (each
  // field has the fixed width the formatter prints). Any other text goes through the formatters.

  private static boolean isTimestamp(String text) {
    return text.length() >= 26 && isDate(text, 0) && text.charAt(10) == 'T' && isTime(text, 11);
  }

  private static boolean isDate(String text, int at) {
    return text.length() >= at + 10
        && digits(text, at, 4)
        && text.charAt(at + 4) == '-'
        && digits(text, at + 5, 2)
        && text.charAt(at + 7) == '-'
        && digits(text, at + 8, 2);
  }

  private static boolean isTime(String text, int at) {
    return text.length() >= at + 15
        && digits(text, at, 2)
        && text.charAt(at + 2) == ':'
        && digits(text, at + 3, 2)
        && text.charAt(at + 5) == ':'
        && digits(text, at + 6, 2)
        && text.charAt(at + 8) == '.'
        && digits(text, at + 9, 6);
  }

  private static boolean digits(String text, int at, int count) {
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int number(String text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  private static LocalDate date(String text, int at) {
    return LocalDate.of(number(text, at, 4), number(text, at + 5, 2), number(text, at + 8, 2));
  }

  private static LocalTime time(String text, int at) {
    return LocalTime.of(
        number(text, at, 2),
        number(text, at + 3, 2),
        number(text, at + 6, 2),
        number(text, at + 9, 6) * 1_000);
  }

  private static <T> T exactly(
      DateTimeFormatter formatter, String text, java.time.temporal.TemporalQuery<T> query) {
    T value = formatter.parse(text, query);
    if (!formatter.format((java.time.temporal.TemporalAccessor) value).equals(text)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not in the shape lakeroute writes (" + formatter + ")");
    }
    return value;
  }

  /** The text of a non-null value of the given kind. */
  public static String format(Kind kind, Object value) {
    switch (kind) {
      case DECIMAL:
        StringBuilder digits = new StringBuilder(24);
        appendPlain((BigDecimal) value, digits);
        return digits.toString();
      case BYTES:
        return Base64.getEncoder().encodeToString((byte[]) value);
      case DATE:
      case TIME:
      case TIMESTAMP:
      case TIMESTAMP_TZ:
        StringBuilder text = new StringBuilder(27);
        appendTemporal(kind, value, text);
        return text.toString();
      default:
        return value.toString();
    }
  }

  /**
   * Appends {@link BigDecimal#toPlainString()} without its intermediate strings when the unscaled
   * value fits 126 bits, as every DECIMAL(38,s) does; BigInteger's own digits (repeated division of
   * a BigInteger, a string per step) were most of the cost of a wide decimal's text.
   */
  public static void appendPlain(BigDecimal decimal, StringBuilder text) {
    int scale = decimal.scale();
    BigInteger unscaled = decimal.unscaledValue();
    if (scale < 0 || scale > ZEROS.length - 2 || unscaled.bitLength() > 126) {
      text.append(decimal.toPlainString());
      return;
    }
    if (unscaled.signum() < 0) {
      text.append('-');
    }
    int start = text.length();
    appendDigits(unscaled, text);
    if (scale == 0) {
      return;
    }
    int length = text.length() - start;
    if (length > scale) {
      text.insert(text.length() - scale, '.');
    } else {
      text.insert(start, ZEROS, 0, scale - length + 2).setCharAt(start + 1, '.');
    }
  }

  /** "0." and the zeros of a fraction shorter than its scale, as {@code 0.0005}. */
  private static final char[] ZEROS = new char[40];

  static {
    java.util.Arrays.fill(ZEROS, '0');
  }

  private static final long BILLION = 1_000_000_000L;

  /**
   * The digits of |{@code value}| (at most 126 bits): as 4 words of 32 bits, divided by 10^9 until
   * what is left fits a long; each remainder is 9 more digits.
   */
  private static void appendDigits(BigInteger value, StringBuilder text) {
    if (value.bitLength() < 63) {
      text.append(Math.abs(value.longValue()));
      return;
    }
    BigInteger abs = value.abs();
    long low = abs.longValue();
    long high = abs.shiftRight(64).longValue();
    int[] words = {(int) (high >>> 32), (int) high, (int) (low >>> 32), (int) low};
    long[] groups = new long[4];
    int count = 0;
    while (words[0] != 0 || words[1] != 0 || words[2] < 0) {
      long remainder = 0;
      for (int i = 0; i < words.length; i++) {
        long current = (remainder << 32) | (words[i] & 0xFFFF_FFFFL);
        words[i] = (int) (current / BILLION);
        remainder = current % BILLION;
      }
      groups[count++] = remainder;
    }
    text.append(((long) words[2] << 32) | (words[3] & 0xFFFF_FFFFL));
    for (int i = count - 1; i >= 0; i--) {
      for (long place = BILLION / 10; place > 1 && groups[i] < place; place /= 10) {
        text.append('0');
      }
      text.append(groups[i]);
    }
  }

  /** Appends the text {@link #format} gives a non-null date, time or timestamp. */
  public static void appendTemporal(Kind kind, Object value, StringBuilder text) {
    switch (kind) {
      case DATE:
        if (!appendDate((LocalDate) value, text)) {
          text.append(DATE.format((LocalDate) value));
        }
        return;
      case TIME:
        appendTime((LocalTime) value, text);
        return;
      case TIMESTAMP:
        LocalDateTime local = (LocalDateTime) value;
        if (!appendDate(local.toLocalDate(), text)) {
          text.append(TIMESTAMP.format(local));
          return;
        }
        appendTime(local.toLocalTime(), text.append('T'));
        return;
      case TIMESTAMP_TZ:
        Instant instant = (Instant) value;
        LocalDateTime utc =
            LocalDateTime.ofEpochSecond(
                instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (!appendDate(utc.toLocalDate(), text)) {
          text.append(TIMESTAMP_TZ.format(instant));
          return;
        }
        appendTime(utc.toLocalTime(), text.append('T'));
        text.append('Z');
        return;
      default:
        throw new IllegalArgumentException(kind + " is not a date, time or timestamp");
    }
  }

  /**
   * Appends {@code yyyy-MM-dd} for years 0000-9999 and returns true; appends nothing and returns
   * false for other years, which the formatter prints with a sign.
   */
  private static boolean appendDate(LocalDate date, StringBuilder text) {
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return false;
    }
    pad(text, year, 4).append('-');
    pad(text, date.getMonthValue(), 2).append('-');
    pad(text, date.getDayOfMonth(), 2);
    return true;
  }

  private static void appendTime(LocalTime time, StringBuilder text) {
    pad(text, time.getHour(), 2).append(':');
    pad(text, time.getMinute(), 2).append(':');
    pad(text, time.getSecond(), 2).append('.');
    pad(text, time.getNano() / 1_000, 6);
  }

  private static StringBuilder pad(StringBuilder text, int value, int width) {
    for (int limit = 10, digits = 1; digits < width; digits++, limit *= 10) {
      if (value < limit) {
        text.append('0');
      }
    }
    return text.append(value);
  }
}
