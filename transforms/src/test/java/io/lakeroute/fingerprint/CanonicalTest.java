package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.query.SqlTypeMapping.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The canonical text of each type, as docs/fingerprints.md specifies it. */
class CanonicalTest {
  private static String text(Kind kind, Object value) {
    return Canonical.text(kind, 0, value);
  }

  @Test
  void integersAreDecimalDigits() {
    assertThat(text(Kind.INT16, Short.MIN_VALUE), equalTo("-32768"));
    assertThat(text(Kind.INT32, 0), equalTo("0"));
    assertThat(text(Kind.INT64, Long.MIN_VALUE), equalTo("-9223372036854775808"));
  }

  @Test
  void decimalsArePlainAtTheColumnsScale() {
    assertThat(Canonical.text(Kind.DECIMAL, 10, new BigDecimal("0E-10")), equalTo("0.0000000000"));
    assertThat(Canonical.text(Kind.DECIMAL, 2, new BigDecimal("1.5")), equalTo("1.50"));
    assertThat(Canonical.text(Kind.DECIMAL, 2, new BigDecimal("-0.00")), equalTo("0.00"));
    assertThat(
        Canonical.text(
            Kind.DECIMAL, 10, new BigDecimal("-1234567890123456789012345678.0123456789")),
        equalTo("-1234567890123456789012345678.0123456789"));
    // More decimals than the scale are not rounded away: the value differs from any at the scale.
    assertThat(Canonical.text(Kind.DECIMAL, 2, new BigDecimal("1.505")), equalTo("1.505"));
  }

  @Test
  void doublesAreTheirExactBinaryValue() {
    assertThat(text(Kind.DOUBLE, 1.0), equalTo("4503599627370496p-52"));
    assertThat(text(Kind.DOUBLE, -1.5), equalTo("-6755399441055744p-52"));
    assertThat(text(Kind.DOUBLE, 0.1), equalTo("7205759403792794p-56"));
    assertThat(text(Kind.DOUBLE, Double.MAX_VALUE), equalTo("9007199254740991p971"));
    assertThat(text(Kind.DOUBLE, Double.MIN_VALUE), equalTo("4503599627370496p-1126"));
    assertThat(text(Kind.DOUBLE, Double.MIN_NORMAL), equalTo("4503599627370496p-1074"));
    assertThat(text(Kind.DOUBLE, Double.NaN), equalTo("NaN"));
    assertThat(text(Kind.DOUBLE, Double.POSITIVE_INFINITY), equalTo("Infinity"));
    assertThat(text(Kind.DOUBLE, Double.NEGATIVE_INFINITY), equalTo("-Infinity"));
    assertThat(text(Kind.DOUBLE, 0.0), equalTo("0"));
    assertThat(text(Kind.DOUBLE, -0.0), equalTo("0"));
  }

  @Test
  void aFloatIsTheDoubleItWidensTo() {
    for (float f : new float[] {0.1f, -1.5f, Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL}) {
      assertThat(text(Kind.FLOAT, f), equalTo(text(Kind.DOUBLE, (double) f)));
    }
  }

  @Test
  void everyDoubleReadsBackFromItsText() {
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 100_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      if (Double.isNaN(value) || Double.isInfinite(value) || value == 0) {
        continue;
      }
      String text = text(Kind.DOUBLE, value);
      int p = text.indexOf('p');
      double back =
          Math.scalb(
              (double) Long.parseLong(text.substring(0, p)),
              Integer.parseInt(text.substring(p + 1)));
      assertThat(text, back, equalTo(value));
    }
  }

  @Test
  void otherTypes() {
    assertThat(text(Kind.BOOLEAN, true), equalTo("true"));
    assertThat(text(Kind.STRING, ""), equalTo(""));
    assertThat(text(Kind.STRING, "東京 🚀\n"), equalTo("東京 🚀\n"));
    assertThat(
        text(Kind.BYTES, new byte[] {0, 0x7f, (byte) 0x80, (byte) 0xff}), equalTo("007f80ff"));
    assertThat(text(Kind.BYTES, new byte[0]), equalTo(""));
    assertThat(text(Kind.TIME, LocalTime.of(0, 0, 0, 1_000)), equalTo("00:00:00.000001"));
  }

  @Test
  void datesAreIsoWithAstronomicalYears() {
    assertThat(text(Kind.DATE, LocalDate.of(1582, 10, 10)), equalTo("1582-10-10"));
    assertThat(text(Kind.DATE, LocalDate.of(1, 1, 1)), equalTo("0001-01-01"));
    // 1 BC is year 0, 2 BC year -1.
    assertThat(text(Kind.DATE, LocalDate.of(0, 12, 31)), equalTo("0000-12-31"));
    assertThat(text(Kind.DATE, LocalDate.of(-1, 3, 1)), equalTo("-0001-03-01"));
  }

  @Test
  void timestampsAreMicrosecondsFromTheEpoch() {
    assertThat(text(Kind.TIMESTAMP, LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000)), equalTo("1"));
    assertThat(
        text(Kind.TIMESTAMP, LocalDateTime.of(1, 1, 1, 0, 0)), equalTo("-62135596800000000"));
    assertThat(
        text(Kind.TIMESTAMP_TZ, Instant.parse("1969-12-31T23:59:59.999999Z")), equalTo("-1"));
    assertThat(
        text(Kind.TIMESTAMP_TZ, Instant.parse("2024-06-30T22:00:00.500Z")),
        equalTo("1719784800500000"));
  }
}
