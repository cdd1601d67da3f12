package io.lakeroute.databricks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.SqlClient;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.validation.ReconciliationException;
import io.lakeroute.warehouse.StagedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Databricks step's values check executed on the stand-in (Spark 3.5 + Delta): the tricky rows
 * of each format give the manifest's fingerprint in a Delta table and in an external table; a
 * string trimmed and a decimal rounded in the Delta table after the load (by a client that runs an
 * UPDATE right after the step's INSERT, as another writer could) fail the step, naming the hop, the
 * columns and the rows as Spark renders them.
 */
class DatabricksValuesIT {
  private static final String SCHEMA = "values_it";
  private static LocalDatabricks databricks;

  @BeforeAll
  static void start() {
    databricks = LocalDatabricks.shared();
    databricks.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
  }

  private static Manifest staged(String format, String codec) throws Exception {
    Path dir = Files.createTempDirectory("lakeroute-values-" + format);
    return StagedRun.trickyRows(
        format,
        codec,
        dir + "/",
        (name, content) -> {
          try {
            Files.write(dir.resolve(name), content);
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static DatabricksTarget target(String table, DatabricksTarget.Mode mode) {
    return new DatabricksTarget(
        new DatabricksTable("spark_catalog", SCHEMA, table),
        mode,
        mode == DatabricksTarget.Mode.DELTA
            ? DatabricksTarget.Disposition.APPEND
            : DatabricksTarget.Disposition.REPLACE,
        DatabricksTarget.Dialect.SPARK);
  }

  private static DatabricksConnection connection() {
    return DatabricksConnection.withUrl(
        databricks.jdbcUrlWithoutCredentials(), LocalDatabricks.TOKEN);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "parquet, snappy, DELTA",
    "csv, none, DELTA",
    "json, gzip, DELTA",
    "avro, snappy, EXTERNAL",
    "csv, none, EXTERNAL"
  })
  void everyFormatShowsTheManifestsFingerprint(
      String format, String codec, DatabricksTarget.Mode mode) throws Exception {
    String table = "values_" + format + "_" + mode.name().toLowerCase(java.util.Locale.ROOT);
    databricks.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    Manifest manifest = staged(format, codec);

    DatabricksStep.Outcome outcome =
        LoadDatabricks.load(connection(), target(table, mode), manifest);

    assertThat(outcome.rowsVisible(), equalTo((long) TrickyRows.ROW_COUNT));
    assertThat(outcome.values().checked(), equalTo(true));
    assertThat(outcome.values().leftOut(), anEmptyMap());
    assertThat(outcome.values().fingerprint(), equalTo(manifest.fingerprint()));
  }

  /**
   * A client that tampers with the table right after the step's INSERT into it, or with the step's
   * statements themselves ({@code rewrite}).
   */
  private static final class Tampering implements SqlClient {
    private final SqlClient client;
    private final List<String> after;
    private final UnaryOperator<String> rewrite;

    Tampering(SqlClient client, List<String> after) {
      this(client, after, UnaryOperator.identity());
    }

    Tampering(SqlClient client, List<String> after, UnaryOperator<String> rewrite) {
      this.client = client;
      this.after = after;
      this.rewrite = rewrite;
    }

    @Override
    public void execute(String sql) throws SQLException {
      client.execute(rewrite.apply(sql));
      if (sql.startsWith("INSERT INTO")) {
        for (String statement : after) {
          client.execute(statement);
        }
      }
    }

    @Override
    public List<List<String>> query(String sql) throws SQLException {
      return client.query(sql);
    }

    @Override
    public void close() throws SQLException {
      client.close();
    }
  }

  @Test
  void aTrimmedStringAndARoundedDecimalFailNamingColumnsAndRows() throws Exception {
    String table = "values_tampered";
    String quoted = SCHEMA + "." + table;
    databricks.execute("DROP TABLE IF EXISTS " + quoted);
    Manifest manifest = staged("parquet", "snappy");
    ReconciliationException e;
    try (SqlClient client =
        new Tampering(
            connection().open(),
            List.of(
                "UPDATE " + quoted + " SET c_char = trim(c_char) WHERE id = 3",
                "UPDATE " + quoted + " SET c_dec38 = round(c_dec38, 2) WHERE id = 1"))) {
      e =
          assertThrows(
              ReconciliationException.class,
              () ->
                  DatabricksStep.run(client, target(table, DatabricksTarget.Mode.DELTA), manifest));
    }

    assertThat(e.hop(), equalTo(ReconciliationException.Hop.DATABRICKS));
    assertThat(
        e.getMessage(),
        containsString(
            "Values differ between the files of run r1 and Databricks table"
                + " spark_catalog.values_it.values_tampered (rows of run r1): c_dec38, c_char"
                + " (fingerprints computed by Spark"));
    assertThat(
        e.getMessage(),
        containsString(
            "the view `lakeroute_run_r1` over the files holds the files' values, so a statement"
                + " after the load changed them. Rows (id, c_dec38, c_char) in Databricks table"));
    assertThat(
        e.getMessage(), containsString("('1', '1234567890123456789012345678.0100000000', 'abc')"));
    assertThat(
        e.getMessage(), containsString("('1', '1234567890123456789012345678.0123456789', 'abc')"));
    assertThat(e.getMessage(), containsString("('3', '0.0000000000', 'ab')"));
    assertThat(e.getMessage(), containsString("('3', '0.0000000000', 'ab ')"));
  }

  /**
   * An external table whose CSV reader takes a value for its NULL text (its nullValue option
   * changed to {@code abc}, a value of the files): Spark reads the files into other values, and the
   * engine holds no copy of what the files hold. The check bisects on the key against the files and
   * names the row, NULL in Spark and {@code 'abc'} in the files.
   */
  @Test
  void anExternalTableThatReadsAValueAsNullIsBisectedToItsKey() throws Exception {
    String table = "values_null_text";
    databricks.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    Manifest manifest = staged("csv", "none");
    ReconciliationException e;
    try (SqlClient client =
        new Tampering(
            connection().open(),
            List.of(),
            sql -> sql.replaceAll("'nullValue' '[^']*'", "'nullValue' 'abc'"))) {
      e =
          assertThrows(
              ReconciliationException.class,
              () ->
                  DatabricksStep.run(
                      client, target(table, DatabricksTarget.Mode.EXTERNAL), manifest));
    }

    assertThat(e.hop(), equalTo(ReconciliationException.Hop.DATABRICKS));
    assertThat(
        e.getMessage(),
        containsString(
            "Values differ between the files of run r1 and Databricks table"
                + " spark_catalog.values_it.values_null_text: c_char (fingerprints computed by"
                + " Spark, docs/fingerprints.md). Bisected on the key (id, the query's first"
                + " column) against the files in 2 queries, to 1 hex digits of the MD5 of the key:"
                + " id '1': c_char NULL in Spark, 'abc' in the files (canonical text; at most 5"
                + " keys)."));
  }
}
