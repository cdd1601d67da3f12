package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.services.bigquery.model.TableRow;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.junit.jupiter.api.Test;

/** CSV text to the values a BigQuery load is given (pure, no stand-in). */
class BigQueryRowsTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", FieldType.INT64)
          .addNullableField("ok", FieldType.BOOLEAN)
          .addNullableField("ratio", FieldType.DOUBLE)
          .addNullableField("amount", FieldType.logicalType(FixedPrecisionNumeric.of(38, 10)))
          .addNullableField("born", FieldType.logicalType(SqlTypes.DATE))
          .addNullableField("seen", FieldType.logicalType(SqlTypes.DATETIME))
          .addNullableField("at", FieldType.logicalType(SqlTypes.TIMESTAMP))
          .addNullableField("name", FieldType.STRING)
          .build();

  @Test
  void valuesKeepTheirExactTextAndNullsAreLeftOut() {
    TableRow row =
        BigQueryRows.of(SCHEMA)
            .toTableRow(
                new String[] {
                  "-9223372036854775808",
                  "false",
                  "NaN",
                  "1234567890123456789012345678.0123456789",
                  "0001-01-01",
                  "1969-12-31T23:59:59.999999",
                  "1965-03-04T05:06:07.123456Z",
                  null
                });
    Map<String, Object> expected = new TreeMap<>();
    expected.put("id", Long.MIN_VALUE);
    expected.put("ok", false);
    expected.put("ratio", "NaN");
    expected.put("amount", "1234567890123456789012345678.0123456789");
    expected.put("born", "0001-01-01");
    expected.put("seen", "1969-12-31T23:59:59.999999");
    expected.put("at", "1965-03-04T05:06:07.123456Z");
    assertThat(new TreeMap<>(row), equalTo(expected));
  }

  @Test
  void yearsOutsideBigQuerysRangeAreRefusedNamingTheColumn() {
    BigQueryRows rows = BigQueryRows.of(SCHEMA);
    for (String date : new String[] {"0000-12-31", "-0001-01-01", "+10000-01-01"}) {
      BigQueryException e =
          assertThrows(
              BigQueryException.class,
              () -> rows.toTableRow(new String[] {null, null, null, null, date, null, null, null}));
      assertThat(
          e.getMessage(),
          containsString(
              "Column born holds "
                  + date
                  + ", outside BigQuery's DATE range (years 0001 to 9999)"));
    }
    BigQueryException e =
        assertThrows(
            BigQueryException.class,
            () ->
                rows.toTableRow(
                    new String[] {
                      null, null, null, null, null, null, "+10000-01-01T00:00:00.000000Z", null
                    }));
    assertThat(e.getMessage(), containsString("Column at holds +10000-01-01T00:00:00.000000Z"));
  }

  @Test
  void textThatIsNotOfTheColumnsTypeNamesTheColumn() {
    BigQueryException e =
        assertThrows(
            BigQueryException.class,
            () ->
                BigQueryRows.of(SCHEMA)
                    .toTableRow(new String[] {"12a", null, null, null, null, null, null, null}));
    assertThat(e.getMessage(), containsString("Column id: '12a' is not a INT64 value"));
  }
}
