package io.lakeroute.sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import org.junit.jupiter.api.Test;

/** One mapping: the standard spelling, a server's differences, text where the files hold text. */
class ColumnTypesTest {
  private static final ColumnTypes TYPES =
      ColumnTypes.standard("VARCHAR(100)").with("boolean", "BIT");

  private static String type(String manifestType, String format) {
    return TYPES.of(new Manifest.Column("c", manifestType, "x"), format);
  }

  @Test
  void aServerReplacesOnlyWhatDiffers() {
    assertThat(type("int32", "parquet"), equalTo("INTEGER"));
    assertThat(type("boolean", "parquet"), equalTo("BIT"));
    assertThat(type("decimal(38,10)", "csv"), equalTo("DECIMAL(38,10)"));
    assertThat(type("string", "parquet"), equalTo("VARCHAR(100)"));
    assertThat(
        ColumnTypes.standard("STRING").of(new Manifest.Column("c", "int32", "x"), "csv"),
        equalTo("INTEGER"));
  }

  @Test
  void binaryInATextFormatIsText() {
    assertThat(type("bytes", "parquet"), equalTo("VARBINARY"));
    assertThat(type("bytes", "csv"), equalTo("VARCHAR(100)"));
    assertThat(type("bytes", "json"), equalTo("VARCHAR(100)"));
  }

  @Test
  void onlyManifestTypesCanBeReplaced() {
    assertThrows(IllegalArgumentException.class, () -> TYPES.with("uuid", "UUID"));
  }
}
