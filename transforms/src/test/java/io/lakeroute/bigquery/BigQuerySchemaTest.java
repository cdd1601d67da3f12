package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import io.lakeroute.testing.TrickyRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The BigQuery schema of a run (pure, no stand-in). The tricky rows' schema is golden in
 * src/test/resources/BigQuerySchemaTest/; -Dgolden.update=true rewrites it.
 */
class BigQuerySchemaTest {
  private static final Path GOLDEN = Path.of("src/test/resources/BigQuerySchemaTest");

  @Test
  void theTrickyRowsSchema() throws Exception {
    String actual =
        GsonFactory.getDefaultInstance().toPrettyString(BigQuerySchema.of(TrickyRows.schema()))
            + "\n";
    Path golden = GOLDEN.resolve("tricky.json");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual, equalTo(Files.readString(golden, StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "DECIMAL({0},{1}) → {2}")
  @CsvSource({
    "38, 9, 'NUMERIC(38,9)'",
    "29, 0, 'NUMERIC(29,0)'",
    "5, 2, 'NUMERIC(5,2)'",
    "30, 0, 'BIGNUMERIC(30,0)'",
    "38, 10, 'BIGNUMERIC(38,10)'",
    "38, 18, 'BIGNUMERIC(38,18)'",
    "38, 38, 'BIGNUMERIC(38,38)'",
    "3, 5, 'NUMERIC(5,5)'",
  })
  void decimalsGetTheNarrowestExactType(int precision, int scale, String expected) {
    assertThat(BigQuerySchema.text(field(precision, scale)), equalTo(expected));
  }

  @Test
  void aDecimalNoBigQueryTypeHoldsIsRefusedNamingTheColumn() {
    BigQueryException e = assertThrows(BigQueryException.class, () -> field(40, 1));
    assertThat(
        e.getMessage(),
        containsString(
            "Column amount is DECIMAL(40,1), which no BigQuery type holds exactly (BIGNUMERIC: at"
                + " most 38 decimals and 38 integer digits). Cast it in the query"));
    assertThrows(BigQueryException.class, () -> field(45, 40));
  }

  private static TableFieldSchema field(int precision, int scale) {
    Schema schema =
        Schema.builder()
            .addNullableField(
                "amount", FieldType.logicalType(FixedPrecisionNumeric.of(precision, scale)))
            .build();
    return BigQuerySchema.of(schema).getFields().get(0);
  }

  @Test
  void driftNamesEveryColumnThatDiffers() {
    TableSchema run = BigQuerySchema.of(TrickyRows.schema());
    TableSchema table = BigQuerySchema.of(TrickyRows.schema());
    table.getFields().removeIf(f -> f.getName().equals("c_uuid"));
    table.getFields().stream()
        .filter(f -> f.getName().equals("c_dec38"))
        .forEach(f -> f.setType("NUMERIC").setPrecision(null).setScale(null));
    table
        .getFields()
        .add(new TableFieldSchema().setName("legacy").setType("STRING").setMode("REQUIRED"));

    assertThat(
        BigQuerySchema.drift(table, run),
        contains(
            "c_dec38: the table has NUMERIC, the run has BIGNUMERIC(38,10)",
            "c_uuid: missing from the table (the run has STRING)",
            "legacy: in the table (STRING REQUIRED), not in the run"));
  }

  @Test
  void legacyTypeNamesAndCaseAreNotDrift() {
    TableSchema run = BigQuerySchema.of(TrickyRows.schema());
    TableSchema table = BigQuerySchema.of(TrickyRows.schema());
    for (TableFieldSchema f : table.getFields()) {
      f.setName(f.getName().toUpperCase(java.util.Locale.ROOT));
      f.setType(
          switch (f.getType()) {
            case "INT64" -> "INTEGER";
            case "FLOAT64" -> "FLOAT";
            case "BOOL" -> "BOOLEAN";
            default -> f.getType();
          });
    }
    assertThat(BigQuerySchema.drift(table, run), empty());
    assertThat(BigQuerySchema.drift(run, run), equalTo(List.of()));
  }
}
