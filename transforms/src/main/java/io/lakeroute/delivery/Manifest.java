package io.lakeroute.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.Cursor;
import io.lakeroute.query.SqlTypeMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * The contract of a delivered run, written after every data file and before the done marker: which
 * files, how many rows and bytes each holds (as read back), their SHA-256, the schema and the
 * dialect they were written in. Loaders and Databricks read exactly the files listed here. With
 * fingerprints on, each file's fingerprint and the run's (docs/fingerprints.md), so that a consumer
 * can check the values of a drop days later ({@code lakeroute verify}). An incremental run records
 * the range of its cursor column ({@link Cursor.Range}): the next run's high-water mark.
 *
 * @param partitionColumn the run's partition column as the schema names it, by which later hops
 *     name the rows that differ when no merge keys identify them (docs/fingerprints.md); null when
 *     the query was read whole
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
    List<FileEntry> files,
    Fingerprint fingerprint,
    Cursor.Range cursor,
    String partitionColumn)
    implements Serializable {

  /** A manifest of a run that read every row, not a cursor's range. */
  public Manifest(
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
      List<FileEntry> files,
      Fingerprint fingerprint) {
    this(
        manifestVersion,
        runId,
        createdAt,
        location,
        format,
        codec,
        csv,
        rowCount,
        fileCount,
        totalBytes,
        columns,
        files,
        fingerprint,
        null,
        null);
  }

  /** A manifest without fingerprints. */
  public Manifest(
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
      List<FileEntry> files) {
    this(
        manifestVersion,
        runId,
        createdAt,
        location,
        format,
        codec,
        csv,
        rowCount,
        fileCount,
        totalBytes,
        columns,
        files,
        null);
  }

  public static final int VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A column: its name, the type written and the type the source reported. */
  public record Column(String name, String type, String sourceType) implements Serializable {}

  /** A data file: name relative to the run directory, and full URI. */
  public record FileEntry(
      String name,
      String uri,
      long rows,
      long bytes,
      String sha256,
      @JsonInclude(JsonInclude.Include.NON_NULL) Fingerprint fingerprint)
      implements Serializable {
    /** A file without a fingerprint. */
    public FileEntry(String name, String uri, long rows, long bytes, String sha256) {
      this(name, uri, rows, bytes, sha256, null);
    }
  }

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

  /**
   * The name of the run's boolean column {@code name} (matched without case) as the query spells
   * it; otherwise fails with a message that starts with {@code what}, the setting that named it.
   */
  public String booleanColumn(String name, String what) {
    Column column =
        columns.stream()
            .filter(c -> c.name().equalsIgnoreCase(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        what
                            + " names "
                            + name
                            + ", which is not a column of the query: "
                            + columns.stream().map(Column::name).toList()));
    if (!column.type().equals("boolean")) {
      throw new IllegalArgumentException(
          what
              + " names "
              + column.name()
              + ", a "
              + column.type()
              + " column: it must be a boolean column, true for a row deleted at the source");
    }
    return column.name();
  }

  /** The Beam schema the files were written from, rebuilt from the columns' types. */
  public Schema schema() {
    Schema.Builder builder = Schema.builder();
    for (Column column : columns) {
      builder.addField(Schema.Field.nullable(column.name(), fieldType(column.type())));
    }
    return builder.build();
  }

  private static Schema.FieldType fieldType(String type) {
    if (type.startsWith("decimal(")) {
      String[] ps = type.substring(8, type.length() - 1).split(",");
      return Schema.FieldType.logicalType(
          FixedPrecisionNumeric.of(Integer.parseInt(ps[0].trim()), Integer.parseInt(ps[1].trim())));
    }
    switch (type) {
      case "int16":
        return Schema.FieldType.INT16;
      case "int32":
        return Schema.FieldType.INT32;
      case "int64":
        return Schema.FieldType.INT64;
      case "float":
        return Schema.FieldType.FLOAT;
      case "double":
        return Schema.FieldType.DOUBLE;
      case "boolean":
        return Schema.FieldType.BOOLEAN;
      case "string":
        return Schema.FieldType.STRING;
      case "bytes":
        return Schema.FieldType.BYTES;
      case "date":
        return Schema.FieldType.logicalType(SqlTypes.DATE);
      case "time":
        return Schema.FieldType.logicalType(SqlTypes.TIME);
      case "timestamp":
        return Schema.FieldType.logicalType(SqlTypes.DATETIME);
      case "timestamp_tz":
        return Schema.FieldType.logicalType(SqlTypes.TIMESTAMP);
      default:
        throw new IllegalArgumentException("The manifest has a column of unknown type " + type);
    }
  }

  /** The format, codec and CSV dialect the files were written in. */
  public FormatSpec formatSpec() {
    FileFormat fileFormat = FileFormat.of(format);
    FormatSpec spec = FormatSpec.of(fileFormat).withCodec(codec);
    if (csv == null) {
      return spec;
    }
    return spec.withCsv(
        CsvOptions.defaults()
            .withHeader(csv.header())
            .withDelimiter(csv.delimiter())
            .withQuote(csv.quote())
            .withEscape(csv.escape())
            .withNullString(csv.nullString())
            .withLineEnding(csv.lineEnding())
            .withQuoteMode(csv.quoteMode()));
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

  /** The manifest at {@code manifest}, through Beam's file systems. */
  public static Manifest read(ResourceId manifest) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(manifest))) {
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * The manifest of {@code layout}'s run when that run was published completely (its done marker
   * exists); empty otherwise.
   */
  public static Optional<Manifest> published(Layout layout) throws IOException {
    MatchResult marker = FileSystems.match(layout.doneMarker().toString());
    if (marker.status() != MatchResult.Status.OK || marker.metadata().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(read(layout.manifest()));
  }
}
