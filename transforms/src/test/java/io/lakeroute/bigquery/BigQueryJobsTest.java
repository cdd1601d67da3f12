package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.model.TableReference;
import io.lakeroute.bigquery.BigQueryTarget.Disposition;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.CsvOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jobs of a BigQuery load as text (pure, no stand-in). The golden files are
 * src/test/resources/BigQueryJobsTest/ (-Dgolden.update=true rewrites them); BigQueryRouteIT runs
 * every one of these jobs against the BigQuery stand-in.
 */
class BigQueryJobsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/BigQueryJobsTest");

  private static Manifest manifest(String runId, Manifest.Csv csv) {
    return new Manifest(
        Manifest.VERSION,
        runId,
        "2026-12-07T00:00:00Z",
        "gs://lake/exports/customers/" + runId + "/",
        "csv",
        "gzip",
        csv,
        3,
        2,
        300,
        List.of(
            new Manifest.Column("id", "int64", "int8"),
            new Manifest.Column("name`x", "string", "text"),
            new Manifest.Column("amount", "decimal(38,10)", "numeric")),
        List.of(
            new Manifest.FileEntry(
                "part-00000-of-00002.csv.gz",
                "gs://lake/exports/customers/" + runId + "/part-00000-of-00002.csv.gz",
                2,
                200,
                "aa"),
            new Manifest.FileEntry(
                "part-00001-of-00002.csv.gz",
                "gs://lake/exports/customers/" + runId + "/part-00001-of-00002.csv.gz",
                1,
                100,
                "bb")));
  }

  private static final Manifest.Csv RFC4180 =
      new Manifest.Csv(true, ",", "\"", null, "minimal", "", "LF");

  private static void golden(String name, String actual) throws Exception {
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual, equalTo(Files.readString(golden, StandardCharsets.UTF_8)));
  }

  @Test
  void theLoadJobReadsExactlyTheManifestsObjectsInItsDialect() throws Exception {
    Manifest manifest =
        manifest("2026-12-07", new Manifest.Csv(false, "|", "'", null, "all", "", "CRLF"));
    BigQueryTarget target = BigQueryTarget.parse("my-project:sales.customers", Disposition.APPEND);
    TableReference staging = BigQueryJobs.staging(target, manifest.runId());
    golden(
        "load.json",
        GsonFactory.getDefaultInstance()
                .toPrettyString(
                    BigQueryJobs.load(manifest, BigQuerySchema.of(manifest.columns()), staging))
            + "\n");
  }

  @Test
  void eachDispositionIsOneTransactionFromTheStagingTable() throws Exception {
    Manifest manifest = manifest("2026-12-07", RFC4180);
    StringBuilder sql = new StringBuilder();
    for (BigQueryTarget target :
        List.of(
            BigQueryTarget.parse("my-project:sales.customers", Disposition.APPEND),
            BigQueryTarget.parse("my-project:sales.customers", Disposition.REPLACE),
            BigQueryTarget.parse(
                "my-project:sales.customers", Disposition.MERGE, List.of("id", "amount")))) {
      sql.append("-- ")
          .append(target.disposition())
          .append('\n')
          .append(
              BigQueryJobs.apply(target, manifest, BigQueryJobs.staging(target, manifest.runId())))
          .append("\n\n");
    }
    sql.append("-- count\n")
        .append(
            BigQueryJobs.count(
                BigQueryTarget.parse("my-project:sales.customers", Disposition.APPEND), "it's"))
        .append('\n');
    golden("route5.sql", sql.toString());
  }

  @Test
  void runIdsThatDifferOnlyInCharactersBigQueryRefusesGetTheirOwnStagingTable() {
    BigQueryTarget target = BigQueryTarget.parse("my-project:sales.t", Disposition.APPEND);
    String dotted = BigQueryJobs.staging(target, "2026.12.07").getTableId();
    String dashed = BigQueryJobs.staging(target, "2026_12_07").getTableId();
    assertThat(dotted.startsWith("_lakeroute_staging_t_2026_12_07_"), equalTo(true));
    assertThat(dotted, not(equalTo(dashed)));
  }

  @Test
  void quotingEscapesWhatGoogleSqlReads() {
    assertThat(BigQueryJobs.identifier("a`b\\c"), equalTo("`a\\`b\\\\c`"));
    assertThat(BigQueryJobs.literal("it's\\\n"), equalTo("'it\\'s\\\\\\n'"));
  }

  @Test
  void aDialectBigQueryCannotReadExactlyIsRefusedNamingTheSetting() {
    IllegalArgumentException escape =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BigQueryJobs.checkLoadable(
                    CsvOptions.defaults().withEscape("\\").withQuoteMode("none")));
    assertThat(
        escape.getMessage(),
        equalTo(
            "BigQuery cannot load CSV with the escape character (CsvOptions.withEscape) \\: it"
                + " reads only doubled quotes inside quoted values. Leave the escape character"
                + " unset."));
    IllegalArgumentException nulls =
        assertThrows(
            IllegalArgumentException.class,
            () -> BigQueryJobs.checkLoadable(CsvOptions.defaults().withNullString("\\N")));
    assertThat(
        nulls.getMessage(),
        equalTo(
            "BigQuery reads a field equal to the NULL text (CsvOptions.withNullString) '\\N' as"
                + " NULL even when it is quoted, so a text value equal to it would become NULL."
                + " Keep the NULL text empty (the default): empty texts are then written quoted"
                + " and stay empty."));
    IllegalArgumentException delimiter =
        assertThrows(
            IllegalArgumentException.class,
            () -> BigQueryJobs.checkLoadable(CsvOptions.defaults().withDelimiter("€")));
    assertThat(
        delimiter.getMessage(),
        equalTo(
            "BigQuery splits CSV on one ISO-8859-1 character: the delimiter"
                + " (CsvOptions.withDelimiter) and the quote (CsvOptions.withQuote) must be one of"
                + " those"));
    BigQueryJobs.checkLoadable(CsvOptions.defaults().withDelimiter("\t").withQuoteMode("all"));
  }

  @Test
  void aMergeKeyThatIsNotAColumnIsRefused() {
    BigQueryTarget target =
        BigQueryTarget.parse("my-project:sales.t", Disposition.MERGE, List.of("nope"));
    Manifest manifest = manifest("r1", RFC4180);
    BigQueryException e =
        assertThrows(
            BigQueryException.class,
            () -> BigQueryJobs.apply(target, manifest, BigQueryJobs.staging(target, "r1")));
    assertThat(
        e.getMessage(),
        equalTo(
            "The merge keys (withBigQueryMergeKeys) name nope, which is not a column of the"
                + " query: [id, name`x, amount]"));
  }
}
