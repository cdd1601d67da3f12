package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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

/** Fingerprints of the tricky rows: order-free, mergeable, and changed by any value's change. */
class FingerprintTest {
  private static final Schema SCHEMA = TrickyRows.schema();

  static Fingerprint of(List<Row> rows) {
    FingerprintAccumulator accumulator = FingerprintAccumulator.of(SCHEMA);
    rows.forEach(accumulator::add);
    return accumulator.fingerprint();
  }

  private static Row with(Row row, String column, Object value) {
    List<Object> values = new ArrayList<>(row.getValues());
    values.set(SCHEMA.indexOf(column), value);
    return Row.withSchema(SCHEMA).attachValues(values);
  }

  @Test
  void rowOrderDoesNotMatterAndPartsMerge() {
    List<Row> rows = TrickyRows.rows();
    Fingerprint whole = of(rows);
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));
    assertThat(of(shuffled), equalTo(whole));
    Fingerprint merged = of(rows.subList(0, 3)).merge(of(rows.subList(3, rows.size())));
    assertThat(merged, equalTo(whole));
    assertThat(whole.rows(), equalTo((long) TrickyRows.ROW_COUNT));
    assertThat(Fingerprint.empty(SCHEMA.getFieldNames()).merge(whole), equalTo(whole));
  }

  @Test
  void aChangedValueNamesItsColumn() {
    List<Row> rows = new ArrayList<>(TrickyRows.rows());
    Fingerprint before = of(rows);
    rows.set(2, with(rows.get(2), "c_char", "ab"));
    assertThat(of(rows).differences(before), contains("c_char"));
  }

  @Test
  void nullIsNotTheEmptyString() {
    List<Row> rows = new ArrayList<>(TrickyRows.rows());
    Fingerprint before = of(rows);
    // Row 5 holds "" in c_text.
    rows.set(4, with(rows.get(4), "c_text", null));
    assertThat(of(rows).differences(before), contains("c_text"));
  }

  @Test
  void valuesMovedBetweenRowsChangeOnlyTheRowSum() {
    List<Row> rows = new ArrayList<>(TrickyRows.rows());
    Fingerprint before = of(rows);
    Object first = rows.get(0).getValue("c_text");
    Object second = rows.get(1).getValue("c_text");
    rows.set(0, with(rows.get(0), "c_text", second));
    rows.set(1, with(rows.get(1), "c_text", first));
    Fingerprint after = of(rows);
    assertThat(after.differences(before), contains("(rows)"));
    assertThat(after.columns(), equalTo(before.columns()));
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
