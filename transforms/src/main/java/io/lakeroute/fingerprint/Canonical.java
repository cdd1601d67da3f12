package io.lakeroute.fingerprint;

import io.lakeroute.formats.ValueText;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;

/**
 * The canonical text of a value, version {@value #VERSION} of docs/fingerprints.md: the one text
 * every engine renders the same way for the same value, so that an MD5 of it can be compared across
 * Java, PostgreSQL, Spark and the warehouses. NULL has no text (it is counted, not hashed).
 */
public final class Canonical {
  /** The version of the canonical form, recorded next to every fingerprint. */
  public static final int VERSION = 1;

  private static final long MANTISSA_BITS = 52;
  private static final long FRACTION_MASK = (1L << MANTISSA_BITS) - 1;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private Canonical() {}

  /** The canonical text of a non-null value of {@code kind}; {@code scale} is a decimal's. */
  public static String text(Kind kind, int scale, Object value) {
    StringBuilder text = new StringBuilder();
    append(kind, scale, value, text);
    return text.toString();
  }

  /**
   * Appends the canonical text of a non-null value. Values are the Java types of the Beam schema
   * lakeroute reads ({@code Short}, …, {@code BigDecimal}, {@code byte[]}, {@code LocalDate},
   * {@code LocalTime}, {@code LocalDateTime}, {@code Instant}).
   */
  public static void append(Kind kind, int scale, Object value, StringBuilder text) {
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        text.append(((Number) value).longValue());
        return;
      case DECIMAL:
        BigDecimal decimal = (BigDecimal) value;
        // A value read at another scale is compared at the column's: 1.5 and 1.50 are one value
        // of a DECIMAL(p,2) column, 1.505 is not, and is left unrounded so that it differs.
        ValueText.appendPlain(
            decimal.scale() < scale ? decimal.setScale(scale, RoundingMode.UNNECESSARY) : decimal,
            text);
        return;
      case FLOAT:
        appendDouble(((Float) value).doubleValue(), text);
        return;
      case DOUBLE:
        appendDouble((Double) value, text);
        return;
      case BOOLEAN:
        text.append(((Boolean) value) ? "true" : "false");
        return;
      case STRING:
        text.append((String) value);
        return;
      case BYTES:
        appendHex((byte[]) value, text);
        return;
      case DATE:
      case TIME:
        ValueText.appendTemporal(kind, value, text);
        return;
      case TIMESTAMP:
        LocalDateTime local = (LocalDateTime) value;
        text.append(
            Math.addExact(
                Math.multiplyExact(local.toLocalDate().toEpochDay(), MICROS_PER_DAY),
                local.toLocalTime().getLong(ChronoField.MICRO_OF_DAY)));
        return;
      case TIMESTAMP_TZ:
        Instant instant = (Instant) value;
        text.append(
            Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000));
        return;
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * A double as {@code [-]Mp[-]E} with value M × 2^E and M an integer in [2^52, 2^53): the exact
   * binary value, which every engine can compute with exact IEEE operations only (see
   * docs/fingerprints.md). NaN, {@code Infinity} and {@code -Infinity} are named; both zeros are
   * {@code 0}, as every engine compares them equal.
   */
  static void appendDouble(double value, StringBuilder text) {
    if (Double.isNaN(value)) {
      text.append("NaN");
      return;
    }
    if (Double.isInfinite(value)) {
      text.append(value > 0 ? "Infinity" : "-Infinity");
      return;
    }
    if (value == 0) {
      text.append('0');
      return;
    }
    long bits = Double.doubleToRawLongBits(value);
    int biased = (int) ((bits >>> MANTISSA_BITS) & 0x7FF);
    long fraction = bits & FRACTION_MASK;
    long mantissa;
    int exponent;
    if (biased == 0) {
      // Subnormal: shift the highest set bit up to bit 52.
      int shift = Long.numberOfLeadingZeros(fraction) - 11;
      mantissa = fraction << shift;
      exponent = -1022 - shift;
    } else {
      mantissa = fraction | (1L << MANTISSA_BITS);
      exponent = biased - 1023;
    }
    if (value < 0) {
      text.append('-');
    }
    text.append(mantissa).append('p').append(exponent - MANTISSA_BITS);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static void appendHex(byte[] bytes, StringBuilder text) {
    for (byte b : bytes) {
      text.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
  }
}
