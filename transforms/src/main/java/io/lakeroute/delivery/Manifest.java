package io.lakeroute.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.SqlTypeMapping;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The contract of a delivered run, written after every data file and before the done marker: which
 * files, how many rows and bytes each holds (as read back), their SHA-256, the schema and the
 * dialect they were written in. Loaders and Databricks read exactly the files listed here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int manifestVersion,
    String runId,
    String createdAt,
    String location,
    String format,
    String codec,
    Csv csv,
    long rowCount,
    int fileCount,
    long totalBytes,
    List<Column> columns,
    List<FileEntry> files)
    implements Serializable {

  public static final int VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A column: its name, the type written and the type the source reported. */
  public record Column(String name, String type, String sourceType) implements Serializable {}

  /** A data file: name relative to the run directory, and full URI. */
  public record FileEntry(String name, String uri, long rows, long bytes, String sha256)
      implements Serializable {}

  /** The CSV dialect, so that readers can be told exactly what was written. */
  public record Csv(
      boolean header,
      String delimiter,
      String quote,
      String escape,
      String quoteMode,
      String nullString,
      String lineEnding)
      implements Serializable {
    static Csv of(CsvOptions options) {
      return new Csv(
          options.header(),
          String.valueOf(options.delimiter()),
          String.valueOf(options.quote()),
          options.escape() == null ? null : String.valueOf(options.escape()),
          options.quoteMode().name().toLowerCase(java.util.Locale.ROOT),
          options.nullString(),
          options.lineEnding().equals("\n") ? "LF" : "CRLF");
    }
  }

  static List<Column> columnsOf(Schema schema) {
    return schema.getFields().stream()
        .map(f -> new Column(f.getName(), typeOf(f.getType()), f.getDescription()))
        .toList();
  }

  static Csv csvOf(FormatSpec spec) {
    return spec.format() == io.lakeroute.formats.FileFormat.CSV ? Csv.of(spec.csv()) : null;
  }

  /** The lakeroute type name of a field: {@code decimal(38,10)}, {@code timestamp_tz}, … */
  public static String typeOf(Schema.FieldType type) {
    SqlTypeMapping.Kind kind = SqlTypeMapping.kindOf(type);
    if (kind == SqlTypeMapping.Kind.DECIMAL) {
      return "decimal(" + SqlTypeMapping.precision(type) + "," + SqlTypeMapping.scale(type) + ")";
    }
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Manifest fromJson(String json) throws IOException {
    return JSON.readValue(json, Manifest.class);
  }
}
