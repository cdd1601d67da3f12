package io.lakeroute.pipelines.launch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LegacyDatesDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run publishes the fingerprints of its files; {@code verify} re-checks a published run against
 * them, and catches a value changed in a file whose manifest SHA-256 and size were changed to
 * match, naming the file and the column. The source is an in-memory H2 database, the destination a
 * local folder: no server.
 */
class VerifyCommandTest {
  private static final String URL = "jdbc:h2:mem:verify_command;DB_CLOSE_DELAY=-1";
  private static Connection keepAlive;

  @TempDir Path destination;
  @TempDir Path summaries;
  private Path summary;

  @org.junit.jupiter.api.BeforeEach
  void summaryPath() {
    summary = summaries.resolve("summary.json");
  }

  private record Outcome(ExitCode code, String out, String err) {}

  @BeforeAll
  static void seed() throws Exception {
    keepAlive = DriverManager.getConnection(URL, "sa", "");
    try (Statement statement = keepAlive.createStatement()) {
      statement.execute(
          "CREATE TABLE customers (id INT, name VARCHAR(40), balance DECIMAL(12,2),"
              + " seen TIMESTAMP(6))");
      statement.execute(
          "INSERT INTO customers VALUES (1, 'Alice', 10.50, TIMESTAMP '2024-01-01 10:00:00'),"
              + " (2, 'Bob', NULL, TIMESTAMP '1582-10-10 00:00:00.000001'), (3, '', -0.01, NULL)");
    }
  }

  @AfterAll
  static void close() throws Exception {
    keepAlive.close();
  }

  private static Outcome launch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitCode code =
        Launcher.launch(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.<String, String>of()::get);
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Outcome verify() {
    return launch("verify", "--destination=" + destination, "--runId=r1");
  }

