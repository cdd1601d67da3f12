package io.lakeroute.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.JdbcClient;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalPostgres;
import io.lakeroute.testing.LocalS3;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.WarehouseRows;
import io.lakeroute.validation.ReconciliationException;
import io.lakeroute.warehouse.WarehouseTarget.Disposition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Redshift's generated COPY executed: the files of each format in S3Mock, the Redshift manifest and
 * the COPY exactly as RedshiftDialect writes them, run by the PostgreSQL stand-in through {@link
 * CopyExecutingDriver}; the loaded values compared with the source's. A COPY with one option
 * changed, and a manifest with an entry too many or too few, fail.
 */
class RedshiftCopyIT {
  private static final String BUCKET = "lakeroute-redshift-copy";
  private static final String SCHEMA = "copy_it";
  private static final String ROLE = "arn:aws:iam::123456789012:role/lakeroute-load";
  private static LocalS3 s3;
  private static LocalPostgres postgres;
  private static String url;

  @BeforeAll
  static void start() {
    s3 = LocalS3.shared();
    s3.createBucket(BUCKET);
    // The dialect writes the Redshift manifest through Beam's filesystems, as a run does.
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs(s3.beamArgs()).create());
    postgres = LocalPostgres.shared();
    postgres.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    url = CopyExecutingDriver.redshift(postgres.jdbcUrl(), s3);
  }

  private static Manifest staged(String format, String codec, String prefix) throws Exception {
    return StagedRun.trickyRows(
        format,
        codec,
        "s3://" + BUCKET + "/" + prefix + "/r1/",
        (name, content) -> s3.put(BUCKET, prefix + "/r1/" + name, content));
  }

  private static WarehouseConnection warehouse() {
    return WarehouseConnection.of(WarehouseDialect.POSTGRES)
        .withJdbcUrl(url)
        .withUser(postgres.user())
        .withPassword(postgres.password())
        .withStorageCredential(ROLE);
  }

  private static WarehouseSql sql(String table, Manifest manifest) {
    return warehouse()
        .sql(new WarehouseTarget(SCHEMA, table, Disposition.APPEND, List.of()), manifest);
  }

  private static WarehouseStep.Outcome load(WarehouseSql sql) throws SQLException {
    try (JdbcClient client = warehouse().open()) {
      return WarehouseStep.run(client, warehouse(), sql);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"csv, gzip", "csv, none", "json, gzip", "avro, snappy", "parquet, snappy"})
  void everyFormatLoadsTheTrickyRowsValueForValue(String format, String codec) throws Exception {
    String table = "tricky_" + format + "_" + codec;
    postgres.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    WarehouseSql sql = sql(table, staged(format, codec, table));
    assertThat(sql.load(), containsString("FROM 's3://" + BUCKET + "/" + table + "/r1/"));

    WarehouseStep.Outcome outcome = load(sql);

    assertThat(outcome.rowsLoaded(), equalTo((long) TrickyRows.ROW_COUNT));
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT * FROM " + SCHEMA + "." + table + " ORDER BY id NULLS LAST")) {
      WarehouseRows.assertTrickyRows(rs, format, "r1", table);
    }
  }

  /** The generated CSV COPY with one thing changed; each must fail, the original loads. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "GZIP| | Check 'stl_load_errors' system table",
        "DELIMITER AS ','|DELIMITER AS ';'| Invalid quote formatting for CSV",
        "IGNOREHEADER 1|IGNOREHEADER 0| Invalid date format or value [c_date]",
        "NULL AS ''|NULL AS '\\N'| Invalid timestamp format or value []",
        "DATEFORMAT 'YYYY-MM-DD'|DATEFORMAT 'DD/MM/YYYY'| Invalid date format or value",
        "FORMAT AS CSV QUOTE AS '\"'|FORMAT AS JSON 'auto ignorecase' QUOTE AS '\"'|"
            + " DELIMITER argument is not supported for JSON format",
        "MAXERROR 0|MAXERRORS 0| syntax error at or near \"MAXERRORS\"",
        "ENCODING UTF8|ENCODING LATIN1| Invalid ENCODING LATIN1",
        "IAM_ROLE 'arn:aws:iam::123456789012:role/lakeroute-load'|IAM_ROLE 'lakeroute-load'|"
            + " Invalid IAM_ROLE ARN",
        "MANIFEST| | Not in GZIP format",
      })
  void aCopyWithOneOptionChangedFails(String from, String to, String expected) throws Exception {
    String table = "changed_csv";
    WarehouseSql sql = sql(table, staged("csv", "gzip", table));
    String copy = sql.load();
    String changed = copy.replace(from, to == null ? "" : to);
    assertThat(changed, not(equalTo(copy)));
    try (Connection connection = stage(sql)) {
      SQLException e = assertThrows(SQLException.class, () -> execute(connection, changed));
      assertThat(e.getMessage() + " " + loadErrors(connection), containsString(expected.strip()));
      assertThat(staged(connection), equalTo(0L));
      execute(connection, copy);
      assertThat(staged(connection), equalTo((long) TrickyRows.ROW_COUNT));
      assertThat(lastCopyCount(connection), equalTo((long) TrickyRows.ROW_COUNT));
    }
  }

  @Test
  void parquetTakesNoTextOptionsAndNeedsTheContentLength() throws Exception {
    String table = "changed_parquet";
    WarehouseSql sql = sql(table, staged("parquet", "snappy", table));
    String copy = sql.load();
    try (Connection connection = stage(sql)) {
      SQLException options =
          assertThrows(SQLException.class, () -> execute(connection, copy + "\nDATEFORMAT 'auto'"));
      assertThat(options.getMessage(), containsString("only accepts IAM_ROLE"));
      s3.put(
          BUCKET,
          table + "/r1/" + RedshiftDialect.MANIFEST_NAME,
          RedshiftDialect.manifestJson(sql.manifest())
              .replaceAll(", \"meta\": \\{\"content_length\": \\d+}", "")
              .getBytes(StandardCharsets.UTF_8));
      SQLException length = assertThrows(SQLException.class, () -> execute(connection, copy));
      assertThat(length.getMessage(), containsString("needs meta.content_length"));
      assertThat(staged(connection), equalTo(0L));
    }
  }

  @Test
  void aManifestEntryThatIsNotInTheStoreOrHasAnotherLengthFails() throws Exception {
    String table = "bad_manifest";
    Manifest manifest = staged("csv", "none", table);
    Manifest.FileEntry first = manifest.files().get(0);
    Manifest extra =
        StagedRun.withFiles(
            manifest,
            List.of(
                first,
                new Manifest.FileEntry(
                    "part-00009-of-00002.csv",
                    manifest.location() + "part-00009-of-00002.csv",
                    1,
                    10,
                    "")));
    SQLException missing = loadFails(sql(table, extra));
    assertThat(missing.getMessage(), containsString("Manifest file entry is not found"));
    assertThat(missing.getMessage(), containsString("part-00009-of-00002.csv"));

    Manifest longer =
        StagedRun.withFiles(
            manifest,
            List.of(
                new Manifest.FileEntry(
                    first.name(), first.uri(), first.rows(), first.bytes() + 1, "")));
    SQLException length = loadFails(sql(table, longer));
    assertThat(length.getMessage(), containsString("has content_length " + (first.bytes() + 1)));
  }

  /** A manifest that leaves a file out loads fewer rows, and the step's reconciliation says so. */
  @Test
  void aManifestWithoutOneOfTheRunsFilesFailsTheReconciliation() throws Exception {
    String table = "short_manifest";
    postgres.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    Manifest manifest = staged("csv", "gzip", table);
    Manifest shorter = StagedRun.withFiles(manifest, List.of(manifest.files().get(1)));
    ReconciliationException e =
        assertThrows(ReconciliationException.class, () -> load(sql(table, shorter)));
    assertThat(
        e.getMessage(),
        containsString(
            "the files hold "
                + manifest.rowCount()
                + " rows, postgres loaded "
                + manifest.files().get(1).rows()));
    assertThat(countTable(table), equalTo(0L));
  }

  /**
   * A timestamp shifted in the table after the load (a trigger on insert, as a warehouse default or
   * rule might): the counts agree, the fingerprint of the run's rows does not. The check names the
   * column, tells the load (the staging table holds the files' values) from the insert, shows the
   * row on each side, and rolls the disposition back.
   */
  @Test
  void aTimestampShiftedInTheTableFailsNamingColumnAndRow() throws Exception {
    String table = "shifted";
    postgres.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    WarehouseSql sql = sql(table, staged("parquet", "snappy", table));
    postgres.execute(
        sql.createTable(),
        "CREATE OR REPLACE FUNCTION "
            + SCHEMA
            + ".shift_one_hour() RETURNS trigger AS $$ BEGIN IF NEW.id = 2 THEN"
            + " NEW.c_timestamptz := NEW.c_timestamptz + INTERVAL '1 hour'; END IF; RETURN NEW;"
            + " END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER shift BEFORE INSERT ON "
            + SCHEMA
            + "."
            + table
            + " FOR EACH ROW EXECUTE FUNCTION "
            + SCHEMA
            + ".shift_one_hour()");

    ReconciliationException e = assertThrows(ReconciliationException.class, () -> load(sql));

    assertThat(e.hop(), equalTo(ReconciliationException.Hop.WAREHOUSE));
    assertThat(
        e.getMessage(),
        containsString(
            "Values differ between the files of run r1 and postgres table \"copy_it\".\"shifted\""
                + " (rows of run r1): c_timestamptz (fingerprints computed by PostgreSQL"));
    assertThat(
        e.getMessage(),
        containsString(
            "the staging table \"lakeroute_stage\" holds the files' values, so a statement after"
                + " the load changed them. Rows (id, c_timestamptz) in postgres table"
                + " \"copy_it\".\"shifted\" (rows of run r1) but not in the files: ('2',"
                + " '-152387632876544'); in the files but not in postgres table"
                + " \"copy_it\".\"shifted\" (rows of run r1): ('2', '-152391232876544')"));
    assertThat(e.getMessage(), containsString("The table \"copy_it\".\"shifted\" is as it was"));
    assertThat(countTable(table), equalTo(0L));
  }

  /**
   * A COPY that changes a value as it reads the files (here the stand-in's COPY shifts a timestamp
   * in the staging table once the rows are in, as a session time zone would): the staging table
   * differs from the files too, so nothing in the warehouse holds the files' values. The check
   * bisects on the key against the files, read again through Beam's filesystems, and names the row
   * with the value as each side renders it.
   */
  @Test
  void aCopyThatChangesAValueIsBisectedToItsKey() throws Exception {
    String table = "shifted_by_copy";
    postgres.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    WarehouseSql sql = sql(table, staged("csv", "gzip", table));
    CopyExecutingDriver.afterNextRedshiftCopy(
        "UPDATE lakeroute_stage SET c_timestamptz = c_timestamptz + INTERVAL '1 hour' WHERE id = 2");

    ReconciliationException e = assertThrows(ReconciliationException.class, () -> load(sql));

    assertThat(e.hop(), equalTo(ReconciliationException.Hop.WAREHOUSE));
    assertThat(
        e.getMessage(),
        containsString(
            "(rows of run r1): c_timestamptz (fingerprints computed by PostgreSQL,"
                + " docs/fingerprints.md). the staging table \"lakeroute_stage\" already differs"
                + " from the files in c_timestamptz: the load changed the values as it read the"
                + " files. Bisected on the key (id, the query's first column) against the files in"
                + " 2 queries, to 1 hex digits of the MD5 of the key: id '2': c_timestamptz"
                + " '-152387632876544' in PostgreSQL, '-152391232876544' in the files (canonical"
                + " text; at most 5 keys)."));
    assertThat(
        e.getMessage(), containsString("The table \"copy_it\".\"shifted_by_copy\" is as it was"));
    assertThat(countTable(table), equalTo(0L));
  }

  @Test
  void aRejectedValueNamesLineColumnAndFileThroughStlLoadErrors() throws Exception {
    String table = "too_narrow";
    postgres.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + table);
    WarehouseSql sql = sql(table, staged("csv", "gzip", table));
    postgres.execute(
        sql.createTable(),
        "ALTER TABLE " + SCHEMA + "." + table + " ALTER COLUMN c_varchar TYPE VARCHAR(5)");
    WarehouseException e = assertThrows(WarehouseException.class, () -> load(sql));
    assertThat(e.getMessage(), containsString("Check 'stl_load_errors' system table"));
    assertThat(
        e.getMessage(),
        containsString(
            ", c_varchar, ERROR: value too long for type character varying(5), s3://"
                + BUCKET
                + "/"
                + table
                + "/r1/part-0000"));
    assertThat(countTable(table), equalTo(0L));
  }

  private static SQLException loadFails(WarehouseSql sql) throws Exception {
    try (Connection connection = stage(sql)) {
      return assertThrows(SQLException.class, () -> execute(connection, sql.load()));
    }
  }

  /**
   * A session with the target and an empty staging table, and the Redshift manifest of {@code sql}
   * written, as the step leaves them just before its COPY.
   */
  private static Connection stage(WarehouseSql sql) throws Exception {
    Connection connection = DriverManager.getConnection(url, postgres.user(), postgres.password());
    execute(connection, sql.createTable());
    execute(connection, sql.dropStaging());
    execute(connection, sql.createStaging());
    String location = sql.manifest().location().substring(("s3://" + BUCKET + "/").length());
    s3.put(
        BUCKET,
        location + RedshiftDialect.MANIFEST_NAME,
        RedshiftDialect.manifestJson(sql.manifest()).getBytes(StandardCharsets.UTF_8));
    return connection;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long staged(Connection connection) throws SQLException {
    return longOf(connection, "SELECT COUNT(*) FROM \"lakeroute_stage\"");
  }

  private static long lastCopyCount(Connection connection) throws SQLException {
    return longOf(connection, "SELECT pg_last_copy_count()");
  }

  private static String loadErrors(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(RedshiftDialect.loadErrors())) {
      StringBuilder errors = new StringBuilder();
      while (rs.next()) {
        errors.append(rs.getString(1)).append(' ').append(rs.getString(3)).append("; ");
      }
      return errors.toString();
    }
  }

  private static long longOf(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long countTable(String table) throws Exception {
    try (Connection connection = postgres.connect()) {
      return longOf(connection, "SELECT COUNT(*) FROM " + SCHEMA + "." + table);
    }
  }
}
