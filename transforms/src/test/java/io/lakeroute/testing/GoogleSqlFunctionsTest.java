package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.fingerprint.FingerprintColumn;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.validation.ReconciliationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * BigQuery's fingerprint query as {@link LocalBigQuery} runs it: translated by {@link
 * GoogleSqlScript} and executed on H2 with {@link GoogleSqlFunctions}, over the tricky rows in the
 * H2 types LocalBigQuery gives BigQuery's, it gives exactly Java's fingerprint, and one value
 * changed is named by its column.
 */
class GoogleSqlFunctionsTest {
  private static final Schema SCHEMA = TrickyRows.schema();

  private static List<FingerprintColumn> columns() {
    return SCHEMA.getFields().stream()
        .map(f -> FingerprintColumn.of(f.getName(), Manifest.typeOf(f.getType())))
        .toList();
  }

  /** The H2 type LocalBigQuery holds a column of BigQuery's type (BigQuerySchema) in. */
  private static String h2Type(FingerprintColumn column) {
    String type = column.type();
    if (type.startsWith("decimal")) {
      return type.toUpperCase(java.util.Locale.ROOT);
    }
    switch (type) {
      case "int16":
      case "int32":
      case "int64":
        return "BIGINT";
      case "float":
      case "double":
        return "DOUBLE PRECISION";
      case "boolean":
        return "BOOLEAN";
      case "bytes":
        return "BINARY VARYING";
      case "date":
        return "DATE";
      case "time":
        return "TIME(6)";
      case "timestamp":
        return "TIMESTAMP(6)";
      case "timestamp_tz":
        return "TIMESTAMP(6) WITH TIME ZONE";
      default:
        return "CHARACTER VARYING";
    }
  }

  private static Fingerprint fingerprint(Connection db, FingerprintSql sql, String table)
      throws Exception {
    List<GoogleSqlScript.Statement> h2 =
        GoogleSqlScript.translate(sql.query(sql.quote(table), columns(), null));
    assertThat(h2.size(), equalTo(1));
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(h2.get(0).h2())) {
      return FingerprintSql.read(rs, columns());
    }
  }

  @Test
  void bigQuerysFingerprintQueryGivesJavasFingerprint() throws Exception {
    FingerprintAccumulator java = FingerprintAccumulator.of(SCHEMA);
    TrickyRows.rows().forEach(java::add);
    FingerprintSql sql = FingerprintSql.bigQuery();
    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:googlesqlfunctions")) {
      GoogleSqlFunctions.install(db);
      List<FingerprintColumn> columns = columns();
      List<String> definitions = new ArrayList<>();
      List<String> marks = new ArrayList<>();
      for (FingerprintColumn column : columns) {
        definitions.add(GoogleSqlScript.quote(column.name()) + " " + h2Type(column));
        marks.add("?");
      }
      try (Statement s = db.createStatement()) {
        s.execute("CREATE TABLE \"tricky\" (" + String.join(", ", definitions) + ")");
      }
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO \"tricky\" VALUES (" + String.join(", ", marks) + ")")) {
        for (Row row : TrickyRows.rows()) {
          for (int i = 0; i < columns.size(); i++) {
            Object value = row.getValue(i);
            if (value instanceof Instant) {
              value = ((Instant) value).atOffset(ZoneOffset.UTC);
            } else if (value instanceof Float) {
              // BigQuery's load parses the float's text into a FLOAT64, as LocalBigQuery's does.
              value = Double.valueOf(value.toString());
            }
            insert.setObject(i + 1, value);
          }
          insert.executeUpdate();
        }
      }

      assertThat(fingerprint(db, sql, "tricky"), equalTo(java.fingerprint()));

      try (Statement s = db.createStatement()) {
        s.execute("CREATE TABLE \"staged\" AS SELECT * FROM \"tricky\"");
        s.execute("UPDATE \"tricky\" SET \"c_dec5\" = 999.98 WHERE \"id\" = 1");
      }
      assertThat(
          fingerprint(db, sql, "tricky").differences(java.fingerprint()), contains("c_dec5"));

      String differing =
          GoogleSqlScript.translate(
                  sql.rowsNotIn(
                      sql.quote("tricky"),
                      sql.quote("id") + " > 0",
                      sql.quote("staged"),
                      null,
                      List.of(columns.get(0), columns.get(2)),
                      5))
              .get(0)
              .h2();
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery(differing)) {
        assertThat(rs.next(), equalTo(true));
        assertThat(List.of(rs.getString(1), rs.getString(2)), equalTo(List.of("1", "999.98")));
        assertThat(rs.next(), equalTo(false));
      }

      // Without a copy of the files' values to compare with, the check bisects on the key
      // against the files: BigQuery's bucket queries, translated and run as LocalBigQuery would.
      ValuesCheck.Engine<Exception> engine =
          query -> {
            List<List<String>> rows = new ArrayList<>();
            try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(GoogleSqlScript.translate(query).get(0).h2())) {
              int width = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                List<String> row = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) {
                  row.add(rs.getString(i));
                }
                rows.add(row);
              }
            }
            return rows;
          };
      Manifest manifest =
          new Manifest(
              Manifest.VERSION,
              "r1",
              "2026-01-01T00:00:00Z",
              "gs://b/run/r1/",
              "csv",
              "none",
              null,
              TrickyRows.ROW_COUNT,
              1,
              10,
              columns.stream().map(c -> new Manifest.Column(c.name(), c.type(), "")).toList(),
              List.of(),
              java.fingerprint());
      ReconciliationException e =
          assertThrows(
              ReconciliationException.class,
              () ->
                  ValuesCheck.of(sql, columns)
                      .withFiles(
                          rows ->
                              TrickyRows.rows().forEach(r -> rows.accept(r.getValues().toArray())))
                      .verify(
                          engine,
                          manifest,
                          ReconciliationException.Hop.WAREHOUSE,
                          new ValuesCheck.Rows("BigQuery table tricky", sql.quote("tricky"), null),
                          null,
                          List.of(),
                          "The table keeps them."));
      assertThat(
          e.getMessage(),
          containsString(
              "Bisected on the key (id, the query's first column) against the files in 2 queries,"
                  + " to 1 hex digits of the MD5 of the key: id '1': c_dec5 '999.98' in BigQuery,"
                  + " '999.99' in the files (canonical text; at most 5 keys)."));
    }
  }
}
