package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.bigquery.BigQueryTarget.Disposition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing {@code --bigQueryTable} and {@code --bigQueryDisposition} (pure, no stand-in). */
class BigQueryTargetTest {
  @Test
  void parsesProjectDatasetAndTable() {
    BigQueryTarget target = BigQueryTarget.parse("my-project:sales.customers", Disposition.APPEND);
    assertThat(target.project(), equalTo("my-project"));
    assertThat(target.dataset(), equalTo("sales"));
    assertThat(target.table(), equalTo("customers"));
    assertThat(target.spec(), equalTo("my-project:sales.customers"));
    assertThat(
        BigQueryTarget.parse("example.com:my-project.sales.t_1", Disposition.REPLACE).project(),
        equalTo("example.com:my-project"));
    assertThat(
        BigQueryTarget.parse("my-project.sales.customers", Disposition.APPEND).dataset(),
        equalTo("sales"));
  }

  @Test
  void aBadTableOrDispositionNamesTheFlag() {
    for (String bad : new String[] {"customers", "sales.customers", "p:s.t'; --", "P:s.t"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> BigQueryTarget.parse(bad, Disposition.APPEND));
      assertThat(
          e.getMessage(),
          equalTo(
              "The BigQuery table (withBigQueryTable) "
                  + bad
                  + " is not a table: use project:dataset.table, e.g. my-project:sales.customers"));
    }
    assertThat(BigQueryTarget.disposition(" Append "), equalTo(Disposition.APPEND));
    assertThat(BigQueryTarget.disposition("merge"), equalTo(Disposition.MERGE));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BigQueryTarget.disposition("upsert"));
    assertThat(
        e.getMessage(),
        equalTo(
            "The BigQuery disposition (withBigQueryDisposition) upsert is not a disposition: use"
                + " append, replace or merge"));
  }

  @Test
  void aMergeNeedsKeysAndOnlyAMergeTakesThem() {
    assertThat(
        BigQueryTarget.parse("my-project:s.t", Disposition.MERGE, List.of("id", "day")).mergeKeys(),
        equalTo(List.of("id", "day")));
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> BigQueryTarget.parse("my-project:s.t", Disposition.MERGE, List.of()));
    assertThat(
        none.getMessage(),
        equalTo(
            "The merge disposition (withBigQueryDisposition) needs merge keys"
                + " (withBigQueryMergeKeys): the columns that identify a row, e.g. id"));
    IllegalArgumentException unused =
        assertThrows(
            IllegalArgumentException.class,
            () -> BigQueryTarget.parse("my-project:s.t", Disposition.APPEND, List.of("id")));
    assertThat(
        unused.getMessage(),
        equalTo(
            "Merge keys (withBigQueryMergeKeys) are only used with the merge disposition"
                + " (withBigQueryDisposition)"));
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> BigQueryTarget.parse("my-project:s.t", Disposition.MERGE, List.of("id`; --")));
    assertThat(
        bad.getMessage(),
        equalTo(
            "The merge key (withBigQueryMergeKeys) 'id`; --' is not a column name: letters,"
                + " digits and underscores"));
  }
}
