package io.lakeroute.fingerprint;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.FileValues;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves the values of one hop in the hop's own engine (docs/fingerprints.md): the fingerprint of
 * the run's rows where the hop holds them, one {@link FingerprintSql#query}, against the run's
 * fingerprint in the manifest. A column the engine cannot render canonically is left out and named,
 * never fingerprinted wrongly; the row sum, which covers every column, is then not compared.
 *
 * <p>On a difference the check narrows it down where the engine also holds the run's rows as the
 * hop's load read them from the files (a staging table, a view over the files): it fingerprints
 * those too, which tells a load that changed values as it read the files from a later statement
 * that changed them; in the latter case it lists up to {@value #SHOWN_ROWS} rows of each side that
 * the other lacks, with the key columns and the differing columns as this engine renders them.
 * Where the engine holds no such copy, or the load already changed it, a check {@link #withFiles}
 * bisects on the key against the files themselves ({@link KeyBisection}).
 */
public final class ValuesCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ValuesCheck.class);

  /** How many differing rows of each side a message shows. */
  public static final int SHOWN_ROWS = 5;

  /** The longest value text a message shows. */
  private static final int SHOWN_TEXT = 80;

  /** Runs one query in the hop's engine; every cell as text (null for NULL). */
  @FunctionalInterface
  public interface Engine<E extends Exception> {
    List<List<String>> query(String sql) throws E;
  }

  /**
   * The run's rows as its files hold them, values in the manifest's column order (the array is
   * reused from row to row); every call reads them all again.
   */
  @FunctionalInterface
  public interface Files {
    void read(FileValues.ValuesConsumer rows) throws IOException;

    /** Every file of {@code manifest}, read through Beam's filesystems, as the read-back does. */
    static Files of(Manifest manifest) {
      return rows -> {
        FormatSpec spec = manifest.formatSpec();
        Schema schema = manifest.schema();
        for (Manifest.FileEntry file : manifest.files()) {
          FileValues.read(spec, schema, FileSystems.matchNewResource(file.uri(), false), rows);
        }
      };
    }
  }

  /** Rows in the engine: a table (or view) and a condition selecting the run's, or null. */
  public record Rows(String description, String from, String where) {}

  /** What a hop showed: its engine, its fingerprint and the columns left out, with why. */
  public record Result(String engine, Fingerprint fingerprint, Map<String, String> leftOut)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Result {
      leftOut = Map.copyOf(leftOut);
    }

    /** No fingerprint: the manifest has none (fingerprints were off when it was written). */
    public static Result notChecked(String engine) {
      return new Result(engine, null, Map.of());
    }

    /**
     * Sets lakeroute gauge {@code gauge} to the number of columns found equal, when compared, so
     * that the run summary can show it; warns of the columns left out.
     */
    public void report(String hop, String gauge) {
      if (!checked()) {
        return;
      }
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, gauge).set(fingerprint.columns().size());
      if (!leftOut.isEmpty()) {
        LOG.warn("Values at {}: {}", hop, summary());
      }
    }

    /** Whether the values were compared (and so found equal). */
    public boolean checked() {
      return fingerprint != null;
    }

    /**
     * One line for a run summary: {@code fingerprints of 12 columns equal} with the columns left
     * out, or why nothing was compared.
     */
    public String summary() {
      if (!checked()) {
        return "values not compared: the manifest has no fingerprints";
      }
      String line = "fingerprints of " + fingerprint.columns().size() + " columns equal";
      if (!leftOut.isEmpty()) {
        line +=
            "; left out: "
                + leftOut.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
      }
      return line;
    }
  }

  private final FingerprintSql sql;
  private final List<FingerprintColumn> columns;
  private final Rows removed;
  private final Files files;
  private final List<FingerprintColumn> fingerprinted = new ArrayList<>();
  private final Map<String, String> leftOut = new LinkedHashMap<>();

  private ValuesCheck(
      FingerprintSql sql, List<FingerprintColumn> columns, Rows removed, Files files) {
    this.sql = sql;
    this.columns = List.copyOf(columns);
    this.removed = removed;
    this.files = files;
    for (FingerprintColumn column : columns) {
      sql.unsupported(column)
          .ifPresentOrElse(why -> leftOut.put(column.name(), why), () -> fingerprinted.add(column));
    }
  }

  /** The check of the run's columns, in the manifest's order, as the hop's table holds them. */
  public static ValuesCheck of(FingerprintSql sql, List<FingerprintColumn> columns) {
    return new ValuesCheck(sql, columns, null, null);
  }

  /**
   * This check where the hop holds the files' rows less {@code removed}, rows of the run in the
   * same engine that the hop deletes rather than keeps (a merge's soft deletes): the expected
   * fingerprint is the files' less theirs. A removed row whose values the load changed still shows,
   * as its columns then differ from the files'.
   */
  public ValuesCheck without(Rows removed) {
    return new ValuesCheck(sql, columns, removed, files);
  }

  /**
   * This check bisecting a difference on the key against {@code files} where the engine holds no
   * copy of the files' rows that it could compare with (no staging copy, or the load already
   * changed it): docs/fingerprints.md, bisection.
   */
  public ValuesCheck withFiles(Files files) {
    return new ValuesCheck(sql, columns, removed, files);
  }

  /** The columns fingerprinted: every column the engine can render canonically. */
  public List<FingerprintColumn> fingerprinted() {
    return List.copyOf(fingerprinted);
  }

  /** The columns left out, each with why. */
  public Map<String, String> leftOut() {
    return Map.copyOf(leftOut);
  }

  /** The fingerprint query of {@code rows}. */
  public String query(Rows rows) {
    return sql.query(rows.from(), fingerprinted, rows.where());
  }

  /**
   * Fingerprints {@code rows} in the engine and compares with {@code manifest}'s fingerprint.
   *
   * @param reference the run's rows as the load read them from the files, in the same engine, for
   *     narrowing a difference down; null when the engine holds none
   * @param keys the columns that identify a row (the merge keys), shown first for each differing
   *     row; when there are none, the run's partition column, else its first column, which usually
   *     identify a row
   * @param consequence what a message adds after the difference: what was kept, what to do
   * @throws ReconciliationException naming {@code hop}, the rows and the differing columns
   */
  public <E extends Exception> Result verify(
      Engine<E> engine,
      Manifest manifest,
      ReconciliationException.Hop hop,
      Rows rows,
      Rows reference,
      List<String> keys,
      String consequence)
      throws E {
    if (manifest.fingerprint() == null) {
      return Result.notChecked(sql.engine());
    }
    Fingerprint expected = comparable(manifest.fingerprint());
    if (removed != null) {
      expected = expected.minus(comparable(fingerprint(engine, removed)));
    }
    Fingerprint actual = fingerprint(engine, rows);
    List<String> differences = expected.differences(comparable(actual));
    if (differences.isEmpty()) {
      return new Result(sql.engine(), actual, leftOut);
    }
    StringBuilder message =
        new StringBuilder("Values differ between the files of run ")
            .append(manifest.runId())
            .append(" and ")
            .append(rows.description())
            .append(": ")
            .append(String.join(", ", differences))
            .append(" (fingerprints computed by ")
            .append(sql.engine())
            .append(", docs/fingerprints.md).");
    String partitionColumn = manifest.partitionColumn();
    List<String> shownKeys =
        !keys.isEmpty()
            ? keys
            : List.of(partitionColumn != null ? partitionColumn : manifest.columns().get(0).name());
    String keyOrigin =
        !keys.isEmpty()
            ? "the merge keys"
            : partitionColumn != null ? "the partition column" : "the query's first column";
    boolean loadChanged = true;
    if (reference != null) {
      List<String> loaded = expected.differences(comparable(fingerprint(engine, reference)));
      loadChanged = !loaded.isEmpty();
      message
          .append(' ')
          .append(
              loadChanged
                  ? reference.description()
                      + " already differs from the files in "
                      + String.join(", ", loaded)
                      + ": the load changed the values as it read the files."
                  : narrow(engine, differences, rows, reference, shownKeys));
    }
    if (loadChanged && files != null) {
      message.append(bisect(engine, manifest, differences, rows, shownKeys, keyOrigin));
    }
    if (!leftOut.isEmpty()) {
      message
          .append(" Not compared (no canonical form in ")
          .append(sql.engine())
          .append("): ")
          .append(String.join(", ", leftOut.keySet()))
          .append('.');
    }
    throw new ReconciliationException(hop, message.append(' ').append(consequence).toString());
  }

  /**
   * Bisects on the key against the files (see {@link KeyBisection}): a sentence naming up to
   * {@value #SHOWN_ROWS} keys whose rows differ, with the differing values as each side renders
   * them, or saying why the difference could not be narrowed.
   */
  private <E extends Exception> String bisect(
      Engine<E> engine,
      Manifest manifest,
      List<String> differences,
      Rows rows,
      List<String> keys,
      String keyOrigin)
      throws E {
    String key = " the key (" + String.join(", ", keys) + ", " + keyOrigin + ")";
    if (removed != null) {
      // The files also hold the rows the hop deletes; bucket by bucket the sides cannot agree.
      return " Not bisected on" + key + ": the hop deletes some of the files' rows.";
    }
    List<FingerprintColumn> keyColumns = new ArrayList<>();
    for (String name : keys) {
      FingerprintColumn column =
          fingerprinted.stream()
              .filter(c -> c.name().equalsIgnoreCase(name))
              .findFirst()
              .orElse(null);
      if (column == null) {
        return " Not bisected on"
            + key
            + ": "
            + name
            + " is not fingerprinted in "
            + sql.engine()
            + ".";
      }
      keyColumns.add(column);
    }
    KeyBisection.Found found;
    try {
      found =
          new KeyBisection(
                  sql, fingerprinted, this::comparable, keyColumns, files, manifest.schema())
              .find(engine, rows, shown(differences, keys), "in " + sql.engine(), SHOWN_ROWS);
    } catch (IOException | RuntimeException e) {
      // A store this process cannot reach (no filesystem registered for its scheme, a file gone)
      // must not hide the difference found: it is said, and the run still fails with it.
      return " Not bisected on"
          + key
          + ": the files could not be read again ("
          + e.getMessage()
          + ").";
    }
    String how =
        " in "
            + found.queries()
            + " queries, to "
            + found.digits()
            + " hex digits of the MD5 of the key";
    if (found.keys().isEmpty()) {
      return " Bisected on"
          + key
          + how
          + ": no bucket of rows differs, so the difference could not be narrowed to a key.";
    }
    return " Bisected on"
        + key
        + " against the files"
        + how
        + ": "
        + String.join("; ", found.keys())
        + " (canonical text; at most "
        + SHOWN_ROWS
        + " keys)."
        + notUnique(engine, rows, keys);
  }

  private <E extends Exception> String narrow(
      Engine<E> engine, List<String> differences, Rows rows, Rows reference, List<String> keys)
      throws E {
    List<FingerprintColumn> shown = shown(differences, keys);
    String names = shown.stream().map(FingerprintColumn::name).collect(Collectors.joining(", "));
    return reference.description()
        + " holds the files' values, so a statement after the load changed them. Rows ("
        + names
        + ") in "
        + rows.description()
        + " but not in the files: "
        + render(
            engine.query(
                sql.rowsNotIn(
                    rows.from(),
                    rows.where(),
                    reference.from(),
                    reference.where(),
                    shown,
                    SHOWN_ROWS)))
        + "; in the files but not in "
        + rows.description()
        + ": "
        + render(
            engine.query(
                sql.rowsNotIn(
                    reference.from(),
                    reference.where(),
                    rows.from(),
                    rows.where(),
                    shown,
                    SHOWN_ROWS)))
        + " (canonical text; at most "
        + SHOWN_ROWS
        + " each)."
        + notUnique(
            engine,
            rows,
            shown.stream()
                .map(FingerprintColumn::name)
                .filter(name -> keys.stream().anyMatch(name::equalsIgnoreCase))
                .toList());
  }

  /**
   * A sentence saying that {@code keys} do not identify a row of {@code rows}, or nothing when they
   * do: rows listed by a key that repeats cannot be told apart by it.
   */
  private <E extends Exception> String notUnique(Engine<E> engine, Rows rows, List<String> keys)
      throws E {
    if (keys.isEmpty()) {
      return "";
    }
    List<List<String>> result = engine.query(sql.duplicateKeys(rows.from(), rows.where(), keys));
    long repeated = result.isEmpty() ? 0 : Long.parseLong(result.get(0).get(0).strip());
    if (repeated == 0) {
      return "";
    }
    return " The key ("
        + String.join(", ", keys)
        + ") is not unique: "
        + repeated
        + " of its values occur more than once in "
        + rows.description()
        + ", so the rows above cannot be told apart by it; give key columns that identify a row"
        + " (the merge keys; else a unique partition column, Partitioning.onColumn; or a query"
        + " whose first column is unique).";
  }

  /** The key columns, then the differing ones (every column when only the rows differ). */
  private List<FingerprintColumn> shown(List<String> differences, List<String> keys) {
    List<FingerprintColumn> shown = new ArrayList<>();
    for (String key : keys) {
      fingerprinted.stream()
          .filter(c -> c.name().equalsIgnoreCase(key))
          .findFirst()
          .ifPresent(shown::add);
    }
    List<FingerprintColumn> differing =
        fingerprinted.stream().filter(c -> differences.contains(c.name())).toList();
    for (FingerprintColumn column : differing.isEmpty() ? fingerprinted : differing) {
      if (!shown.contains(column)) {
        shown.add(column);
      }
    }
    return shown;
  }

  private static String render(List<List<String>> rows) {
    if (rows.isEmpty()) {
      return "none";
    }
    return rows.stream()
        .map(
            row ->
                row.stream()
                    .map(ValuesCheck::shownValue)
                    .collect(Collectors.joining(", ", "(", ")")))
        .collect(Collectors.joining(", "));
  }

  /**
   * A canonical text as a message shows it: quoted, NULL bare, control characters as {@code ?}, cut
   * after {@value #SHOWN_TEXT} characters.
   */
  public static String shownValue(String text) {
    if (text == null) {
      return "NULL";
    }
    String shown =
        text.length() > SHOWN_TEXT
            ? text.substring(0, SHOWN_TEXT) + "…(" + text.length() + ")"
            : text;
    return "'" + shown.replace("'", "''").replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private <E extends Exception> Fingerprint fingerprint(Engine<E> engine, Rows rows) throws E {
    List<List<String>> result = engine.query(query(rows));
    if (result.size() != 1) {
      throw new IllegalStateException(
          sql.engine() + "'s fingerprint query returned " + result.size() + " rows, not one");
    }
    return FingerprintSql.read(result.get(0), fingerprinted);
  }

  /**
   * {@code fingerprint} as it can be compared here: the fingerprinted columns only, and, when any
   * is left out, without the row sum (which covers every column).
   */
  private Fingerprint comparable(Fingerprint fingerprint) {
    Fingerprint kept =
        fingerprint.select(fingerprinted.stream().map(FingerprintColumn::name).toList());
    return leftOut.isEmpty()
        ? kept
        : new Fingerprint(kept.version(), kept.rows(), BigInteger.ZERO, kept.columns());
  }
}
