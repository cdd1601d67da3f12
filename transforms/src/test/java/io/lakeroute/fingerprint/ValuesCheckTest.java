package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.validation.ReconciliationException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The values check's decisions, against an engine that answers each query it is given: equal
 * fingerprints pass, a difference names hop, rows and columns, and is narrowed down to the load or
 * to the rows that differ when the engine also holds the files' rows. The queries themselves are
 * executed by the route and step ITs.
 */
class ValuesCheckTest {
  private static final List<FingerprintColumn> COLUMNS =
      List.of(
          FingerprintColumn.of("id", "int64"),
          FingerprintColumn.of("name", "string"),
          new FingerprintColumn("payload", "bytes", true));
  private static final ValuesCheck.Rows TABLE =
      new ValuesCheck.Rows("postgres table \"s\".\"t\" (rows of run r1)", "\"s\".\"t\"", "run = 1");
  private static final ValuesCheck.Rows STAGED =
      new ValuesCheck.Rows("the staging table \"stage\"", "\"stage\"", null);
  private static final Fingerprint FILES =
      new Fingerprint(
          Canonical.VERSION,
          3,
          BigInteger.valueOf(300),
          List.of(
              new Fingerprint.Column("id", 0, BigInteger.valueOf(10)),
              new Fingerprint.Column("name", 1, BigInteger.valueOf(20)),
              new Fingerprint.Column("payload", 0, BigInteger.valueOf(30))));

  /** An engine answering the queries it was given, and recording every query asked. */
  private static final class Answers implements ValuesCheck.Engine<RuntimeException> {
    final Map<String, List<List<String>>> answers = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    Answers answer(String query, List<List<String>> rows) {
      answers.put(query, rows);
      return this;
    }

    @Override
    public List<List<String>> query(String sql) {
      asked.add(sql);
      List<List<String>> rows = answers.get(sql);
      if (rows == null) {
        throw new AssertionError("unexpected query " + sql);
      }
      return rows;
    }
  }

  private static Manifest manifest(Fingerprint fingerprint) {
    return manifest(fingerprint, null);
  }

  private static Manifest manifest(Fingerprint fingerprint, String partitionColumn) {
    return new Manifest(
        Manifest.VERSION,
        "r1",
        "2026-01-01T00:00:00Z",
        "s3://b/run/r1/",
        "csv",
        "none",
        null,
        3,
        1,
        10,
        List.of(
            new Manifest.Column("id", "int64", ""),
            new Manifest.Column("name", "string", ""),
            new Manifest.Column("payload", "bytes", "")),
        List.of(),
        fingerprint,
        null,
        partitionColumn);
  }

  /** The result row of a fingerprint query giving {@code fingerprint}. */
  private static List<List<String>> cells(Fingerprint fingerprint) {
    List<String> row = new ArrayList<>();
    row.add(String.valueOf(fingerprint.rows()));
    row.add(fingerprint.rowSum().toString());
    for (Fingerprint.Column column : fingerprint.columns()) {
      row.add(String.valueOf(column.nulls()));
      row.add(column.sum().toString());
    }
    return List.of(row);
  }

  private static Fingerprint withName(Fingerprint fingerprint, long sum) {
    List<Fingerprint.Column> columns = new ArrayList<>(fingerprint.columns());
    columns.set(1, new Fingerprint.Column("name", 1, BigInteger.valueOf(sum)));
    return new Fingerprint(
        fingerprint.version(), fingerprint.rows(), fingerprint.rowSum(), columns);
  }

  private static ValuesCheck.Result verify(
      ValuesCheck check, Answers engine, Manifest manifest, ValuesCheck.Rows reference) {
    return check.verify(
        engine,
        manifest,
        ReconciliationException.Hop.WAREHOUSE,
        TABLE,
        reference,
        List.of(),
        "The table is as it was.");
  }

  @Test
  void equalFingerprintsPassAndAreKept() {
    ValuesCheck check = ValuesCheck.of(FingerprintSql.postgres(), COLUMNS);
    Answers engine = new Answers().answer(check.query(TABLE), cells(FILES));
    ValuesCheck.Result result = verify(check, engine, manifest(FILES), STAGED);
    assertThat(result.fingerprint(), equalTo(FILES));
    assertThat(result.summary(), equalTo("fingerprints of 3 columns equal"));
    assertThat(engine.asked.size(), equalTo(1));
  }

  @Test
  void aManifestWithoutFingerprintsIsNotCompared() {
    ValuesCheck check = ValuesCheck.of(FingerprintSql.postgres(), COLUMNS);
    Answers engine = new Answers();
    ValuesCheck.Result result = verify(check, engine, manifest(null), STAGED);
    assertThat(result.checked(), equalTo(false));
    assertThat(engine.asked, equalTo(List.of()));
  }

  @Test
  void aDifferenceNamesHopRowsAndColumn() {
    ValuesCheck check = ValuesCheck.of(FingerprintSql.postgres(), COLUMNS);
    Answers engine = new Answers().answer(check.query(TABLE), cells(withName(FILES, 21)));
    ReconciliationException e =
        assertThrows(
            ReconciliationException.class, () -> verify(check, engine, manifest(FILES), null));
    assertThat(e.hop(), equalTo(ReconciliationException.Hop.WAREHOUSE));
    assertThat(
        e.getMessage(),
        equalTo(
            "Values differ between the files of run r1 and postgres table \"s\".\"t\" (rows of"
                + " run r1): name (fingerprints computed by PostgreSQL, docs/fingerprints.md)."
                + " The table is as it was."));
  }

