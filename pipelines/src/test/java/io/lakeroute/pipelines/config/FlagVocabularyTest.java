package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.query.JdbcSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagVocabularyTest {

  @Test
  void aQualifiedSettingBecomesItsFlag() {
    assertThat(
        FlagVocabulary.toFlags("The fetch size (JdbcSource.withFetchSize) must be at most 100,000"),
        equalTo("The fetch size (--fetchSize) must be at most 100,000"));
  }

  @Test
  void aCallWithOneArgumentBecomesFlagEqualsValue() {
    assertThat(
        FlagVocabulary.toFlags("CsvOptions.withQuoteMode(some) is not valid: use all"),
        equalTo("--csvQuoteMode=some is not valid: use all"));
    assertThat(
        FlagVocabulary.toFlags("FileFormat.of(xlsx) is not a format lakeroute writes"),
        equalTo("--format=xlsx is not a format lakeroute writes"));
    assertThat(FlagVocabulary.toFlags("give withFetchSize()"), equalTo("give --fetchSize"));
  }

  @Test
  void aBareNameOnlyOneClassUsesBecomesItsFlag() {
    assertThat(
        FlagVocabulary.toFlags("the fetch size (withFetchSize) must be between 1 and 100,000"),
        equalTo("the fetch size (--fetchSize) must be between 1 and 100,000"));
  }

  @Test
  void aBareNameSeveralClassesUseIsNoToken() {
    assertThat(
        FlagVocabulary.unambiguous(
            Map.of(
                "WarehouseTarget.withTable", "--warehouseTable",
                "DatabricksTable.withTable", "--databricksTable",
                "DatabricksTable.withCatalog", "--databricksCatalog",
                "FileFormat.of", "--format")),
        equalTo(Map.of("withCatalog", "--databricksCatalog")));
  }

  @Test
  void aQualifiedNameOfAnotherClassIsLeftAlone() {
    assertThat(
        FlagVocabulary.toFlags("Foo.withFetchSize and Foo.withFetchSize(3)"),
        equalTo("Foo.withFetchSize and Foo.withFetchSize(3)"));
  }

  @Test
  void aSettingWithSeveralFlagsNamesThemAll() {
    assertThat(
        FlagVocabulary.toFlags("The Databricks token (withToken) is missing"),
        equalTo("The Databricks token (--databricksTokenEnv / --databricksTokenFile) is missing"));
  }

  @Test
  void aLongerNameIsNotReadAsAShorterOne() {
    assertThat(
        FlagVocabulary.toFlags("CsvOptions.withQuote and CsvOptions.withQuoteMode, withQuoteMode"),
        equalTo("--csvQuote and --csvQuoteMode, --csvQuoteMode"));
  }

  @Test
  void unknownTextIsLeftAlone() {
    String message =
        "Column '?column?' holds NaN: withUnknown, Foo.withFetchSize, withFetchSizes, one of"
            + " parquet, CsvOptions.withNullString(a b), $1 \\ (x)";
    assertThat(
        FlagVocabulary.toFlags(message),
        equalTo(
            "Column '?column?' holds NaN: withUnknown, Foo.withFetchSize, withFetchSizes, one of"
                + " parquet, --csvNullString(a b), $1 \\ (x)"));
    assertThat(FlagVocabulary.toFlags(null), nullValue());
  }

  @Test
  void rewritesTheLibrarysOwnMessages() {
    IllegalArgumentException fetch =
        assertThrows(
            IllegalArgumentException.class,
            () -> JdbcSource.of("jdbc:h2:mem:x", null, null, null).withFetchSize(0));
    assertThat(
        FlagVocabulary.toFlags(fetch.getMessage()).startsWith("The fetch size (--fetchSize)"),
        equalTo(true));
    IllegalArgumentException mode =
        assertThrows(
            IllegalArgumentException.class, () -> CsvOptions.defaults().withQuoteMode("some"));
    assertThat(
        FlagVocabulary.toFlags(mode.getMessage()),
        equalTo("--csvQuoteMode=some is not valid: use all, minimal or none"));
    IllegalArgumentException format =
        assertThrows(IllegalArgumentException.class, () -> FileFormat.of("xlsx"));
    assertThat(
        FlagVocabulary.toFlags(format.getMessage()),
        equalTo(
            "--format=xlsx is not a format lakeroute writes: use one of parquet, avro, csv, json"));
  }

  @Test
  void flagOfKnowsQualifiedAndUnambiguousBareTokens() {
    assertThat(
        FlagVocabulary.flagOf("CsvOptions.withNullString"),
        equalTo(Optional.of("--csvNullString")));
    assertThat(FlagVocabulary.flagOf("withNullString"), equalTo(Optional.of("--csvNullString")));
    assertThat(FlagVocabulary.flagOf("withSchema"), equalTo(Optional.empty()));
    assertThat(FlagVocabulary.flagOf("withNothing"), equalTo(Optional.empty()));
  }
}
