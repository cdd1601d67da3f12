package io.lakeroute.bench;

import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.pipelines.demo.CustomerTable;
import io.lakeroute.query.SourceDialect;
import io.lakeroute.query.SqlTypeMapping;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;

/**
 * What the fingerprints cost per row, in one thread, over rows of the benchmark's customer table
 * held in memory ({@code runners-config/benchmark.sh --fingerprintCost}, docs/performance.md): the
 * fingerprint, the fingerprint with the check (the rows as read), the check alone (a file read
 * back), and the MD5s alone: one per value and one over a row text of 20 digests.
 */
final class FingerprintCost {
  private static final int ROWS = 200_000;
  private static final int ROUNDS = 8;

  private FingerprintCost() {}

  static void run() throws Exception {
    Schema schema;
    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:fingerprint_cost");
        Statement statement = h2.createStatement()) {
      statement.execute(CustomerTable.ddl("customers"));
      try (ResultSet empty = statement.executeQuery("SELECT * FROM customers")) {
        schema =
            SqlTypeMapping.schemaOf(
                empty.getMetaData(), SourceDialect.forUrl("jdbc:h2:mem:fingerprint_cost"));
      }
    }
    Object[][] rows = new Object[ROWS][];
    for (int i = 0; i < ROWS; i++) {
      Object[] values = CustomerTable.row(i + 1);
      // The source reads a timestamp with time zone as an Instant.
      values[10] = values[10] == null ? null : ((OffsetDateTime) values[10]).toInstant();
      rows[i] = values;
    }
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    byte[] value = new byte[20];
    byte[] rowText = new byte[32 * CustomerTable.COLUMNS];
    byte[] digest = new byte[16];
    // Rounds before the last warm the JIT; the last is printed.
    for (int round = 1; round <= ROUNDS; round++) {
      double fingerprint = perRow(rows, FingerprintAccumulator.of(schema));
      double both = perRow(rows, FingerprintAccumulator.fingerprintAndCheck(schema));
      double check = perRow(rows, FingerprintAccumulator.checkOnly(schema));
      long start = System.nanoTime();
      for (int i = 0; i < ROWS; i++) {
        for (int c = 0; c < CustomerTable.COLUMNS; c++) {
          md5.update(value, 0, value.length);
          md5.digest(digest, 0, digest.length);
        }
        md5.update(rowText, 0, rowText.length);
        md5.digest(digest, 0, digest.length);
      }
      double md5s = (System.nanoTime() - start) / (double) ROWS / 1000;
      if (round == ROUNDS) {
        System.out.printf(
            Locale.ROOT,
            "µs per row of %d columns: fingerprint %.1f, fingerprint and check %.1f, check %.1f,"
                + " the %d MD5s alone %.1f%n",
            CustomerTable.COLUMNS,
            fingerprint,
            both,
            check,
            CustomerTable.COLUMNS + 1,
            md5s);
      }
    }
  }

  private static double perRow(Object[][] rows, FingerprintAccumulator accumulator) {
    long start = System.nanoTime();
    for (Object[] row : rows) {
      accumulator.add(row);
    }
    return (System.nanoTime() - start) / (double) rows.length / 1000;
  }
}