  @Test
  void aLoadThatChangedValuesIsToldFromALaterStatement() {
    ValuesCheck check = ValuesCheck.of(FingerprintSql.postgres(), COLUMNS);
    Answers engine =
        new Answers()
            .answer(check.query(TABLE), cells(withName(FILES, 21)))
            .answer(check.query(STAGED), cells(withName(FILES, 21)));
    ReconciliationException e =
        assertThrows(
            ReconciliationException.class, () -> verify(check, engine, manifest(FILES), STAGED));
    assertThat(
        e.getMessage(),
        containsString(
            "the staging table \"stage\" already differs from the files in name: the load"
                + " changed the values as it read the files."));
  }

  /** The message of a statement after the load, the key repeating {@code repeated} times. */
  private static String narrowed(String repeated) {
    ValuesCheck check = ValuesCheck.of(FingerprintSql.postgres(), COLUMNS);
    List<FingerprintColumn> shown = COLUMNS.subList(0, 2);
    FingerprintSql sql = FingerprintSql.postgres();
    Answers engine =
        new Answers()
            .answer(check.query(TABLE), cells(withName(FILES, 21)))
            .answer(check.query(STAGED), cells(FILES))
            .answer(
                sql.rowsNotIn(TABLE.from(), TABLE.where(), STAGED.from(), null, shown, 5),
                List.of(List.of("3", "Bob")))
            .answer(
                sql.rowsNotIn(STAGED.from(), null, TABLE.from(), TABLE.where(), shown, 5),
                List.of(List.of("3", "Bob 'B' ")))
            .answer(
                sql.duplicateKeys(TABLE.from(), TABLE.where(), List.of("id")),
                List.of(List.of(repeated)));
    return assertThrows(
            ReconciliationException.class, () -> verify(check, engine, manifest(FILES), STAGED))
        .getMessage();
  }

  @Test
  void aStatementAfterTheLoadIsNarrowedToTheRows() {
    String message = narrowed("0");
    assertThat(
        message,
        containsString(
            "the staging table \"stage\" holds the files' values, so a statement after the load"
                + " changed them. Rows (id, name) in postgres table \"s\".\"t\" (rows of run r1)"
                + " but not in the files: ('3', 'Bob'); in the files but not in postgres table"
                + " \"s\".\"t\" (rows of run r1): ('3', 'Bob ''B'' ') (canonical text; at most 5"
                + " each). The table is as it was."));
  }

  /** Rows listed by a key that repeats cannot be told apart: the message says so. */
  @Test
  void aKeyThatIsNotUniqueIsSaid() {
    assertThat(
        narrowed("2"),
        containsString(
            "(canonical text; at most 5 each). The key (id) is not unique: 2 of its values occur"
                + " more than once in postgres table \"s\".\"t\" (rows of run r1), so the rows"
                + " above cannot be told apart by it"));
  }

  @Test
  void aColumnWithoutCanonicalFormIsLeftOutAndNamed() {
    // H2 cannot decode base64: the payload is left out, and with it the row sum.
    ValuesCheck check = ValuesCheck.of(FingerprintSql.h2(), COLUMNS);
    assertThat(check.leftOut().keySet(), contains("payload"));
    Fingerprint inH2 =
        new Fingerprint(
            Canonical.VERSION, 3, BigInteger.valueOf(999), FILES.columns().subList(0, 2));
    Answers engine = new Answers().answer(check.query(TABLE), cells(inH2));
    ValuesCheck.Result result = verify(check, engine, manifest(FILES), STAGED);
    assertThat(
        result.summary(),
        equalTo(
            "fingerprints of 2 columns equal; left out: payload (H2 cannot render a bytes held as"
                + " text canonically)"));
    assertThat(check.query(TABLE), not(containsString("payload")));

    Answers changed = new Answers().answer(check.query(TABLE), cells(withName(inH2, 5)));
    ReconciliationException e =
        assertThrows(
            ReconciliationException.class, () -> verify(check, changed, manifest(FILES), null));
    assertThat(e.getMessage(), containsString("Not compared (no canonical form in H2): payload."));
  }

  /** The message of a check whose engine has a changed name and whose files cannot be read. */
  private static String unreadableFiles(Manifest manifest) {
    ValuesCheck check =
        ValuesCheck.of(FingerprintSql.postgres(), COLUMNS)
            .withFiles(
                rows -> {
                  throw new java.io.IOException("s3://b/run/r1/part-0.csv: no such object");
                });
    Answers engine = new Answers().answer(check.query(TABLE), cells(withName(FILES, 21)));
    return assertThrows(ReconciliationException.class, () -> verify(check, engine, manifest, null))
        .getMessage();
  }

  /** Files that cannot be read again do not hide the difference: the message says so. */
  @Test
  void filesThatCannotBeReadAgainAreSaid() {
    assertThat(
        unreadableFiles(manifest(FILES)),
        containsString(
            "Not bisected on the key (id, the query's first column): the files could not be read"
                + " again (s3://b/run/r1/part-0.csv: no such object). The table is as it was."));
  }

  /** Without merge keys, rows are named by the run's partition column, which the manifest keeps. */
  @Test
  void theRunsPartitionColumnIsTheKeyWhenNoMergeKeysAreGiven() {
    assertThat(
        unreadableFiles(manifest(FILES, "name")),
        containsString("Not bisected on the key (name, the partition column): the files could"));
  }
}
