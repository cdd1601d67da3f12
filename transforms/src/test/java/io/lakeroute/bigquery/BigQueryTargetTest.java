package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.bigquery.BigQueryTarget.Disposition;
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
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BigQueryTarget.disposition("merge"));
    assertThat(
        e.getMessage(),
        equalTo(
            "The BigQuery disposition (withBigQueryDisposition) merge is not a disposition: use"
                + " append or replace"));
  }
}