  @Test
  void aValueChangedBehindAMatchingChecksumFailsNamingFileAndColumn() throws Exception {
    Outcome run =
        launch(
            "--route=s3",
            "--jdbcUrl=" + URL,
            "--jdbcUser=sa",
            "--query=SELECT * FROM customers",
            "--format=csv",
            "--destination=" + destination,
            "--runId=r1",
            "--summaryPath=" + summary);
    assertThat(run.err(), run.code(), equalTo(ExitCode.OK));
    assertThat(run.out(), containsString("rows read = files: fingerprints of 4 columns equal"));
    JsonNode values =
        new ObjectMapper().readTree(Files.readString(summary)).path("runs").path(0).path("values");
    assertThat(values.path("verdict").asText(), equalTo("equal"));
    assertThat(values.path("hops").asText(), equalTo("read = files"));
    assertThat(values.path("fingerprint").path("rows").asLong(), equalTo(3L));
    Path manifestFile = destination.resolve("r1").resolve("_manifest.json");
    Manifest manifest = Manifest.fromJson(Files.readString(manifestFile));
    assertThat(manifest.fingerprint(), notNullValue());
    assertThat(manifest.files().get(0).fingerprint(), notNullValue());

    Outcome clean = verify();
    assertThat(clean.err(), clean.code(), equalTo(ExitCode.OK));
    assertThat(clean.out(), containsString("every column's fingerprint as the manifest says"));

    // H2 names the columns in capitals. Bob becomes Bub: same size; the manifest's SHA-256 and size
    // are changed to match.
    Manifest.FileEntry entry = manifest.files().get(0);
    Path file = destination.resolve("r1").resolve(entry.name());
    String text = Files.readString(file);
    assertThat(text, containsString("Bob"));
    byte[] changed = text.replace("Bob", "Bub").getBytes(StandardCharsets.UTF_8);
    Files.write(file, changed);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(changed));
    Manifest.FileEntry forged =
        new Manifest.FileEntry(
            entry.name(), entry.uri(), entry.rows(), changed.length, sha256, entry.fingerprint());
    Manifest tampered =
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
            manifest.columns(),
            List.of(forged),
            manifest.fingerprint());
    Files.writeString(manifestFile, tampered.toJson());

    Outcome caught = verify();
    assertThat(caught.out(), caught.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        caught.err(),
        allOf(
            containsString(entry.name() + ": values differ in NAME"),
            not(containsString("BALANCE")),
            not(containsString("SHA-256"))));
  }

  /**
   * With route synapse's options (its H2 stand-in, {@code --warehouseDialect=h2}), verify also
   * fingerprints the warehouse table's rows of the run in H2, by the query a run uses, and fails
   * naming hop, table and column once a value there changes. The table is filled here as the load
   * would have: the run's rows and its run id. Verify asks only for the table and the connection,
   * never for the load's credentials.
   */
  @Test
  void withWarehouseOptionsTheWarehouseRowsOfTheRunAreReChecked() throws Exception {
    Outcome run =
        launch(
            "--route=s3",
            "--jdbcUrl=" + URL,
            "--jdbcUser=sa",
            "--query=SELECT * FROM customers",
            "--format=parquet",
            "--destination=" + destination,
            "--runId=r1");
    assertThat(run.err(), run.code(), equalTo(ExitCode.OK));
    String warehouseUrl =
        "jdbc:h2:mem:verify_warehouse;MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;DB_CLOSE_DELAY=-1";
    try (Connection warehouse = DriverManager.getConnection(warehouseUrl, "sa", "");
        Statement statement = warehouse.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS dbo");
      statement.execute(
          "CREATE TABLE dbo.customers (ID INT, NAME VARCHAR(40), BALANCE DECIMAL(12,2),"
              + " SEEN TIMESTAMP(6), _lakeroute_run_id VARCHAR(128))");
      statement.execute(
          "INSERT INTO dbo.customers VALUES"
              + " (1, 'Alice', 10.50, TIMESTAMP '2024-01-01 10:00:00', 'r1'),"
              + " (2, 'Bob', NULL, TIMESTAMP '1582-10-10 00:00:00.000001', 'r1'),"
              + " (3, '', -0.01, NULL, 'r1'), (4, 'Other run', 1, NULL, 'r0')");
      String[] verify = {
        "verify",
        "--route=synapse",
        "--warehouseDialect=h2",
        "--warehouseJdbcUrl=" + warehouseUrl,
        "--warehouseUser=sa",
        "--warehouseTable=customers",
        "--destination=" + destination,
        "--runId=r1"
      };

      Outcome clean = launch(verify);
      assertThat(clean.err(), clean.code(), equalTo(ExitCode.OK));
      assertThat(
          clean.out(),
          containsString(
              "  warehouse  h2 table [dbo].[customers] (rows of run r1): every column's"
                  + " fingerprint as the manifest says"));

      statement.execute("UPDATE dbo.customers SET BALANCE = 10.49 WHERE ID = 1");
      Outcome caught = launch(verify);
      assertThat(caught.out(), caught.code(), equalTo(ExitCode.RECONCILIATION));
      assertThat(
          caught.err(),
          allOf(
              containsString(
                  "  warehouse: Values differ between the files of run r1 and h2 table"
                      + " [dbo].[customers] (rows of run r1): BALANCE (fingerprints computed by"
                      + " H2, docs/fingerprints.md)."),
              containsString("verify changed nothing"),
              not(containsString("NAME"))));

      // A row of the run gone (a later run replaced it) is a difference in the row count too.
      statement.execute("DELETE FROM dbo.customers WHERE ID = 3");
      assertThat(
          launch(verify).err(), containsString("(rows of run r1): rows, ID, NAME, BALANCE, SEEN"));
    }

    // Route redshift: the table is asked for, the IAM role of its COPY never.
    Outcome noTable =
        launch(
            "verify",
            "--route=redshift",
            "--warehouseJdbcUrl=jdbc:postgresql://127.0.0.1:1/none",
            "--destination=" + destination,
            "--runId=r1");
    assertThat(noTable.code(), equalTo(ExitCode.USAGE));
    assertThat(
        noTable.err(),
        allOf(containsString("needs --warehouseTable"), not(containsString("IAM role"))));
  }

  @Test
  void aRunThatIsNotThereIsAUsageError() {
    Outcome missing = launch("verify", "--destination=" + destination, "--runId=nope");
    assertThat(missing.code(), equalTo(ExitCode.USAGE));
    assertThat(missing.err(), containsString("No published run at"));
  }

  /**
   * With --verifySource, H2 fingerprints the query's rows itself, equal to the rows read; the
   * summary names the source among the hops whose values were compared.
   */
  @Test
  void theSourceFingerprintsItsOwnRowsWithVerifySource() throws Exception {
    Outcome run =
        launch(
            "--route=s3",
            "--jdbcUrl=" + URL,
            "--jdbcUser=sa",
            "--query=SELECT * FROM customers",
            "--format=parquet",
            "--verifySource",
            "--destination=" + destination,
            "--runId=r1",
            "--summaryPath=" + summary);

    assertThat(run.err(), run.code(), equalTo(ExitCode.OK));
    assertThat(
        run.out(), containsString("rows source = read = files: fingerprints of 4 columns equal"));
    JsonNode values =
        new ObjectMapper().readTree(Files.readString(summary)).path("runs").path(0).path("values");
    assertThat(values.path("hops").asText(), equalTo("source = read = files"));
    assertThat(values.path("columnsEqual").path("source").asLong(), equalTo(4L));
  }

  /**
   * A driver that reads dates through java.sql.Date (LegacyDatesDriver) moves Bob's 1582-10-10: the
   * count is equal, the run exits 7 at the source naming the column and the key, and nothing is
   * published.
   */
  @Test
  void aValueTheDriverChangesExits7NamingTheSourceColumnAndKey() throws Exception {
    Outcome run =
        launch(
            "--route=s3",
            "--jdbcUrl=" + LegacyDatesDriver.url(URL),
            "--jdbcUser=sa",
            "--query=SELECT id, name, CAST(seen AS DATE) AS seen_day FROM customers",
            "--format=csv",
            "--verifySource",
            "--destination=" + destination,
            "--runId=r2",
            "--summaryPath=" + summary);

    assertThat(run.err(), run.code(), equalTo(ExitCode.RECONCILIATION));
    assertThat(
        run.err(),
        allOf(
            containsString("Values differ between the source and the rows read from it"),
            containsString("SEEN_DAY (fingerprints computed by H2"),
            containsString("ID '2': SEEN_DAY '1582-10-10' in H2, '"),
            containsString("Nothing was published")));
    assertThat(Files.exists(destination.resolve("r2").resolve("_manifest.json")), equalTo(false));
    JsonNode failure = new ObjectMapper().readTree(Files.readString(summary)).path("runs").path(0);
    assertThat(failure.toString(), containsString("deliver"));
  }
}
