package io.lakeroute.formats;

import io.lakeroute.query.SqlTypeMapping.Kind;
import java.math.BigDecimal;
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
        return exactly(DATE, text, LocalDate::from);
      case TIME:
        return exactly(TIME, text, LocalTime::from);
      case TIMESTAMP:
        return exactly(TIMESTAMP, text, LocalDateTime::from);
      case TIMESTAMP_TZ:
        return exactly(TIMESTAMP_TZ, text, Instant::from);
    }
    throw new IllegalStateException("unreachable");
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
        return ((BigDecimal) value).toPlainString();
      case BYTES:
        return Base64.getEncoder().encodeToString((byte[]) value);
      case DATE:
        return DATE.format((LocalDate) value);
      case TIME:
        return TIME.format((LocalTime) value);
      case TIMESTAMP:
        return TIMESTAMP.format((LocalDateTime) value);
      case TIMESTAMP_TZ:
        return TIMESTAMP_TZ.format((Instant) value);
      default:
        return value.toString();
    }
  }
}
