package io.lakeroute.fingerprint;

import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.math.BigInteger;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Adds rows to a fingerprint as they stream by, in one pass, with buffers reused from row to row:
 * per value one canonical text, its UTF-8 bytes and one MD5; per row one more MD5 over the values'
 * digests. Not thread-safe: one per partition, file or bundle, merged through {@link
 * #fingerprint()} and {@link Fingerprint#merge}.
 *
 * <p>It can also take the <em>check</em> of the rows ({@link #check()}): the same sums over the
 * same canonical texts, with a 64-bit hash only lakeroute computes instead of MD5, at about a tenth
 * of MD5's cost. The check proves, within lakeroute, that two copies hold the same values (the rows
 * as read and the file read back: docs/fingerprints.md); the fingerprint is what engines reproduce.
 * A check carries version {@link #CHECK_VERSION}, so it is never compared with a fingerprint.
 */
public final class FingerprintAccumulator {
  /** The 60 low bits of the first 8 bytes of an MD5: hex digits 2 to 16 of its 32. */
  static final long MASK_60 = 0x0FFF_FFFF_FFFF_FFFFL;

  /** The version of a check: never a version of the canonical form. */
  public static final int CHECK_VERSION = -Canonical.VERSION;

  /** FNV-1a's 64-bit prime: multiplying by it (odd) is a bijection, so no word change is lost. */
  private static final long PRIME = 0x100000001B3L;

  /** FNV-1a's 64-bit offset basis, the check hash's seed with the text's length. */
  private static final long SEED = 0xCBF29CE484222325L;

  /** What a NULL folds into a row's check, so that a NULL and a value never hash alike. */
  private static final long NULL_CHECK = 0x9E3779B97F4A7C15L;

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final List<String> names;
  private final Kind[] kinds;
  private final int[] scales;
  private final long[] nulls;

  /** The sums, 128 bits each as low and high words: one per column, the row sum last. */
  private final long[] sumLow;

  private final long[] sumHigh;
  private long rows;

  private final boolean fingerprints;

  /** The check's sums, as {@link #sumLow} and {@link #sumHigh}; null without a check. */
  private final long[] checkLow;

  private final long[] checkHigh;

  /** The current row's check hash, folded value by value. */
  private long rowCheck;

  private char[] chars = new char[64];

  private final Schema schema;
  private final MessageDigest md5 = md5();
  private final StringBuilder text = new StringBuilder(64);
  private byte[] utf8 = new byte[256];
  private final byte[] digest = new byte[16];
  private final byte[] rowText;
  private int rowLength;

  private FingerprintAccumulator(
      Schema schema,
      List<String> names,
      Kind[] kinds,
      int[] scales,
      boolean fingerprints,
      boolean check) {
    this.schema = schema;
    this.fingerprints = fingerprints;
    this.checkLow = check ? new long[kinds.length + 1] : null;
    this.checkHigh = check ? new long[kinds.length + 1] : null;
    this.names = List.copyOf(names);
    this.kinds = kinds;
    this.scales = scales;
    this.nulls = new long[kinds.length];
    this.sumLow = new long[kinds.length + 1];
    this.sumHigh = new long[kinds.length + 1];
    this.rowText = new byte[32 * kinds.length];
  }

  /**
   * An accumulator of the fingerprint of rows of {@code schema} (a schema made by {@link
   * SqlTypeMapping}).
   */
  public static FingerprintAccumulator of(Schema schema) {
    return of(schema, true, false);
  }

  /** An accumulator of both the fingerprint and the check, from one canonical text per value. */
  public static FingerprintAccumulator fingerprintAndCheck(Schema schema) {
    return of(schema, true, true);
  }

  /** An accumulator of the check alone: no MD5 is computed. */
  public static FingerprintAccumulator checkOnly(Schema schema) {
    return of(schema, false, true);
  }

  private static FingerprintAccumulator of(Schema schema, boolean fingerprints, boolean check) {
    int width = schema.getFieldCount();
    Kind[] kinds = new Kind[width];
    int[] scales = new int[width];
    List<String> names = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      Schema.FieldType type = schema.getField(i).getType();
      kinds[i] = SqlTypeMapping.kindOf(type);
      scales[i] = kinds[i] == Kind.DECIMAL ? SqlTypeMapping.scale(type) : 0;
      names.add(schema.getField(i).getName());
    }
    return new FingerprintAccumulator(schema, names, kinds, scales, fingerprints, check);
  }

  /** The schema of the rows it takes. */
  public Schema schema() {
    return schema;
  }

  public void add(Row row) {
    rowLength = 0;
    rowCheck = 0;
    for (int i = 0; i < kinds.length; i++) {
      addValue(i, row.getValue(i));
    }
    endRow();
  }

  /** Adds a row given as its values, in schema order. */
  public void add(Object[] values) {
    rowLength = 0;
    rowCheck = 0;
    for (int i = 0; i < kinds.length; i++) {
      addValue(i, values[i]);
    }
    endRow();
  }

  private void addValue(int column, Object value) {
    if (value == null) {
      nulls[column]++;
      rowText[rowLength++] = '-';
      rowCheck = (rowCheck ^ NULL_CHECK) * PRIME;
      return;
    }
    text.setLength(0);
    Canonical.append(kinds[column], scales[column], value, text);
    if (checkLow != null) {
      long hash = checkHash();
      rowCheck = (rowCheck ^ hash) * PRIME;
      add(checkLow, checkHigh, column, hash & MASK_60);
    }
    if (!fingerprints) {
      return;
    }
    int length = encodeUtf8();
    md5.update(utf8, 0, length);
    add(sumLow, sumHigh, column, digest());
    for (byte b : digest) {
      rowText[rowLength++] = HEX[(b >> 4) & 0xF];
      rowText[rowLength++] = HEX[b & 0xF];
    }
  }

  private void endRow() {
    rows++;
    if (checkLow != null) {
      add(checkLow, checkHigh, kinds.length, mix(rowCheck) & MASK_60);
    }
    if (!fingerprints) {
      return;
    }
    md5.update(rowText, 0, rowLength);
    add(sumLow, sumHigh, kinds.length, digest());
  }

  /** Adds a 60-bit {@code hash} to sum {@code i}, carrying into its high word. */
  private static void add(long[] low, long[] high, int i, long hash) {
    long sum = low[i] + hash;
    if (Long.compareUnsigned(sum, hash) < 0) {
      high[i]++;
    }
    low[i] = sum;
  }

  /**
   * The check hash of {@link #text}: FNV-1a over its UTF-16 code units four at a time, seeded with
   * the length, then MurmurHash3's finalizer, so that every input bit reaches every output bit.
   */
  private long checkHash() {
    int length = text.length();
    if (chars.length < length + 3) {
      chars = new char[Math.max(length + 3, chars.length * 2)];
    }
    text.getChars(0, length, chars, 0);
    chars[length] = 0;
    chars[length + 1] = 0;
    chars[length + 2] = 0;
    long hash = SEED ^ length;
    for (int i = 0; i < length; i += 4) {
      long word =
          chars[i]
              | (long) chars[i + 1] << 16
              | (long) chars[i + 2] << 32
              | (long) chars[i + 3] << 48;
      hash = (hash ^ word) * PRIME;
    }
    return mix(hash);
  }

  /** MurmurHash3's 64-bit finalizer. */
  private static long mix(long hash) {
    hash ^= hash >>> 33;
    hash *= 0xFF51AFD7ED558CCDL;
    hash ^= hash >>> 33;
    hash *= 0xC4CEB9FE1A85EC53L;
    return hash ^ (hash >>> 33);
  }

  /** Finishes the MD5 into {@link #digest} and returns its 60-bit integer. */
  private long digest() {
    try {
      md5.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (digest[i] & 0xFF);
    }
    return value & MASK_60;
  }

  /** {@link #text} as UTF-8 into {@link #utf8}; a lone surrogate becomes '?', as in String. */
  private int encodeUtf8() {
    int length = text.length();
    if (utf8.length < length * 3) {
      utf8 = new byte[Math.max(length * 3, utf8.length * 2)];
    }
    int n = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        utf8[n++] = (byte) c;
      } else if (c < 0x800) {
        utf8[n++] = (byte) (0xC0 | (c >> 6));
        utf8[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        utf8[n++] = (byte) (0xF0 | (cp >> 18));
        utf8[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        utf8[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        utf8[n++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        utf8[n++] = '?';
      } else {
        utf8[n++] = (byte) (0xE0 | (c >> 12));
        utf8[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        utf8[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return n;
  }

  /** The rows added so far. */
  public long rows() {
    return rows;
  }

  /** The fingerprint of the rows added so far. */
  public Fingerprint fingerprint() {
    if (!fingerprints) {
      throw new IllegalStateException("This accumulator takes the check only");
    }
    return sums(Canonical.VERSION, sumLow, sumHigh);
  }

  /** The check of the rows added so far. */
  public Fingerprint check() {
    if (checkLow == null) {
      throw new IllegalStateException("This accumulator takes no check");
    }
    return sums(CHECK_VERSION, checkLow, checkHigh);
  }

  private Fingerprint sums(int version, long[] low, long[] high) {
    List<Fingerprint.Column> columns = new ArrayList<>(kinds.length);
    for (int i = 0; i < kinds.length; i++) {
      columns.add(new Fingerprint.Column(names.get(i), nulls[i], sum(high[i], low[i])));
    }
    int row = kinds.length;
    return new Fingerprint(version, rows, sum(high[row], low[row]), columns);
  }

  private static BigInteger sum(long high, long low) {
    BigInteger lowBits = BigInteger.valueOf(low >>> 1).shiftLeft(1).or(BigInteger.valueOf(low & 1));
    return BigInteger.valueOf(high).shiftLeft(64).or(lowBits);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no MD5, which fingerprints need", e);
    }
  }
}
