package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.testing.TrickyRows;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fingerprints and checks of the tricky rows: order-free, mergeable, and changed by any value's
 * change.
 */
class FingerprintTest {
  private static final Schema SCHEMA = TrickyRows.schema();

  static Fingerprint of(List<Row> rows) {
    return of(rows, false);
  }

  /** The rows' fingerprint, or their check. */
  private static Fingerprint of(List<Row> rows, boolean check) {
    FingerprintAccumulator accumulator =
        check ? FingerprintAccumulator.checkOnly(SCHEMA) : FingerprintAccumulator.of(SCHEMA);
    rows.forEach(accumulator::add);
    return check ? accumulator.check() : accumulator.fingerprint();
  }

  private static Row with(Row row, String column, Object value) {
    List<Object> values = new ArrayList<>(row.getValues());
    values.set(SCHEMA.indexOf(column), value);
    return Row.withSchema(SCHEMA).attachValues(values);
  }

  @ParameterizedTest(name = "check {0}")
  @ValueSource(booleans = {false, true})
  void rowOrderDoesNotMatterAndPartsMerge(boolean check) {
    List<Row> rows = TrickyRows.rows();
    Fingerprint whole = of(rows, check);
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));
    assertThat(of(shuffled, check), equalTo(whole));
    Fingerprint merged =
        of(rows.subList(0, 3), check).merge(of(rows.subList(3, rows.size()), check));
    assertThat(merged, equalTo(whole));
    assertThat(whole.rows(), equalTo((long) TrickyRows.ROW_COUNT));
    assertThat(of(List.of(), check).merge(whole), equalTo(whole));
  }

  @ParameterizedTest(name = "check {0}")
  @ValueSource(booleans = {false, true})
  void aChangedValueNamesItsColumn(boolean check) {
    List<Row> rows = new ArrayList<>(TrickyRows.rows());
    Fingerprint before = of(rows, check);
    rows.set(2, with(rows.get(2), "c_char", "ab"));
    assertThat(of(rows, check).differences(before), contains("c_char"));
  }

  @ParameterizedTest(name = "check {0}")
  @ValueSource(booleans = {false, true})
  void nullIsNotTheEmptyString(boolean check) {
    List<Row> rows = new ArrayList<>(TrickyRows.rows());
    Fingerprint before = of(rows, check);
    // Row 5 holds "" in c_text.
    rows.set(4, with(rows.get(4), "c_text", null));
    assertThat(of(rows, check).differences(before), contains("c_text"));
  }

  @ParameterizedTest(name = "check {0}")
  @ValueSource(booleans = {false, true})
  void valuesMovedBetweenRowsChangeOnlyTheRowSum(boolean check) {
    List<Row> rows = new ArrayList<>(TrickyRows.rows());
    Fingerprint before = of(rows, check);
    Object first = rows.get(0).getValue("c_text");
    Object second = rows.get(1).getValue("c_text");
    rows.set(0, with(rows.get(0), "c_text", second));
    rows.set(1, with(rows.get(1), "c_text", first));
    Fingerprint after = of(rows, check);
    assertThat(after.differences(before), contains("(rows)"));
    assertThat(after.columns(), equalTo(before.columns()));
  }

  @Test
  void aCheckIsTakenFromTheSameTextsAsTheFingerprintButNeverComparesWithOne() {
    FingerprintAccumulator both = FingerprintAccumulator.fingerprintAndCheck(SCHEMA);
    TrickyRows.rows().forEach(both::add);
    assertThat(both.fingerprint(), equalTo(of(TrickyRows.rows(), false)));
    assertThat(both.check(), equalTo(of(TrickyRows.rows(), true)));
    assertThat(both.check().version(), equalTo(FingerprintAccumulator.CHECK_VERSION));
    assertThrows(
        IllegalArgumentException.class, () -> both.check().differences(both.fingerprint()));
    assertThrows(
        IllegalStateException.class, () -> FingerprintAccumulator.checkOnly(SCHEMA).fingerprint());
    assertThrows(IllegalStateException.class, () -> FingerprintAccumulator.of(SCHEMA).check());
  }

  @Test
  void sumsCarryPast64Bits() {
    FingerprintAccumulator accumulator = FingerprintAccumulator.of(SCHEMA);
    Row row = TrickyRows.rows().get(0);
    for (int i = 0; i < 100; i++) {
      accumulator.add(row);
    }
    Fingerprint hundred = accumulator.fingerprint();
    Fingerprint one = of(List.of(row));
    assertThat(hundred.rowSum(), equalTo(one.rowSum().multiply(BigInteger.valueOf(100))));
    assertThat(hundred.rowSum().bitLength() > 64, equalTo(true));
    assertThat(hundred.modulo64(), not(equalTo(hundred)));
    assertThat(hundred.modulo64().rowSum().bitLength() <= 64, equalTo(true));
  }

  @Test
  void jsonKeepsEverySumExact() throws Exception {
    Fingerprint fingerprint = of(TrickyRows.rows());
    ObjectMapper json = new ObjectMapper();
    String text = json.writeValueAsString(fingerprint);
    assertThat(text.contains("\"rowSum\":\"" + fingerprint.rowSum() + "\""), equalTo(true));
    assertThat(json.readValue(text, Fingerprint.class), equalTo(fingerprint));
    assertThat(fingerprint.differences(fingerprint), empty());
  }
}
