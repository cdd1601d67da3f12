package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.validation.ReconciliationException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bisection over several levels, executed on an in-memory H2 (the Synapse stand-in's engine): a
 * table of {@code -Dbisect.rows} rows (5,000 by default) against files generated row by row, with
 * one value changed, one row missing and one row added in the table; each is named by its key. Run
 * with {@code -Dbisect.rows=1000000} it prints the time to bisect (docs/fingerprints.md, Cost).
 */
class KeyBisectionTest {
  private static final int ROWS = Integer.getInteger("bisect.rows", 5000);
  private static final long CHANGED = 1234;
  private static final long MISSING = 4321;
  private static final long ADDED = ROWS + 1L;

  private static final List<Manifest.Column> COLUMNS =
      List.of(
          new Manifest.Column("id", "int64", ""),
          new Manifest.Column("name", "string", ""),
          new Manifest.Column("amount", "decimal(12,2)", ""),
          new Manifest.Column("ts", "timestamp_tz", ""));

  private static Object[] row(long id) {
    return new Object[] {
      id,
      id % 97 == 0 ? null : "name " + id,
      BigDecimal.valueOf(id * 37 % 100_000, 2),
      Instant.ofEpochSecond(1_700_000_000L + id * 61, 500_000_000)
    };
  }

  /** The files: every row from 1 to {@link #ROWS}, made again on every read. */
  private static final ValuesCheck.Files FILES =
      consumer -> {
        for (long id = 1; id <= ROWS; id++) {
          consumer.accept(row(id));
        }
      };

  private static List<List<String>> query(Connection connection, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int width = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> row = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          row.add(result.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static void load(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE t (id BIGINT, name VARCHAR(100), amount DECIMAL(12,2),"
              + " ts TIMESTAMP(6) WITH TIME ZONE)");
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?,?,?,?)")) {
      for (long id = 1; id <= ADDED; id++) {
        if (id == MISSING) {
          continue;
        }
        Object[] values = row(id);
        insert.setLong(1, id);
        insert.setString(2, id == CHANGED ? "name " + id + " " : (String) values[1]);
        insert.setBigDecimal(3, (BigDecimal) values[2]);
        insert.setObject(4, ((Instant) values[3]).atOffset(ZoneOffset.UTC));
        insert.addBatch();
        if (id % 10_000 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  @Test
  void aChangedAMissingAndAnAddedRowAreEachNamedByTheirKey() throws Exception {
    Manifest files = manifest();
    try (Connection connection =
        DriverManager.getConnection(
            "jdbc:h2:mem:key_bisection;MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE")) {
      load(connection);
      ValuesCheck check =
          ValuesCheck.of(
                  FingerprintSql.h2(),
                  COLUMNS.stream().map(c -> FingerprintColumn.inTable(c, "parquet")).toList())
              .withFiles(FILES);
      ValuesCheck.Rows table = new ValuesCheck.Rows("H2 table t", "t", null);
      long start = System.nanoTime();
      query(connection, check.query(table));
      long scan = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      ReconciliationException e =
          assertThrows(
              ReconciliationException.class,
              () ->
                  check.verify(
                      sql -> query(connection, sql),
                      files,
                      ReconciliationException.Hop.WAREHOUSE,
                      table,
                      null,
                      List.of(),
                      "The table is as it was."));
      long millis = (System.nanoTime() - start) / 1_000_000;
      // The check's own fingerprint query, then the bisection: the difference is its cost.
      System.out.printf(
          "Bisected %d rows: one fingerprint query %d ms, the check with bisection %d ms: %s%n",
          ROWS, scan, millis, e.getMessage());
      assertThat(
          e.getMessage(),
          containsString(
              "Values differ between the files of run r1 and H2 table t: id, name, amount,"
                  + " ts (fingerprints computed by H2, docs/fingerprints.md). Bisected on the key"
                  + " (id, the query's first column) against the files in "));
      assertThat(
          e.getMessage(),
          containsString(
              "id '"
                  + CHANGED
                  + "': name 'name "
                  + CHANGED
                  + " ' in H2, 'name "
                  + CHANGED
                  + "' in the files"));
      assertThat(
          e.getMessage(),
          containsString(
              "id '" + MISSING + "': only in the files (name 'name " + MISSING + "', amount '"));
      assertThat(
          e.getMessage(),
          containsString("id '" + ADDED + "': only in H2 (name 'name " + ADDED + "', amount '"));
    }
  }

  private static Manifest manifest() throws Exception {
    FingerprintAccumulator accumulator = FingerprintAccumulator.of(manifest(null).schema());
    FILES.read(accumulator::add);
    return manifest(accumulator.fingerprint());
  }

  private static Manifest manifest(Fingerprint fingerprint) {
    return new Manifest(
        Manifest.VERSION,
        "r1",
        "2026-01-01T00:00:00Z",
        "s3://b/run/r1/",
        "parquet",
        "none",
        null,
        ROWS,
        1,
        10,
        COLUMNS,
        List.of(),
        fingerprint);
  }
}
