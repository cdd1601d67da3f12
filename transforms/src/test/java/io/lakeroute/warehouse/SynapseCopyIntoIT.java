package io.lakeroute.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.JdbcClient;
import io.lakeroute.testing.CopyExecutingDriver;
import io.lakeroute.testing.LocalAzurite;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.WarehouseRows;
import io.lakeroute.validation.ReconciliationException;
import io.lakeroute.warehouse.WarehouseTarget.Disposition;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Synapse's generated COPY INTO executed: the files in Azurite, the statement exactly as
 * SynapseDialect writes it (with a real SAS token of the account), run by the H2 stand-in through
 * {@link CopyExecutingDriver}; the loaded values compared with the source's. A statement with one
 * option changed, a wrong SAS token and a manifest with a file too many or too few fail.
 */
class SynapseCopyIntoIT {
  private static final String CONTAINER = "lakeroute-synapse-copy";
  private static LocalAzurite azurite;
  private static String h2Url;
  private static String url;
  private static String sas;

  @BeforeAll
  static void start() throws Exception {
    azurite = LocalAzurite.shared();
    azurite.createContainer(CONTAINER);
    sas = azurite.accountSas("rl");
    h2Url =
        "jdbc:h2:file:"
            + Files.createTempDirectory("lakeroute-synapse-copy").resolve("synapse")
            + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE";
    url = CopyExecutingDriver.synapse(h2Url, azurite);
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "")) {
      execute(connection, "CREATE SCHEMA IF NOT EXISTS [dbo]");
    }
  }

  private static Manifest staged(String format, String codec, String prefix) throws Exception {
    return StagedRun.trickyRows(
        format,
        codec,
        "azfs://" + LocalAzurite.ACCOUNT + "/" + CONTAINER + "/" + prefix + "/r1/",
        (name, content) -> azurite.put(CONTAINER, prefix + "/r1/" + name, content));
  }

  private static WarehouseConnection warehouse() {
    return WarehouseConnection.of(WarehouseDialect.H2)
        .withJdbcUrl(url)
        .withUser("sa")
        .withStorageCredential(sas);
  }

  private static WarehouseSql sql(String table, Manifest manifest) {
    return warehouse()
        .sql(new WarehouseTarget("dbo", table, Disposition.APPEND, List.of()), manifest);
  }

  private static WarehouseStep.Outcome load(WarehouseSql sql) throws SQLException {
    try (JdbcClient client = warehouse().open()) {
      return WarehouseStep.run(client, warehouse(), sql);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"csv, gzip", "csv, none", "parquet, snappy"})
  void csvAndParquetLoadTheTrickyRowsValueForValue(String format, String codec) throws Exception {
    String table = "Tricky_" + format + "_" + codec;
    WarehouseSql sql = sql(table, staged(format, codec, table));
    assertThat(sql.load(), containsString("SECRET = '" + sas + "'"));

    assertThat(load(sql).rowsLoaded(), equalTo((long) TrickyRows.ROW_COUNT));

    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT * FROM [dbo].[" + table + "] ORDER BY [id] NULLS LAST")) {
      WarehouseRows.assertTrickyRows(rs, format, "r1", table);
    }
  }

  /** The generated CSV COPY INTO with one thing changed; each must fail, the original loads. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "FIELDTERMINATOR = ','|FIELDTERMINATOR = ';'| Invalid quote formatting for CSV",
        "FIRSTROW = 2|FIRSTROW = 1| Invalid date format or value [c_date]",
        "FILE_TYPE = 'CSV'|FILE_TYPE = 'PARQUET'| is only supported for FILE_TYPE = 'CSV'",
        ",\\n  COMPRESSION = 'GZIP'| | Bulk load data conversion error",
        "ROWTERMINATOR = '0x0A'|ROWTERMINATOR = '0x0D0A'| Invalid quote formatting for CSV",
        "MAXERRORS = 0|MAXERROR = 0| Incorrect syntax near 'MAXERROR'",
        "IDENTITY = 'Shared Access Signature'|IDENTITY = 'Service Principal'| Invalid IDENTITY",
      })
  void aCopyIntoWithOneOptionChangedFails(String from, String to, String expected)
      throws Exception {
    String table = "changed_csv";
    WarehouseSql sql = sql(table, staged("csv", "gzip", table));
    String copy = sql.load();
    String changed = copy.replace(from.replace("\\n", "\n"), to == null ? "" : to);
    assertThat(changed, not(equalTo(copy)));
    try (Connection connection = stage(sql)) {
      SQLException e = assertThrows(SQLException.class, () -> execute(connection, changed));
      assertThat(e.getMessage(), containsString(expected.strip()));
      assertThat(staged(connection, sql), equalTo(0L));
      execute(connection, copy);
      assertThat(staged(connection, sql), equalTo((long) TrickyRows.ROW_COUNT));
    }
  }

  @Test
  void aWrongSasTokenIsRefusedByTheStore() throws Exception {
    String table = "wrong_sas";
    WarehouseSql sql = sql(table, staged("csv", "none", table));
    String forged =
        sas.replaceAll("sig=[^&]+", "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D");
    assertThat(forged, not(equalTo(sas)));
    try (Connection connection = stage(sql)) {
      SQLException e =
          assertThrows(
              SQLException.class, () -> execute(connection, sql.load().replace(sas, forged)));
      assertThat(
          e.getMessage(), containsString("Operating system error code 5(Access is denied.)"));
    }
  }

  @Test
  void aFileThatIsNotInTheStoreFailsAndOneLeftOutFailsTheReconciliation() throws Exception {
    String table = "bad_files";
    Manifest manifest = staged("csv", "gzip", table);
    Manifest.FileEntry first = manifest.files().get(0);
    Manifest extra =
        StagedRun.withFiles(
            manifest,
            List.of(
                first,
                new Manifest.FileEntry(
                    "part-00009-of-00002.csv.gz",
                    manifest.location() + "part-00009-of-00002.csv.gz",
                    1,
                    10,
                    "")));
    WarehouseException missing =
        assertThrows(WarehouseException.class, () -> load(sql(table, extra)));
    assertThat(
        missing.getMessage(), containsString("part-00009-of-00002.csv.gz\" could not be opened"));

    Manifest shorter = StagedRun.withFiles(manifest, List.of(manifest.files().get(1)));
    ReconciliationException e =
        assertThrows(ReconciliationException.class, () -> load(sql(table, shorter)));
    assertThat(
        e.getMessage(),
        containsString(
            "the files hold "
                + manifest.rowCount()
                + " rows, h2 loaded "
                + manifest.files().get(1).rows()));
  }

  /** A session with the target and an empty staging table, as the step leaves them. */
  private static Connection stage(WarehouseSql sql) throws Exception {
    Connection connection = DriverManager.getConnection(url, "sa", "");
    execute(connection, sql.createTable());
    execute(connection, sql.dropStaging());
    execute(connection, sql.createStaging());
    return connection;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long staged(Connection connection, WarehouseSql sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT COUNT(*) FROM " + sql.dialect().stagingTable(sql))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
