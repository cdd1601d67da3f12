package io.lakeroute.formats;

import java.math.BigDecimal;
import java.time.Instant;

/** Binary encodings shared by the Parquet and Avro sinks. */
final class Decimals {
  private Decimals() {}

  /** Bytes of a two's-complement integer that holds every unscaled value of this precision. */
  static int bytesFor(int precision) {
    // 10^p needs log2(10^p) + 1 sign bit.
    return (int) Math.ceil((precision * Math.log(10) / Math.log(2) + 1) / 8);
  }

  /** The unscaled value, big-endian two's complement, sign-extended to {@code length} bytes. */
  static byte[] fixedBytes(BigDecimal value, int length) {
    byte[] unscaled = value.unscaledValue().toByteArray();
    if (unscaled.length == length) {
      return unscaled;
    }
    if (unscaled.length > length) {
      throw new IllegalArgumentException(value + " does not fit in " + length + " bytes");
    }
    byte[] fixed = new byte[length];
    byte pad = (byte) (value.signum() < 0 ? -1 : 0);
    int offset = length - unscaled.length;
    for (int i = 0; i < offset; i++) {
      fixed[i] = pad;
    }
    System.arraycopy(unscaled, 0, fixed, offset, unscaled.length);
    return fixed;
  }

  /** Microseconds since the epoch, exact (values were checked to hold whole microseconds). */
  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }
}
