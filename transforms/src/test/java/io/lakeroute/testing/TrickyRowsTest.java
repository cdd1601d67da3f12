package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.lakeroute.query.SourceDialect;
import io.lakeroute.query.SqlTypeMapping;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

class TrickyRowsTest {
  @Test
  void schemaIsWhatSqlTypeMappingDerivesFromPgjdbc() throws Exception {
    assertThat(
        SqlTypeMapping.schemaOf(
            TrickyRows.pgjdbcMetadata(), SourceDialect.forUrl("jdbc:postgresql://h/d")),
        equalTo(TrickyRows.schema()));
  }

  @Test
  void everyRowFitsTheSchemaAndTheLastIsAllNull() {
    List<Row> rows = TrickyRows.rows();
    assertThat(rows, hasSize(TrickyRows.ROW_COUNT));
    Schema schema = TrickyRows.schema();
    for (Row row : rows) {
      // build() checks every value against its field type, which attachValues() does not.
      Row.withSchema(schema).addValues(row.getValues()).build();
    }
    assertThat(
        rows.get(rows.size() - 1).getValues().stream().allMatch(v -> v == null), equalTo(true));
    for (Schema.Field field : schema.getFields()) {
      assertThat(field.getName(), field.getType().getNullable(), equalTo(true));
    }
  }

  @Test
  void postgresSqlHasOneSingleLineInsertPerRow() {
    String ddl = TrickyRows.postgresDdl("tricky");
    assertThat(ddl, startsWith("CREATE TABLE tricky (id integer, c_dec38 numeric(38,10), "));
    assertThat(ddl, containsString("c_char char(3)"));
    assertThat(ddl, containsString("c_timestamptz timestamptz"));
    List<String> inserts = TrickyRows.postgresInserts("tricky");
    assertThat(inserts, hasSize(TrickyRows.ROW_COUNT));
    for (String insert : inserts) {
      assertThat(insert, startsWith("INSERT INTO tricky (id, c_dec38, "));
      assertThat(insert, not(containsString("\n")));
      assertThat(insert, not(containsString("\r")));
    }
    assertThat(
        inserts.get(1),
        containsString(
            "-1234567890123456789012345678.0123456789, -999.99, -32768, -2147483648,"
                + " -9223372036854775808, CAST('-1.5' AS real),"));
    assertThat(inserts.get(1), containsString("TIMESTAMP '1965-03-04 05:06:07.123456'"));
    assertThat(inserts.get(1), containsString("TIMESTAMPTZ '1965-03-04 05:06:07.123456+00'"));
    assertThat(inserts.get(1), containsString("decode('0a0d2c225c00', 'hex')"));
    assertThat(
        inserts.get(2), containsString("CAST('NaN' AS real), CAST('NaN' AS double precision)"));
    assertThat(inserts.get(2), containsString("CAST(E'line1\\nline2\\r\\nline3\\rend' AS text)"));
    assertThat(inserts.get(3), containsString("CAST(E'C:\\\\temp\\\\new\\ttab\\\\' AS text)"));
    assertThat(inserts.get(3), containsString("DATE '0001-01-01'"));
    assertThat(inserts.get(4), containsString("CAST(E'it\\'' AS char(3))"));
    assertThat(
        inserts.get(TrickyRows.ROW_COUNT - 1),
        containsString("VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"));
  }
}
