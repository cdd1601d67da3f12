package io.lakeroute.databricks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.databricks.DatabricksTarget.Dialect;
import io.lakeroute.databricks.DatabricksTarget.Disposition;
import io.lakeroute.databricks.DatabricksTarget.Load;
import io.lakeroute.databricks.DatabricksTarget.Mode;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests of every statement the Databricks step can generate, for real Databricks and for the
 * open-source Spark stand-in (the insert load's statements differ only in the location; COPY INTO
 * is proven here as text only). The expected text lives in src/test/resources/DatabricksSqlTest/;
 * run with -Dgolden.update=true to rewrite it after an intended change, then review the diff.
 */
class DatabricksSqlTest {
  private static final Path GOLDEN = Path.of("src/test/resources/DatabricksSqlTest");
  private static final DatabricksTable TABLE = new DatabricksTable("main", "sales", "customers");

  static Manifest manifest(String format, String location) {
    return manifest(format, location, "");
  }

  static Manifest manifest(String format, String location, String nullString) {
    List<Manifest.Column> columns =
        List.of(
            new Manifest.Column("id", "int64", "int8"),
            new Manifest.Column("small", "int16", "int2"),
            new Manifest.Column("n", "int32", "int4"),
            new Manifest.Column("amount", "decimal(38,10)", "numeric"),
            new Manifest.Column("ratio", "double", "float8"),
            new Manifest.Column("score", "float", "float4"),
            new Manifest.Column("active", "boolean", "bool"),
            new Manifest.Column("name", "string", "text"),
            new Manifest.Column("payload", "bytes", "bytea"),
            new Manifest.Column("born", "date", "date"),
            new Manifest.Column("at", "time", "time"),
            new Manifest.Column("created", "timestamp", "timestamp"),
            new Manifest.Column("seen", "timestamp_tz", "timestamptz"),
            new Manifest.Column("odd `name'", "string", "text"));
    List<Manifest.FileEntry> files = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String name =
          String.format("part-%05d-of-00002.%s", i, format.equals("csv") ? "csv.gz" : format);
      files.add(new Manifest.FileEntry(name, location + name, 10, 100, "00"));
    }
    Manifest.Csv csv =
        format.equals("csv")
            ? new Manifest.Csv(true, ",", "\"", null, "minimal", nullString, "LF")
            : null;
    return new Manifest(
        Manifest.VERSION,
        "20260101T000000Z",
        "2026-01-01T00:00:00Z",
        location,
        format,
        format.equals("csv") ? "gzip" : "none",
        csv,
        20,
        2,
        200,
        columns,
        files);
  }

  private static String statements(DatabricksTarget target, Manifest manifest) {
    DatabricksSql sql = new DatabricksSql(target, manifest);
    List<String> all = new ArrayList<>();
    all.add(DatabricksSql.describeSchema(target.table()));
    all.add(sql.createTable());
    all.add(sql.describeTable());
    all.addAll(sql.load());
    all.add(sql.countRows());
    return String.join(";\n\n", all) + ";\n";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "databricks-external-parquet, DATABRICKS, EXTERNAL, REPLACE, INSERT, '', parquet, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-external-csv, DATABRICKS, EXTERNAL, REPLACE, INSERT, '', csv, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-delta-append-parquet, DATABRICKS, DELTA, APPEND, INSERT, '', parquet, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-delta-append-copy-into-json, DATABRICKS, DELTA, APPEND, COPY_INTO, '', json, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-delta-append-copy-into-csv, DATABRICKS, DELTA, APPEND, COPY_INTO, '', csv, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-delta-replace-avro, DATABRICKS, DELTA, REPLACE, INSERT, '', avro, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-delta-merge-parquet, DATABRICKS, DELTA, MERGE, INSERT, 'id,odd `name''', parquet, s3://bucket/exports/customers/20260101T000000Z/",
    "spark-external-json, SPARK, EXTERNAL, REPLACE, INSERT, '', json, s3://bucket/exports/customers/20260101T000000Z/",
    "spark-delta-append-csv, SPARK, DELTA, APPEND, INSERT, '', csv, s3://bucket/exports/customers/20260101T000000Z/",
    "spark-delta-replace-parquet, SPARK, DELTA, REPLACE, INSERT, '', parquet, /tmp/exports/customers/20260101T000000Z/",
    "spark-delta-merge-csv, SPARK, DELTA, MERGE, INSERT, 'ID', csv, s3://bucket/exports/customers/20260101T000000Z/",
    "databricks-external-parquet-azure, DATABRICKS, EXTERNAL, REPLACE, INSERT, '', parquet, azfs://lakeacct/exports/customers/20260101T000000Z/",
    "databricks-delta-append-csv-azure, DATABRICKS, DELTA, APPEND, INSERT, '', csv, azfs://lakeacct/exports/customers/20260101T000000Z/",
    "spark-external-csv-azurite, SPARK, EXTERNAL, REPLACE, INSERT, '', csv, azfs://devstoreaccount1/exports/customers/20260101T000000Z/",
    "spark-delta-replace-parquet-azure, SPARK, DELTA, REPLACE, INSERT, '', parquet, azfs://lakeacct/exports/customers/20260101T000000Z/",
  })
  void matchesGolden(
      String name,
      Dialect dialect,
      Mode mode,
      Disposition disposition,
      Load load,
      String keys,
      String format,
      String location)
      throws IOException {
    String actual =
        statements(
            new DatabricksTarget(
                TABLE, mode, disposition, dialect, DatabricksTarget.mergeKeys(keys), load),
            manifest(format, location));
    Path golden = GOLDEN.resolve(name + ".sql");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(name, actual, equalTo(Files.readString(golden, StandardCharsets.UTF_8)));
  }

  @Test
  void identifiersAndLiteralsCannotBeEscaped() {
    DatabricksTable table = new DatabricksTable("c`a", "s'; DROP TABLE x; --", "t");
    DatabricksSql sql =
        new DatabricksSql(
            new DatabricksTarget(table, Mode.EXTERNAL, Disposition.REPLACE, Dialect.DATABRICKS),
            manifest("parquet", "s3://b/it's\\here/"));
    assertThat(
        DatabricksSql.describeSchema(table),
        equalTo("DESCRIBE SCHEMA `c``a`.`s'; DROP TABLE x; --`"));
    assertThat(sql.createTable(), containsString("LOCATION 's3://b/it\\'s\\\\here/'"));
    assertThat(sql.createTable(), containsString("`odd ``name'` STRING"));
  }

  @Test
  void refusesNamesAndValuesThatCannotBeQuoted() {
    assertThrows(IllegalArgumentException.class, () -> new DatabricksTable("a.b", "s", "t"));
    assertThrows(IllegalArgumentException.class, () -> new DatabricksTable("c", "s\n", "t"));
    assertThrows(IllegalArgumentException.class, () -> new DatabricksTable("c", "", "t"));
    assertThrows(IllegalArgumentException.class, () -> SqlText.literal("a\u0000b"));
  }

  @Test
  void realDatabricksCannotReadALocalDestination() {
    DatabricksSql sql =
        new DatabricksSql(
            new DatabricksTarget(TABLE, Mode.EXTERNAL, Disposition.REPLACE, Dialect.DATABRICKS),
            manifest("parquet", "/tmp/out/run/"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, sql::createTable);
    assertThat(e.getMessage(), containsString("cannot read the local destination"));
  }

  @Test
  void externalTablesDoNotAppend() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksSql(
                    new DatabricksTarget(TABLE, Mode.EXTERNAL, Disposition.APPEND, Dialect.SPARK),
                    manifest("parquet", "s3://b/r/")));
    assertThat(
        e.getMessage(), containsString("the delta mode (withDatabricksMode) to append runs"));
  }

  @Test
  void aCsvNullTextIsRefusedBecauseSparkWouldNullAQuotedTextEqualToIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksSql(
                    new DatabricksTarget(TABLE, Mode.DELTA, Disposition.APPEND, Dialect.SPARK),
                    manifest("csv", "s3://b/r/", "\\N")));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("NULL text (withNullString) '\\N'"),
            containsString("a text '\\N' would become NULL"),
            containsString("leave the NULL text (withNullString) empty"),
            containsString("(withFormat)")));
    // The same check, before any data moves, from the options alone.
    FormatSpec spec =
        FormatSpec.of(FileFormat.CSV).withCsv(CsvOptions.defaults().withNullString("NULL"));
    assertThrows(IllegalArgumentException.class, () -> DatabricksSql.checkCsv(spec));
    DatabricksSql.checkCsv(FormatSpec.of(FileFormat.CSV));
  }

  @Test
  void mergeNeedsKeysThatAreColumns() {
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DatabricksTarget(TABLE, Mode.DELTA, Disposition.MERGE, Dialect.SPARK));
    assertThat(none.getMessage(), containsString("needs merge keys (withDatabricksMergeKeys)"));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksSql(
                    new DatabricksTarget(
                        TABLE,
                        Mode.DELTA,
                        Disposition.MERGE,
                        Dialect.SPARK,
                        List.of("id", "nope"),
                        Load.INSERT),
                    manifest("parquet", "s3://b/r/")));
    assertThat(
        unknown.getMessage(),
        containsString("merge keys (withDatabricksMergeKeys) name nope, which is not a column"));
    IllegalArgumentException external =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksTarget(
                    TABLE,
                    Mode.EXTERNAL,
                    Disposition.MERGE,
                    Dialect.SPARK,
                    List.of("id"),
                    Load.INSERT));
    assertThat(external.getMessage(), containsString("delta mode (withDatabricksMode) to merge"));
  }

  @Test
  void copyIntoOnlyAppendsAndOnlyOnDatabricks() {
    IllegalArgumentException spark =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksTarget(
                    TABLE, Mode.DELTA, Disposition.APPEND, Dialect.SPARK, null, Load.COPY_INTO));
    assertThat(spark.getMessage(), containsString("COPY INTO runs on Databricks only"));
    IllegalArgumentException replace =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksTarget(
                    TABLE,
                    Mode.DELTA,
                    Disposition.REPLACE,
                    Dialect.DATABRICKS,
                    null,
                    Load.COPY_INTO));
    assertThat(replace.getMessage(), containsString("the append disposition"));
    assertThat(DatabricksTarget.load(" Copy-Into "), equalTo(Load.COPY_INTO));
    IllegalArgumentException wrong =
        assertThrows(IllegalArgumentException.class, () -> DatabricksTarget.load("copy"));
    assertThat(wrong.getMessage(), containsString("use insert, copy-into"));
  }

  @Test
  void aRunColumnOfTheQueryIsRefused() {
    Manifest manifest = manifest("parquet", "s3://b/r/");
    List<Manifest.Column> columns = new ArrayList<>(manifest.columns());
    columns.add(new Manifest.Column("_LAKEROUTE_RUN_ID", "string", "text"));
    Manifest clash =
        new Manifest(
            manifest.manifestVersion(),
            manifest.runId(),
            manifest.createdAt(),
            manifest.location(),
            manifest.format(),
            manifest.codec(),
            manifest.csv(),
            manifest.rowCount(),
            manifest.fileCount(),
            manifest.totalBytes(),
            columns,
            manifest.files());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DatabricksSql(
                    new DatabricksTarget(TABLE, Mode.DELTA, Disposition.APPEND, Dialect.SPARK),
                    clash));
    assertThat(e.getMessage(), containsString("which lakeroute adds itself"));
  }
}
