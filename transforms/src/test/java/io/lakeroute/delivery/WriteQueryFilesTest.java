package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.validation.ReconciliationException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** The read-back's check of a file's values against its partition's rows as they were read. */
class WriteQueryFilesTest {
  private static final Schema SCHEMA = TrickyRows.schema();

  private static Fingerprint of(List<Row> rows) {
    FingerprintAccumulator accumulator = FingerprintAccumulator.of(SCHEMA);
    rows.forEach(accumulator::add);
    return accumulator.fingerprint();
  }

  @Test
  void aValueThatDiffersFailsNamingTheFileAndTheColumn() {
    List<Row> read = TrickyRows.rows();
    List<Row> inFile = new ArrayList<>(read);
    List<Object> values = new ArrayList<>(inFile.get(1).getValues());
    values.set(SCHEMA.indexOf("c_varchar"), "東京");
    inFile.set(1, Row.withSchema(SCHEMA).attachValues(values));

    ReconciliationException e =
        assertThrows(
            ReconciliationException.class,
            () -> WriteQueryFiles.checkValues("part-00001-of-00002.csv", of(inFile), of(read)));

    assertThat(e.hop(), equalTo(ReconciliationException.Hop.FILES));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("part-00001-of-00002.csv: c_varchar"),
            containsString("Nothing was published")));
  }

  @Test
  void equalValuesPassAndACountDifferenceIsLeftToReconcile() {
    List<Row> read = TrickyRows.rows();
    WriteQueryFiles.checkValues("f", of(read), of(read));
    WriteQueryFiles.checkValues("f", of(read.subList(0, 3)), of(read));
  }
}
