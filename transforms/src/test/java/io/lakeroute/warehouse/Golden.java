package io.lakeroute.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.delivery.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest with a column of every type, and golden files: the expected text lives in
 * src/test/resources/&lt;TestClass&gt;/; run with -Dgolden.update=true to rewrite it after an
 * intended change, then review the diff.
 */
public final class Golden {
  private Golden() {}

  public static Manifest manifest(String format, String codec, String location) {
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
            new Manifest.Column("odd \"name]'", "string", "text"));
    String suffix =
        format.equals("parquet") || format.equals("avro")
            ? format
            : format + (codec.equals("gzip") ? ".gz" : "");
    List<Manifest.FileEntry> files = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String name = String.format("part-%05d-of-00002.%s", i, suffix);
      files.add(new Manifest.FileEntry(name, location + name, 10, 100 + i, "00"));
    }
    Manifest.Csv csv =
        format.equals("csv") ? new Manifest.Csv(true, ",", "\"", null, "minimal", "", "LF") : null;
    return new Manifest(
        Manifest.VERSION,
        "20260101T000000Z",
        "2026-01-01T00:00:00Z",
        location,
        format,
        codec,
        csv,
        20,
        2,
        201,
        columns,
        files);
  }

  /** Every statement of a load, in the order the step runs them, {@code load} as the load. */
  static String statements(WarehouseSql sql, String load) {
    List<String> all = new ArrayList<>();
    all.add(sql.createTable());
    all.add(sql.describeColumns());
    all.add(sql.dropStaging());
    all.add(sql.createStaging());
    all.add(load);
    sql.loadedCount().ifPresent(all::add);
    sql.countDeletes().ifPresent(all::add);
    all.addAll(sql.apply());
    all.add(sql.countRun());
    return String.join(";\n\n", all) + ";\n";
  }

  public static void check(Class<?> test, String name, String actual) throws IOException {
    Path golden = Path.of("src/test/resources", test.getSimpleName(), name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(name, actual, equalTo(Files.readString(golden, StandardCharsets.UTF_8)));
  }
}
