package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatFiles;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.formats.ValueText;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.testing.LocalDatabricks;
import io.lakeroute.testing.LocalPostgres;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.validation.ReconciliationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint queries executed: the tricky rows in PostgreSQL 15, H2 and the Databricks
 * stand-in (Spark 3.5 over a Parquet file lakeroute wrote) give exactly the fingerprint Java
 * computes; one value changed in the table is named by its column.
 */
class FingerprintSqlIT {
  private static final Schema SCHEMA = TrickyRows.schema();
  private static final Fingerprint EXPECTED = FingerprintTest.of(TrickyRows.rows());

  /** The tricky rows' columns, TIME held as {@code timeAsText} says. */
  private static List<FingerprintColumn> columns(boolean timeAsText) {
    List<FingerprintColumn> columns = new ArrayList<>();
    for (Schema.Field field : SCHEMA.getFields()) {
      String type = Manifest.typeOf(field.getType());
      columns.add(new FingerprintColumn(field.getName(), type, timeAsText && type.equals("time")));
    }
    return columns;
  }

  private static Fingerprint fingerprint(
      Connection connection, FingerprintSql sql, String table, List<FingerprintColumn> columns)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql.query(table, columns, null))) {
      return FingerprintSql.read(result, columns);
    }
  }

  /**
   * Asserts that the table's fingerprint is Java's; where a column differs, the failure shows each
   * row's canonical text as the engine renders it next to Java's.
   */
  private static void assertJavaFingerprint(
      Connection connection, FingerprintSql sql, String table, List<FingerprintColumn> columns)
      throws Exception {
    Fingerprint actual = fingerprint(connection, sql, table, columns);
    StringBuilder rendered = new StringBuilder();
    for (String name : actual.differences(EXPECTED)) {
      int index = SCHEMA.indexOf(name);
      if (index < 0) {
        continue;
      }
      FingerprintColumn column = columns.get(index);
      String expression =
          ((EngineFingerprintSql) sql).canonical(column, sql.quote(name)).orElseThrow();
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "SELECT " + sql.quote("id") + ", " + expression + " FROM " + table)) {
        while (result.next()) {
          int id = result.getInt(1);
          Row row =
              TrickyRows.rows().stream()
                  .filter(r -> r.getValue("id") != null && (Integer) r.getValue("id") == id)
                  .findFirst()
                  .orElse(null);
          Object value = row == null ? null : row.getValue(index);
          Kind kind = SqlTypeMapping.kindOf(SCHEMA.getField(index).getType());
          int scale =
              kind == Kind.DECIMAL ? SqlTypeMapping.scale(SCHEMA.getField(index).getType()) : 0;
          String java = value == null ? null : Canonical.text(kind, scale, value);
          rendered.append(
              String.format(
                  "%n  %s id %d: %s %s, Java %s",
                  name, id, sql.engine(), result.getString(2), java));
        }
      }
    }
    assertThat(rendered.toString(), actual, equalTo(EXPECTED));
    assertBisection(connection, sql, table, columns);
  }

  private static List<List<String>> rows(Connection connection, String query) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
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

  /** The tricky rows as files would give them, {@code c_text} of row {@code changedId} changed. */
  private static ValuesCheck.Files files(Integer changedId) {
    return consumer -> {
      for (Row row : TrickyRows.rows()) {
        Object[] values = row.getValues().toArray();
        if (changedId != null && changedId.equals(values[0])) {
          values[SCHEMA.indexOf("c_text")] = "changed in the files";
        }
        consumer.accept(values);
      }
    };
  }

  /**
   * Bisection's queries executed: keyed by every column, the engine's fingerprint of each bucket is
   * Java's (so every type renders alike in the key's text too); a value that differs between the
   * files and the table is bisected to its row by {@code id}, shown as each side renders it.
   */
  private static void assertBisection(
      Connection connection, FingerprintSql sql, String table, List<FingerprintColumn> columns)
      throws Exception {
    Map<String, Fingerprint> inEngine = new TreeMap<>();
    for (List<String> row :
        rows(connection, sql.bucketQuery(table, columns, null, columns, 2, List.of()))) {
      inEngine.put(row.get(0), FingerprintSql.read(row.subList(1, row.size()), columns));
    }
    KeyBisection byAll = new KeyBisection(sql, columns, f -> f, columns, files(null), SCHEMA);
    Map<String, FingerprintAccumulator> inJava = new TreeMap<>();
    files(null)
        .read(
            values ->
                inJava
                    .computeIfAbsent(
                        byAll.bucket(values).substring(0, 2),
                        b -> FingerprintAccumulator.of(SCHEMA))
                    .add(values));
    Map<String, Fingerprint> java = new TreeMap<>();
    inJava.forEach((bucket, accumulator) -> java.put(bucket, accumulator.fingerprint()));
    assertThat(sql.engine(), inEngine, equalTo(java));

    List<Manifest.Column> manifestColumns =
        SCHEMA.getFields().stream()
            .map(f -> new Manifest.Column(f.getName(), Manifest.typeOf(f.getType()), ""))
            .toList();
    FingerprintAccumulator changed = FingerprintAccumulator.of(SCHEMA);
    files(2).read(changed::add);
    Manifest manifest =
        new Manifest(
            Manifest.VERSION,
            "r1",
            "2026-01-01T00:00:00Z",
            "s3://b/run/r1/",
            "parquet",
            "none",
            null,
            TrickyRows.ROW_COUNT,
            1,
            10,
            manifestColumns,
            List.of(),
            changed.fingerprint());
    ReconciliationException e =
        assertThrows(
            ReconciliationException.class,
            () ->
                ValuesCheck.of(sql, columns)
                    .withFiles(files(2))
                    .verify(
                        query -> rows(connection, query),
                        manifest,
                        ReconciliationException.Hop.WAREHOUSE,
                        new ValuesCheck.Rows("the table " + table, table, null),
                        null,
                        List.of(),
                        "The table is kept."));
    assertThat(
        e.getMessage(),
        containsString("Bisected on the key (id, the query's first column) against the files in "));
    assertThat(
        e.getMessage(),
        containsString(
            "' in "
                + sql.engine()
                + ", 'changed in the files' in the files (canonical text; at most 5 keys)."));
    assertThat(e.getMessage(), containsString(": id '2': c_text '"));
  }

  /** CREATE TABLE and one INSERT per row through bound parameters of the values' Java types. */
  private static void load(
      Connection connection,
      String table,
      Function<FingerprintColumn, String> sqlType,
      boolean timeAsText)
      throws SQLException {
    List<FingerprintColumn> columns = columns(timeAsText);
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
    StringBuilder marks = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      ddl.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).name()).append("\" ");
      ddl.append(sqlType.apply(columns.get(i)));
      marks.append(i == 0 ? "?" : ", ?");
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute(ddl.append(')').toString());
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
      for (Row row : TrickyRows.rows()) {
        for (int i = 0; i < columns.size(); i++) {
          Object value = row.getValue(i);
          Kind kind = SqlTypeMapping.kindOf(SCHEMA.getField(i).getType());
          if (value instanceof Instant) {
            value = ((Instant) value).atOffset(ZoneOffset.UTC);
          } else if (value != null && kind == Kind.TIME && timeAsText) {
            value = ValueText.format(Kind.TIME, value);
          }
          insert.setObject(i + 1, value);
        }
        insert.executeUpdate();
      }
    }
  }

  private static String standardType(FingerprintColumn column, String binary, String tz) {
    switch (column.kind()) {
      case "int16":
        return "SMALLINT";
      case "int32":
        return "INTEGER";
      case "int64":
        return "BIGINT";
      case "float":
        return "REAL";
      case "double":
        return "DOUBLE PRECISION";
      case "decimal":
        return column.type().toUpperCase(java.util.Locale.ROOT);
      case "boolean":
        return "BOOLEAN";
      case "bytes":
        return binary;
      case "date":
        return "DATE";
      case "time":
        return column.asText() ? "VARCHAR(15)" : "TIME(6)";
      case "timestamp":
        return "TIMESTAMP(6)";
      case "timestamp_tz":
        return tz;
      default:
        return "VARCHAR(1000)";
    }
  }

  @Test
  void postgresGivesTheJavaFingerprint() throws Exception {
    LocalPostgres postgres = LocalPostgres.shared();
    FingerprintSql sql = FingerprintSql.postgres();
    try (Connection connection = postgres.connect()) {
      load(connection, "fp_tricky", c -> standardType(c, "BYTEA", "TIMESTAMPTZ"), false);
      assertJavaFingerprint(connection, sql, "fp_tricky", columns(false));

      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "UPDATE fp_tricky SET c_timestamptz = c_timestamptz + INTERVAL '1 hour' WHERE id = 2");
      }
      assertThat(
          fingerprint(connection, sql, "fp_tricky", columns(false)).differences(EXPECTED),
          contains("c_timestamptz"));
    }
  }

  @Test
  void postgresRendersDatesBeforeTheCommonEra() throws Exception {
    FingerprintSql sql = FingerprintSql.postgres();
    List<LocalDate> dates =
        List.of(
            LocalDate.of(1, 1, 1),
            LocalDate.of(0, 12, 31),
            LocalDate.of(-1, 2, 28),
            LocalDate.of(-4712, 1, 1),
            LocalDate.of(1582, 10, 4),
            LocalDate.of(1582, 10, 15));
    try (Connection connection = LocalPostgres.shared().connect()) {
      for (LocalDate date : dates) {
        String expected = Canonical.text(Kind.DATE, 0, date);
        String literal =
            date.getYear() > 0
                ? "DATE '" + date + "'"
                : "DATE '"
                    + String.format("%04d", 1 - date.getYear())
                    + date.toString().substring(date.toString().length() - 6)
                    + " BC'";
        String expression =
            ((EngineFingerprintSql) sql)
                .canonical(FingerprintColumn.of("d", "date"), "d")
                .orElseThrow();
        try (Statement statement = connection.createStatement();
            ResultSet result =
                statement.executeQuery(
                    "SELECT " + expression + " FROM (SELECT " + literal + " AS d) t")) {
          result.next();
          assertThat(literal, result.getString(1), equalTo(expected));
        }
      }
    }
  }

  @Test
  void h2GivesTheJavaFingerprint() throws Exception {
    FingerprintSql sql = FingerprintSql.h2();
    try (Connection connection =
        DriverManager.getConnection(
            "jdbc:h2:mem:fingerprint;MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE")) {
      load(
          connection,
          "fp_tricky",
          c -> standardType(c, "VARBINARY(1000)", "TIMESTAMP(6) WITH TIME ZONE"),
          true);
      assertJavaFingerprint(connection, sql, "fp_tricky", columns(true));
      load(
          connection,
          "fp_tricky_time",
          c -> standardType(c, "VARBINARY(1000)", "TIMESTAMP(6) WITH TIME ZONE"),
          false);
      assertJavaFingerprint(connection, sql, "fp_tricky_time", columns(false));
    }
  }

  @Test
  void sparkOverLakeroutesParquetGivesTheJavaFingerprint(@TempDir Path dir) throws Exception {
    Path files = Files.createDirectories(dir.resolve("tricky"));
    FormatFiles.writeDirect(
        FormatSpec.of(FileFormat.PARQUET),
        SCHEMA,
        TrickyRows.rows(),
        files.resolve("part-0.parquet"));
    List<FingerprintColumn> columns = columns(true);
    StringBuilder ddl = new StringBuilder("CREATE TABLE fp_tricky (");
    for (int i = 0; i < columns.size(); i++) {
      FingerprintColumn column = columns.get(i);
      ddl.append(i == 0 ? "" : ", ").append('`').append(column.name()).append("` ");
      ddl.append(sparkType(column));
    }
    ddl.append(") USING PARQUET OPTIONS (datetimeRebaseMode 'CORRECTED') LOCATION '")
        .append(files.toUri())
        .append("'");
    LocalDatabricks databricks = LocalDatabricks.shared();
    databricks.execute("DROP TABLE IF EXISTS fp_tricky", ddl.toString());
    try (Connection connection = databricks.connect()) {
      assertJavaFingerprint(connection, FingerprintSql.spark(), "fp_tricky", columns);
    }
  }

  private static String sparkType(FingerprintColumn column) {
    switch (column.kind()) {
      case "int16":
        return "SMALLINT";
      case "int32":
        return "INT";
      case "int64":
        return "BIGINT";
      case "float":
        return "FLOAT";
      case "double":
        return "DOUBLE";
      case "decimal":
        return column.type().toUpperCase(java.util.Locale.ROOT);
      case "boolean":
        return "BOOLEAN";
      case "bytes":
        return "BINARY";
      case "date":
        return "DATE";
      case "timestamp":
        return "TIMESTAMP_NTZ";
      case "timestamp_tz":
        return "TIMESTAMP";
      default:
        return "STRING";
    }
  }
}
