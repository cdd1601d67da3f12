package io.lakeroute.formats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.oneOf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import io.lakeroute.testing.TrickyRows;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Writes rows the way the pipeline does (FileIO on the DirectRunner, or the sink on a plain
 * channel) and reads files back with readers that share no code with the sinks: parquet-avro,
 * Avro's DataFileReader, commons-csv and Jackson. Every reader returns Beam rows of the schema
 * given, so that tests compare with {@link TrickyRows#assertSameRows}.
 */
public final class FormatFiles {
  private FormatFiles() {}

  /**
   * Writes {@code rows} through {@code FileIO.write()} exactly as the pipeline configures it, on
   * the DirectRunner, and returns the one file written into {@code directory}.
   */
  public static Path writeWithPipeline(
      FormatSpec spec, Schema schema, List<Row> rows, Path directory) throws IOException {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply(Create.of(rows).withRowSchema(schema))
        .apply(
            FileIO.<Row>write()
                .via(spec.sink(schema))
                .to(directory.toString())
                .withNumShards(1)
                .withCompression(spec.fileCompression())
                .withNaming(new SuffixNaming(spec.suffix())));
    pipeline.run().waitUntilFinish();
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> written =
          files.filter(f -> f.getFileName().toString().endsWith(spec.suffix())).toList();
      assertThat("files written in " + directory, written, hasSize(1));
      return written.get(0);
    }
  }

  /**
   * Names files as WriteQueryFiles does, with the whole suffix: FileIO's default naming would add
   * the compression suffix a second time ({@code .csv.gz.gz}) to {@code withSuffix(spec.suffix())}.
   */
  private static final class SuffixNaming implements FileIO.Write.FileNaming {
    private final String suffix;

    SuffixNaming(String suffix) {
      this.suffix = suffix;
    }

    @Override
    public String getFilename(
        BoundedWindow window,
        PaneInfo pane,
        int numShards,
        int shardIndex,
        Compression compression) {
      return String.format("output-%05d-of-%05d%s", shardIndex, numShards, suffix);
    }
  }

  /** Writes {@code rows} into {@code file} by calling the sink directly, as FileIO would. */
  public static Path writeDirect(FormatSpec spec, Schema schema, List<Row> rows, Path file)
      throws IOException {
    FileIO.Sink<Row> sink = spec.sink(schema);
    try (WritableByteChannel channel =
        spec.fileCompression()
            .writeCompressed(Channels.newChannel(new FileOutputStream(file.toFile())))) {
      sink.open(channel);
      for (Row row : rows) {
        sink.write(row);
      }
      sink.flush();
    }
    return file;
  }

  /** The bytes of a file as written by {@link #writeDirect} into memory, for exact-text tests. */
  public static String csvText(CsvOptions options, Schema schema, List<Row> rows)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CsvSink sink = new CsvSink(schema, options);
    sink.open(Channels.newChannel(bytes));
    for (Row row : rows) {
      sink.write(row);
    }
    sink.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The file's bytes after undoing whole-file compression, with GZIPInputStream, not Beam. */
  public static InputStream openDecompressed(FormatSpec spec, Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return spec.fileCompression() == Compression.GZIP ? new GZIPInputStream(in) : in;
  }

  // ---------------------------------------------------------------- Avro and Parquet

  /** Avro's own decoders for the logical types the sinks declare. */
  public static GenericData avroModel() {
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new Conversions.DecimalConversion());
    model.addLogicalTypeConversion(new TimeConversions.DateConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    return model;
  }

  public static List<Row> readAvro(Path file, Schema schema) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(
            file.toFile(), new GenericDatumReader<GenericRecord>(null, null, avroModel()))) {
      for (GenericRecord record : reader) {
        rows.add(fromAvro(record, schema, false));
      }
    }
    return rows;
  }

  public static org.apache.avro.Schema avroFileSchema(Path file) throws IOException {
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(file.toFile(), new GenericDatumReader<GenericRecord>())) {
      return reader.getSchema();
    }
  }

  public static String avroCodec(Path file) throws IOException {
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(file.toFile(), new GenericDatumReader<GenericRecord>())) {
      return reader.getMetaString("avro.codec");
    }
  }

  private static HadoopInputFile hadoopFile(Path file) throws IOException {
    return HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration());
  }

  /** Reads a Parquet file with parquet-avro, decoding logical types with Avro's conversions. */
  public static List<Row> readParquet(Path file, Schema schema) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(hadoopFile(file))
            .withDataModel(avroModel())
            .build()) {
      GenericRecord record;
      while ((record = reader.read()) != null) {
        rows.add(fromAvro(record, schema, true));
      }
    }
    return rows;
  }

  public static ParquetMetadata parquetFooter(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(hadoopFile(file))) {
      return reader.getFooter();
    }
  }

  /**
   * A record as a Beam row. parquet-avro 1.13 knows no local timestamps and hands every Parquet
   * TIMESTAMP over as an Instant, so {@code parquet} accepts that for timestamps without zone.
   */
  private static Row fromAvro(GenericRecord record, Schema schema, boolean parquet) {
    List<Object> values = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      Object value = record.get(field.getName());
      values.add(value == null ? null : fromAvroValue(field, value, parquet));
    }
    return Row.withSchema(schema).attachValues(values);
  }

  private static Object fromAvroValue(Schema.Field field, Object value, boolean parquet) {
    String what = field.getName() + " = " + value;
    switch (SqlTypeMapping.kindOf(field.getType())) {
      case INT16:
        assertThat(what, value, instanceOf(Integer.class));
        return Short.valueOf(new BigInteger(value.toString()).shortValueExact());
      case INT32:
        assertThat(what, value, instanceOf(Integer.class));
        return value;
      case INT64:
        assertThat(what, value, instanceOf(Long.class));
        return value;
      case FLOAT:
        assertThat(what, value, instanceOf(Float.class));
        return value;
      case DOUBLE:
        assertThat(what, value, instanceOf(Double.class));
        return value;
      case BOOLEAN:
        assertThat(what, value, instanceOf(Boolean.class));
        return value;
      case DECIMAL:
        assertThat(what, value, instanceOf(BigDecimal.class));
        return value;
      case STRING:
        assertThat(what, value, instanceOf(CharSequence.class));
        return value.toString();
      case TIME:
        assertThat(what, value, instanceOf(CharSequence.class));
        return TrickyRows.fromText(field.getType(), value.toString());
      case BYTES:
        assertThat(what, value, instanceOf(ByteBuffer.class));
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
      case DATE:
        assertThat(what, value, instanceOf(LocalDate.class));
        return value;
      case TIMESTAMP:
        if (parquet && value instanceof Instant) {
          return LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
        }
        assertThat(what, value, instanceOf(LocalDateTime.class));
        return value;
      case TIMESTAMP_TZ:
        assertThat(what, value, instanceOf(Instant.class));
        return value;
    }
    throw new IllegalStateException("unreachable");
  }

  // ---------------------------------------------------------------- CSV

  /**
   * commons-csv set to the dialect of {@code options}. Its quote mode ALL_NON_NULL only makes the
   * parser strict: a quoted value equal to the NULL text is text, and only an unquoted one NULL.
   */
  public static CSVFormat commonsCsvFormat(CsvOptions options) {
    return CSVFormat.RFC4180
        .builder()
        .setDelimiter(options.delimiter())
        .setQuote(options.quote())
        .setEscape(options.escape())
        .setNullString(options.nullString())
        .setQuoteMode(QuoteMode.ALL_NON_NULL)
        .setRecordSeparator(options.lineEnding())
        .setIgnoreEmptyLines(false)
        .setIgnoreSurroundingSpaces(false)
        .setTrim(false)
        .build();
  }

  /** Every record of a CSV file, the header included, NULLs as null. */
  public static List<List<String>> csvRecords(Path file, FormatSpec spec) throws IOException {
    try (Reader reader =
            new InputStreamReader(openDecompressed(spec, file), StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(reader, commonsCsvFormat(spec.csv()))) {
      List<List<String>> records = new ArrayList<>();
      for (CSVRecord record : parser) {
        records.add(record.toList());
      }
      return records;
    }
  }

  /** The rows of a CSV file; with a header, checks that it names the schema's fields in order. */
  public static List<Row> readCsv(Path file, FormatSpec spec, Schema schema) throws IOException {
    List<List<String>> records = csvRecords(file, spec);
    if (spec.csv().header()) {
      assertThat("CSV file without header line", records.isEmpty(), equalTo(false));
      assertThat(
          "header", records.remove(0), contains(schema.getFieldNames().toArray(new String[0])));
    }
    List<Row> rows = new ArrayList<>();
    for (List<String> record : records) {
      assertThat("fields in " + record, record, hasSize(schema.getFieldCount()));
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < record.size(); i++) {
        String text = record.get(i);
        values.add(text == null ? null : TrickyRows.fromText(schema.getField(i).getType(), text));
      }
      rows.add(Row.withSchema(schema).attachValues(values));
    }
    return rows;
  }

  // ---------------------------------------------------------------- JSON Lines

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The lines of a JSON Lines file, each required to end with LF. */
  public static List<String> jsonLines(Path file, FormatSpec spec) throws IOException {
    String text;
    try (InputStream in = openDecompressed(spec, file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (text.isEmpty()) {
      return List.of();
    }
    assertThat("file ends with LF", text.endsWith("\n"), equalTo(true));
    return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
  }

  /** Each line parsed by Jackson, numbers with a fraction as BigDecimal, keys in file order. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> jsonObjects(Path file, FormatSpec spec)
      throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : jsonLines(file, spec)) {
      objects.add(JSON.readValue(line, LinkedHashMap.class));
    }
    return objects;
  }

  /** The rows of a JSON Lines file; every object must hold exactly the schema's keys, in order. */
  public static List<Row> readJson(Path file, FormatSpec spec, Schema schema) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> object : jsonObjects(file, spec)) {
      assertThat(
          "keys of " + object,
          new ArrayList<>(object.keySet()),
          contains(schema.getFieldNames().toArray(new String[0])));
      List<Object> values = new ArrayList<>();
      for (Schema.Field field : schema.getFields()) {
        Object value = object.get(field.getName());
        values.add(value == null ? null : fromJsonValue(field, value));
      }
      rows.add(Row.withSchema(schema).attachValues(values));
    }
    return rows;
  }

  private static Object fromJsonValue(Schema.Field field, Object value) {
    String what = field.getName() + " = " + value;
    Kind kind = SqlTypeMapping.kindOf(field.getType());
    switch (kind) {
      case INT16:
        assertThat(what, value, instanceOf(Integer.class));
        return Short.valueOf(new BigInteger(value.toString()).shortValueExact());
      case INT32:
        assertThat(what, value, instanceOf(Integer.class));
        return value;
      case INT64:
        assertThat(what, value.getClass(), oneOf(Integer.class, Long.class));
        return ((Number) value).longValue();
      case FLOAT:
      case DOUBLE:
        if (value instanceof String) {
          // JSON has no NaN or infinities: the sink writes them as Java spells them.
          assertThat(what, value, oneOf("NaN", "Infinity", "-Infinity"));
          return kind == Kind.FLOAT
              ? (Object) Float.valueOf((String) value)
              : (Object) Double.valueOf((String) value);
        }
        assertThat(what, value, instanceOf(BigDecimal.class));
        return kind == Kind.FLOAT
            ? (Object) ((BigDecimal) value).floatValue()
            : (Object) ((BigDecimal) value).doubleValue();
      case DECIMAL:
        if (SqlTypeMapping.scale(field.getType()) == 0 && !(value instanceof BigDecimal)) {
          assertThat(what, value, instanceOf(Number.class));
          return new BigDecimal(value.toString());
        }
        assertThat(what, value, instanceOf(BigDecimal.class));
        return value;
      case BOOLEAN:
        assertThat(what, value, instanceOf(Boolean.class));
        return value;
      default:
        assertThat(what, value, instanceOf(String.class));
        return TrickyRows.fromText(field.getType(), (String) value);
    }
  }
}
