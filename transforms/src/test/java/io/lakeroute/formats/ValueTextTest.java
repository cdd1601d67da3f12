package io.lakeroute.formats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dates, times and timestamps as text: the hand-written fast paths for years 0000-9999 give exactly
 * what the ISO formatters give, and parse only that shape; other years go through the formatters.
 */
class ValueTextTest {
  private static final DateTimeFormatter DATE =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4, 10, SignStyle.EXCEEDS_PAD)
          .appendPattern("-MM-dd")
          .toFormatter();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private static void roundTrips(Kind kind, Object value, String expected) {
    String text = ValueText.format(kind, value);
    assertThat(value.toString(), text, equalTo(expected));
    assertThat(text, ValueText.parse(kind, text), equalTo(value));
  }

  @Test
  void everyYearAndTimeOfDayPrintsAsTheFormatterPrintsIt() {
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < 100_000; i++) {
      LocalDate date = LocalDate.ofEpochDay(random.nextLong(-800_000, 3_000_000));
      LocalTime time = LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000L) * 1_000);
      LocalDateTime local = LocalDateTime.of(date, time);
      String dateText = DATE.format(date);
      String timestampText = dateText + "T" + TIME.format(time);
      roundTrips(Kind.DATE, date, dateText);
      roundTrips(Kind.TIME, time, TIME.format(time));
      roundTrips(Kind.TIMESTAMP, local, timestampText);
      roundTrips(Kind.TIMESTAMP_TZ, local.toInstant(ZoneOffset.UTC), timestampText + "Z");
    }
  }

  @Test
  void theEdgesOfTheFastPathAndBeyond() {
    roundTrips(Kind.DATE, LocalDate.of(0, 1, 1), "0000-01-01");
    roundTrips(Kind.DATE, LocalDate.of(9999, 12, 31), "9999-12-31");
    roundTrips(Kind.DATE, LocalDate.of(-1, 12, 31), "-0001-12-31");
    roundTrips(Kind.DATE, LocalDate.of(10000, 1, 1), "+10000-01-01");
    roundTrips(Kind.TIME, LocalTime.of(23, 59, 59, 999_999_000), "23:59:59.999999");
    roundTrips(
        Kind.TIMESTAMP_TZ, Instant.parse("-0044-03-15T12:00:00Z"), "-0044-03-15T12:00:00.000000Z");
    // Nanoseconds below a microsecond are not written, as the formatter does not write them.
    assertThat(
        ValueText.format(Kind.TIME, LocalTime.of(1, 2, 3, 456_789_999)),
        equalTo("01:02:03.456789"));
  }

  @Test
  void textOfAnotherShapeOrAnImpossibleValueIsRefused() {
    for (String text :
        new String[] {"2024-1-01", "2024-02-30", "2024-13-01", "20240101", "2024-01-01 "}) {
      assertThrows(RuntimeException.class, () -> ValueText.parse(Kind.DATE, text), text);
    }
    for (String text : new String[] {"24:00:00.000000", "12:00:00.00000", "12:00:00"}) {
      assertThrows(RuntimeException.class, () -> ValueText.parse(Kind.TIME, text), text);
    }
    for (String text :
        new String[] {"2024-01-01 12:00:00.000000", "2024-01-01T12:00:00.000000+01"}) {
      assertThrows(RuntimeException.class, () -> ValueText.parse(Kind.TIMESTAMP_TZ, text), text);
    }
  }

  @Test
  void plainDecimalsAreBigDecimalsPlainStringAtEveryWidthAndScale() {
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < 50_000; i++) {
      int digits = 1 + random.nextInt(40);
      StringBuilder unscaled = new StringBuilder(random.nextBoolean() ? "-" : "");
      for (int d = 0; d < digits; d++) {
        unscaled.append((char) ('0' + random.nextInt(10)));
      }
      int scale = random.nextInt(-3, 45);
      BigDecimal value = new BigDecimal(new java.math.BigInteger(unscaled.toString()), scale);
      StringBuilder text = new StringBuilder("x");
      ValueText.appendPlain(value, text);
      assertThat(value + " scale " + scale, text.toString(), equalTo("x" + value.toPlainString()));
    }
    java.math.BigInteger two = java.math.BigInteger.TWO;
    for (java.math.BigInteger edge :
        List.of(
            two.pow(63).subtract(java.math.BigInteger.ONE),
            two.pow(63),
            two.pow(64).subtract(java.math.BigInteger.ONE),
            two.pow(64),
            two.pow(126).subtract(java.math.BigInteger.ONE),
            two.pow(126),
            java.math.BigInteger.TEN.pow(38).subtract(java.math.BigInteger.ONE),
            java.math.BigInteger.TEN.pow(30),
            java.math.BigInteger.TEN.pow(27).add(java.math.BigInteger.valueOf(7)))) {
      for (java.math.BigInteger unscaled : List.of(edge, edge.negate())) {
        for (int scale : new int[] {0, 1, 9, 10, 38}) {
          BigDecimal value = new BigDecimal(unscaled, scale);
          StringBuilder text = new StringBuilder();
          ValueText.appendPlain(value, text);
          assertThat(value + " scale " + scale, text.toString(), equalTo(value.toPlainString()));
        }
      }
    }
  }
}
