package io.lakeroute.fingerprint;

import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Narrows a difference between the files of a run and an engine's rows of it down to the keys that
 * differ, as datafold's data-diff does: rows are put in buckets by the first hex digits of the MD5
 * of their key's text; each level fingerprints the buckets on both sides (the engine by one {@link
 * FingerprintSql#bucketQuery}, lakeroute by reading the files once more), and only the differing
 * buckets are split by one more digit, until they hold few rows; those are then listed on both
 * sides and compared. No row leaves the engine but the few listed; lakeroute keeps one fingerprint
 * per bucket under comparison, at most 16 × {@value ValuesCheck#SHOWN_ROWS}, whatever the rows.
 */
final class KeyBisection {
  /** Rows each side may list: the buckets kept are split until they hold no more. */
  static final int LISTED = 100;

  /** An MD5 has 32 hex digits. */
  private static final int DIGITS = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final FingerprintSql sql;
  private final List<FingerprintColumn> fingerprinted;
  private final UnaryOperator<Fingerprint> comparable;
  private final List<FingerprintColumn> keys;
  private final ValuesCheck.Files files;
  private final Schema schema;
  private final int[] keyIndex;
  private final MessageDigest md5;

  /** Queries run in the engine, for the message. */
  private int queries;

  KeyBisection(
      FingerprintSql sql,
      List<FingerprintColumn> fingerprinted,
      UnaryOperator<Fingerprint> comparable,
      List<FingerprintColumn> keys,
      ValuesCheck.Files files,
      Schema schema) {
    this.sql = sql;
    this.fingerprinted = fingerprinted;
    this.comparable = comparable;
    this.keys = keys;
    this.files = files;
    this.schema = schema;
    this.keyIndex = keys.stream().mapToInt(k -> schema.indexOf(k.name())).toArray();
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no MD5, which fingerprints need", e);
    }
  }

  /** What bisection found: the differing rows, by key, and how many engine queries it took. */
  record Found(List<String> keys, int queries, int digits) {}

  /**
   * The keys whose rows differ between {@code rows} in the engine and the files, at most {@code
   * shownKeys}, each with the values of {@code shown} (the keys first) as each side renders them.
   */
  <E extends Exception> Found find(
      ValuesCheck.Engine<E> engine,
      ValuesCheck.Rows rows,
      List<FingerprintColumn> shown,
      String engineSide,
      int shownKeys)
      throws E, IOException {
    Set<String> within = Set.of();
    for (int length = 1; length <= DIGITS; length++) {
      // The files first: a store that cannot be read again costs no query in the engine.
      Map<String, Fingerprint> inFiles = fileBuckets(length, within);
      Map<String, Fingerprint> inEngine = engineBuckets(engine, rows, length, within);
      TreeSet<String> all = new TreeSet<>(inEngine.keySet());
      all.addAll(inFiles.keySet());
      TreeSet<String> differing = new TreeSet<>();
      long toList = 0;
      for (String bucket : all) {
        Fingerprint a = inEngine.get(bucket);
        Fingerprint b = inFiles.get(bucket);
        if (a == null || b == null || !a.differences(b).isEmpty()) {
          differing.add(bucket);
          toList += Math.max(a == null ? 0 : a.rows(), b == null ? 0 : b.rows());
          if (differing.size() == shownKeys) {
            break;
          }
        }
      }
      if (differing.isEmpty()) {
        return new Found(List.of(), queries, length);
      }
      if (toList <= LISTED || length == DIGITS) {
        return new Found(
            list(engine, rows, length, differing, shown, engineSide, shownKeys), queries, length);
      }
      within = differing;
    }
    throw new IllegalStateException("unreachable");
  }

  private <E extends Exception> Map<String, Fingerprint> engineBuckets(
      ValuesCheck.Engine<E> engine, ValuesCheck.Rows rows, int length, Set<String> within)
      throws E {
    queries++;
    Map<String, Fingerprint> buckets = new HashMap<>();
    for (List<String> row :
        engine.query(
            sql.bucketQuery(rows.from(), fingerprinted, rows.where(), keys, length, within))) {
      buckets.put(
          row.get(0),
          comparable.apply(FingerprintSql.read(row.subList(1, row.size()), fingerprinted)));
    }
    return buckets;
  }

  /** One pass over the files, fingerprinting the rows of the buckets under comparison. */
  private Map<String, Fingerprint> fileBuckets(int length, Set<String> within) throws IOException {
    Map<String, FingerprintAccumulator> buckets = new HashMap<>();
    files.read(
        values -> {
          String bucket = bucket(values);
          if (within.isEmpty() || within.contains(bucket.substring(0, length - 1))) {
            buckets
                .computeIfAbsent(
                    bucket.substring(0, length), b -> FingerprintAccumulator.of(schema))
                .add(values);
          }
        });
    Map<String, Fingerprint> fingerprints = new HashMap<>();
    buckets.forEach(
        (b, accumulator) -> fingerprints.put(b, comparable.apply(accumulator.fingerprint())));
    return fingerprints;
  }

  /**
   * A row's key bucket, all 32 digits: the MD5 of the keys' value digests in hex ({@code -} for
   * NULL), as {@link FingerprintSql#bucketQuery} computes it in the engine.
   */
  String bucket(Object[] values) {
    StringBuilder text = new StringBuilder(32 * keyIndex.length);
    for (int i : keyIndex) {
      text.append(values[i] == null ? "-" : md5Hex(canonical(i, values[i])));
    }
    return md5Hex(text.toString());
  }

  private String canonical(int column, Object value) {
    Schema.FieldType type = schema.getField(column).getType();
    Kind kind = SqlTypeMapping.kindOf(type);
    return Canonical.text(kind, kind == Kind.DECIMAL ? SqlTypeMapping.scale(type) : 0, value);
  }

  private String md5Hex(String text) {
    return HEX.formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Lists the rows of {@code buckets} on both sides and returns, per key that differs, one line:
   * the key, then each shown column whose texts differ, as each side renders it.
   */
  private <E extends Exception> List<String> list(
      ValuesCheck.Engine<E> engine,
      ValuesCheck.Rows rows,
      int length,
      Set<String> buckets,
      List<FingerprintColumn> shown,
      String engineSide,
      int shownKeys)
      throws E, IOException {
    queries++;
    Map<List<String>, Integer> engineRows =
        counted(
            engine.query(
                sql.bucketRows(
                    rows.from(), rows.where(), keys, length, buckets, shown, LISTED + 1)));
    int[] shownIndex = shown.stream().mapToInt(c -> schema.indexOf(c.name())).toArray();
    List<List<String>> fileRows = new ArrayList<>();
    files.read(
        values -> {
          // A key repeated past what the engine lists cannot be compared row by row anyway.
          if (fileRows.size() <= LISTED && buckets.contains(bucket(values).substring(0, length))) {
            List<String> texts = new ArrayList<>(shownIndex.length);
            for (int i : shownIndex) {
              texts.add(values[i] == null ? null : canonical(i, values[i]));
            }
            fileRows.add(texts);
          }
        });
    Map<List<String>, Integer> inFiles = counted(fileRows);
    Map<List<String>, List<String>> onlyEngine = onlyIn(engineRows, inFiles);
    Map<List<String>, List<String>> onlyFiles = onlyIn(inFiles, engineRows);
    Set<List<String>> differingKeys = new TreeSet<>(KeyBisection::compare);
    differingKeys.addAll(onlyEngine.keySet());
    differingKeys.addAll(onlyFiles.keySet());
    List<String> found = new ArrayList<>();
    for (List<String> key : differingKeys) {
      if (found.size() == shownKeys) {
        break;
      }
      found.add(line(key, onlyEngine.get(key), onlyFiles.get(key), shown, engineSide));
    }
    return found;
  }

  private String line(
      List<String> key,
      List<String> engineRow,
      List<String> fileRow,
      List<FingerprintColumn> shown,
      String engineSide) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      line.append(i == 0 ? "" : ", ")
          .append(keys.get(i).name())
          .append(' ')
          .append(ValuesCheck.shownValue(key.get(i)));
    }
    line.append(": ");
    if (engineRow == null || fileRow == null) {
      List<String> row = engineRow == null ? fileRow : engineRow;
      line.append("only ").append(engineRow == null ? "in the files" : engineSide).append(" (");
      for (int i = keys.size(); i < shown.size(); i++) {
        line.append(i == keys.size() ? "" : ", ")
            .append(shown.get(i).name())
            .append(' ')
            .append(ValuesCheck.shownValue(row.get(i)));
      }
      return line.append(')').toString();
    }
    List<String> columns = new ArrayList<>();
    for (int i = keys.size(); i < shown.size(); i++) {
      if (!Objects.equals(engineRow.get(i), fileRow.get(i))) {
        columns.add(
            shown.get(i).name()
                + " "
                + ValuesCheck.shownValue(engineRow.get(i))
                + " "
                + engineSide
                + ", "
                + ValuesCheck.shownValue(fileRow.get(i))
                + " in the files");
      }
    }
    return line.append(String.join("; ", columns)).toString();
  }

  private static Map<List<String>, Integer> counted(List<List<String>> rows) {
    Map<List<String>, Integer> counted = new LinkedHashMap<>();
    for (List<String> row : rows) {
      counted.merge(row, 1, Integer::sum);
    }
    return counted;
  }

  /** The rows of {@code side} that {@code other} lacks (or holds fewer times), by key. */
  private Map<List<String>, List<String>> onlyIn(
      Map<List<String>, Integer> side, Map<List<String>, Integer> other) {
    Map<List<String>, List<String>> byKey = new LinkedHashMap<>();
    side.forEach(
        (row, count) -> {
          if (count > other.getOrDefault(row, 0)) {
            byKey.putIfAbsent(row.subList(0, keys.size()), row);
          }
        });
    return byKey;
  }

  /** Keys in a stable order, NULL first. */
  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      int c = x == null ? (y == null ? 0 : -1) : (y == null ? 1 : x.compareTo(y));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
