package io.lakeroute.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads the values of a delivered file back, as the Java types of the Beam schema it was written
 * from (the types {@code PartitionReader} produces), so that the file's fingerprint is computed
 * from what the file holds, decoded by the format's own structure: Parquet pages, Avro records, CSV
 * fields with quoting and the NULL text, JSON members.
 */
public final class FileValues {
  private FileValues() {}

  /** Receives a row's values, in schema order; the array is reused for the next row. */
  @FunctionalInterface
  public interface ValuesConsumer {
    void accept(Object[] values);
  }

  /** Closing a parser leaves its stream open: the read-back digests the rest of the bytes. */
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  /** Reads every row of {@code file}; returns how many. */
  public static long read(FormatSpec spec, Schema schema, ResourceId file, ValuesConsumer rows)
      throws IOException {
    Kind[] kinds = kinds(schema);
    switch (spec.format()) {
      case PARQUET:
        return parquet(schema, kinds, file, rows);
      case AVRO:
        try (InputStream in = open(file)) {
          return avro(schema, kinds, in, rows);
        }
      case CSV:
      case JSON:
        try (InputStream in = decompressed(spec, file)) {
          return readText(spec, schema, in, rows);
        }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Reads every row of a CSV or JSON file from {@code in}, decompressed; returns how many. */
  static long readText(FormatSpec spec, Schema schema, InputStream in, ValuesConsumer rows)
      throws IOException {
    Kind[] kinds = kinds(schema);
    switch (spec.format()) {
      case CSV:
        return csv(kinds, schema, spec.csv(), in, rows);
      case JSON:
        return json(kinds, schema, in, rows);
      default:
        throw new IllegalArgumentException(spec.format().id() + " is not a text format");
    }
  }

  private static Kind[] kinds(Schema schema) {
    Kind[] kinds = new Kind[schema.getFieldCount()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = SqlTypeMapping.kindOf(schema.getField(i).getType());
    }
    return kinds;
  }

  private static int scale(Schema schema, int column) {
    return SqlTypeMapping.scale(schema.getField(column).getType());
  }

  private static InputStream open(ResourceId file) throws IOException {
    return new BufferedInputStream(Channels.newInputStream(FileSystems.open(file)), 1 << 16);
  }

  private static InputStream decompressed(FormatSpec spec, ResourceId file) throws IOException {
    return new BufferedInputStream(
        Channels.newInputStream(spec.fileCompression().readDecompressed(FileSystems.open(file))),
        1 << 16);
  }

  private static long parquet(Schema schema, Kind[] kinds, ResourceId file, ValuesConsumer rows)
      throws IOException {
    ParquetValues materializer = new ParquetValues(kinds, scales(schema, kinds));
    long count = 0;
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file);
        ParquetFileReader reader =
            ParquetFileReader.open(new FileVerifier.ChannelInputFile(channel, channel.size()))) {
      MessageType type = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Object[]> records =
            new ColumnIOFactory().getColumnIO(type).getRecordReader(pages, materializer);
        for (long r = 0; r < pages.getRowCount(); r++) {
          rows.accept(records.read());
          count++;
        }
      }
    }
    return count;
  }

  private static int[] scales(Schema schema, Kind[] kinds) {
    int[] scales = new int[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      scales[i] = kinds[i] == Kind.DECIMAL ? scale(schema, i) : 0;
    }
    return scales;
  }

  private static long avro(Schema schema, Kind[] kinds, InputStream in, ValuesConsumer rows)
      throws IOException {
    Object[] values = new Object[kinds.length];
    int[] scales = scales(schema, kinds);
    long count = 0;
    try (DataFileStream<GenericRecord> records =
        new DataFileStream<>(in, new GenericDatumReader<>())) {
      GenericRecord record = null;
      while (records.hasNext()) {
        record = records.next(record);
        for (int i = 0; i < kinds.length; i++) {
          values[i] = avroValue(kinds[i], scales[i], record, i);
        }
        rows.accept(values);
        count++;
      }
    }
    return count;
  }

  private static Object avroValue(Kind kind, int scale, GenericRecord record, int i) {
    Object raw = record.get(i);
    if (raw == null) {
      return null;
    }
    switch (kind) {
      case INT16:
        return ((Integer) raw).shortValue();
      case STRING:
        return raw.toString();
      case TIME:
        return ValueText.parse(Kind.TIME, raw.toString());
      case BYTES:
        return bytes((ByteBuffer) raw);
      case DECIMAL:
        return new BigDecimal(new BigInteger(bytes((ByteBuffer) raw)), scale);
      case DATE:
        return LocalDate.ofEpochDay((Integer) raw);
      case TIMESTAMP:
        return LocalDateTime.ofInstant(ParquetValues.instant((Long) raw), ZoneOffset.UTC);
      case TIMESTAMP_TZ:
        return ParquetValues.instant((Long) raw);
      default:
        // int, long, float, double and boolean are Avro's own.
        return raw;
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static long csv(
      Kind[] kinds, Schema schema, CsvOptions csv, InputStream in, ValuesConsumer rows)
      throws IOException {
    CsvParser parser = new CsvParser(new InputStreamReader(in, StandardCharsets.UTF_8), csv);
    Object[] values = new Object[kinds.length];
    long count = 0;
    boolean header = csv.header();
    String[] record;
    while ((record = parser.next()) != null) {
      if (header) {
        header = false;
        continue;
      }
      if (record.length != kinds.length) {
        throw new IllegalArgumentException(
            "record "
                + (count + 1)
                + " has "
                + record.length
                + " fields, the schema "
                + kinds.length);
      }
      for (int i = 0; i < kinds.length; i++) {
        values[i] = record[i] == null ? null : ValueText.parse(kinds[i], record[i]);
      }
      rows.accept(values);
      count++;
    }
    return count;
  }

  /**
   * JSON lines, read token by token: no tree per line. A member lakeroute did not write is skipped,
   * a missing one is NULL, and a value of the wrong kind fails the read.
   */
  private static long json(Kind[] kinds, Schema schema, InputStream in, ValuesConsumer rows)
      throws IOException {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < kinds.length; i++) {
      columns.put(schema.getField(i).getName(), i);
    }
    Object[] values = new Object[kinds.length];
    long count = 0;
    try (JsonParser parser = JSON.createParser(in)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token != JsonToken.START_OBJECT) {
          throw new IllegalArgumentException("row " + (count + 1) + " is not a JSON object");
        }
        Arrays.fill(values, null);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          Integer column = columns.get(parser.currentName());
          JsonToken value = parser.nextToken();
          if (column == null) {
            parser.skipChildren();
          } else if (value != JsonToken.VALUE_NULL) {
            values[column] = jsonValue(kinds[column], parser, value);
          }
        }
        rows.accept(values);
        count++;
      }
    } catch (JsonProcessingException e) {
      // Unchecked, as every other decoder's: the read-back names the file and the format.
      throw new IllegalArgumentException("row " + (count + 1) + ": " + e.getOriginalMessage(), e);
    }
    return count;
  }

  private static Object jsonValue(Kind kind, JsonParser parser, JsonToken token)
      throws IOException {
    switch (kind) {
      case INT16:
        return parser.getShortValue();
      case INT32:
        return parser.getIntValue();
      case INT64:
        return parser.getLongValue();
      case BOOLEAN:
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw new IllegalArgumentException(parser.getText() + " is not a boolean");
        }
        return token == JsonToken.VALUE_TRUE;
      case DECIMAL:
        return parser.getDecimalValue();
      case FLOAT:
      case DOUBLE:
        // Numbers as written (exact decimal text), NaN and infinities as strings.
        return ValueText.parse(
            kind, token.isNumeric() ? parser.getDecimalValue().toString() : parser.getText());
      default:
        if (token != JsonToken.VALUE_STRING) {
          throw new IllegalArgumentException(parser.getText() + " is not a string");
        }
        return ValueText.parse(kind, parser.getText());
    }
  }
}
