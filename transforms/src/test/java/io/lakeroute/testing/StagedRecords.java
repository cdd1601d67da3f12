package io.lakeroute.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The records of one staged file, decoded as a warehouse's bulk load reads them: CSV with the
 * load's dialect, JSON Lines, Avro and Parquet. Values are {@code null}, the field's text ({@link
 * String}, from CSV and JSON, converted by the loading warehouse's own rules), or a typed value
 * from Avro and Parquet ({@link Long}, {@link BigDecimal}, {@link LocalDate}, {@link
 * LocalDateTime}, {@link Instant}, {@code byte[]}, …). Each record knows the line (CSV, JSON) or
 * ordinal (Avro, Parquet) it came from, for the error a rejected value raises.
 */
final class StagedRecords {
  private StagedRecords() {}

  /** One record: its values by position, or by field name when {@link #names} is set. */
  record Record(long line, List<Object> values, List<String> names) {}

  /** Why a file cannot be decoded at {@code line}: the warehouse's own wording. */
  static final class BadRecord extends IOException {
    final long line;

    BadRecord(long line, String reason) {
      super(reason);
      this.line = line;
    }
  }

  /** The CSV dialect of a load. */
  record CsvDialect(
      char delimiter,
      char quote,
      String nullText,
      int skipRows,
      String rowTerminator,
      Charset charset) {}

  /**
   * CSV records: fields split at the delimiter outside quotes, a doubled quote inside quotes is
   * one, and a record ends at the row terminator outside quotes ({@code null}: LF or CR LF). An
   * unquoted field equal to the null text is NULL; a quoted one is text.
   */
  static List<Record> csv(byte[] content, CsvDialect dialect) throws IOException {
    List<Record> records = new ArrayList<>();
    try (Reader in =
        new BufferedReader(
            new InputStreamReader(new ByteArrayInputStream(content), dialect.charset()))) {
      long line = 1;
      int c = in.read();
      while (c != -1) {
        long start = line;
        List<Object> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean inQuotes = false;
        boolean endOfRecord = false;
        while (!endOfRecord) {
          if (c == -1) {
            if (inQuotes) {
              throw new BadRecord(start, "Missing closing quote: the file ends inside a field");
            }
            endOfRecord = true;
          } else if (inQuotes) {
            if (c == dialect.quote()) {
              int next = in.read();
              if (next == dialect.quote()) {
                field.append((char) c);
                c = in.read();
              } else {
                inQuotes = false;
                c = next;
              }
              continue;
            }
            if (c == '\n') {
              line++;
            }
            field.append((char) c);
          } else if (c == dialect.quote() && field.length() == 0 && !quoted) {
            quoted = true;
            inQuotes = true;
          } else if (c == dialect.delimiter()) {
            fields.add(value(field, quoted, dialect));
            field.setLength(0);
            quoted = false;
          } else if (endsRecord(c, field, dialect.rowTerminator())) {
            line++;
            endOfRecord = true;
          } else {
            if (quoted) {
              throw new BadRecord(
                  start, "Invalid quote formatting for CSV: text after a closing quote");
            }
            field.append((char) c);
          }
          if (!endOfRecord) {
            c = in.read();
          }
        }
        fields.add(value(field, quoted, dialect));
        if (start > dialect.skipRows()) {
          records.add(new Record(start, fields, null));
        }
        c = in.read();
      }
    }
    return records;
  }

  /**
   * Whether {@code c} ends the record: the last character of the terminator, with the ones before
   * it already at the end of the field (which are then taken off it).
   */
  private static boolean endsRecord(int c, StringBuilder field, String terminator) {
    if (terminator == null) {
      if (c != '\n') {
        return false;
      }
      if (field.length() > 0 && field.charAt(field.length() - 1) == '\r') {
        field.setLength(field.length() - 1);
      }
      return true;
    }
    int last = terminator.length() - 1;
    if (c != terminator.charAt(last)) {
      return false;
    }
    String before = terminator.substring(0, last);
    if (!field.toString().endsWith(before)) {
      return false;
    }
    field.setLength(field.length() - before.length());
    return true;
  }

  private static Object value(StringBuilder field, boolean quoted, CsvDialect dialect) {
    String text = field.toString();
    return !quoted && text.equals(dialect.nullText()) ? null : text;
  }

  /**
   * JSON Lines: one object per line, its members by name; scalars as their text (numbers exactly as
   * written), JSON null and absent members as NULL.
   */
  static List<Record> json(byte[] content, Charset charset) throws IOException {
    ObjectMapper mapper =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    List<Record> records = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content), charset))) {
      long line = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
          throw new BadRecord(line, "Invalid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
          throw new BadRecord(line, "Invalid JSONPath format: the top level is not an object");
        }
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> member = it.next();
          names.add(member.getKey());
          values.add(jsonValue(member.getValue()));
        }
        records.add(new Record(line, values, names));
      }
    }
    return records;
  }

  private static Object jsonValue(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isBigDecimal()) {
      return node.decimalValue().toPlainString();
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** Avro object container files: each record's fields by name, typed by logical type. */
  static List<Record> avro(byte[] content) throws IOException {
    List<Record> records = new ArrayList<>();
    try (DataFileStream<GenericRecord> in =
        new DataFileStream<>(new ByteArrayInputStream(content), new GenericDatumReader<>())) {
      long ordinal = 0;
      for (GenericRecord record : in) {
        records.add(typed(++ordinal, record));
      }
    }
    return records;
  }

  /** Parquet files, through parquet-avro: each row's fields by name, typed by logical type. */
  static List<Record> parquet(byte[] content) throws IOException {
    List<Record> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> in =
        AvroParquetReader.<GenericRecord>builder(new BytesInputFile(content)).build()) {
      long ordinal = 0;
      for (GenericRecord record = in.read(); record != null; record = in.read()) {
        records.add(typed(++ordinal, record));
      }
    }
    return records;
  }

  private static Record typed(long ordinal, GenericRecord record) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      fields.put(field.name(), typed(field.schema(), record.get(field.pos())));
    }
    return new Record(ordinal, new ArrayList<>(fields.values()), new ArrayList<>(fields.keySet()));
  }

  private static Object typed(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return typed(branch, value);
        }
      }
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal decimal) {
      byte[] bytes =
          value instanceof GenericFixed fixed ? fixed.bytes() : bytes((ByteBuffer) value);
      return new BigDecimal(new BigInteger(bytes), decimal.getScale());
    }
    if (logical instanceof LogicalTypes.Date) {
      return LocalDate.ofEpochDay((Integer) value);
    }
    if (logical instanceof LogicalTypes.TimestampMicros) {
      return Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS);
    }
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return Instant.ofEpochMilli((Long) value);
    }
    if (logical instanceof LogicalTypes.LocalTimestampMicros) {
      return LocalDateTime.ofInstant(Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS), UTC);
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis) {
      return LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) value), UTC);
    }
    if (value instanceof ByteBuffer buffer) {
      return bytes(buffer);
    }
    if (value instanceof GenericFixed fixed) {
      return fixed.bytes();
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    return value;
  }

  private static final ZoneOffset UTC = ZoneOffset.UTC;

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /**
   * The values of {@code record} for {@code columns}: by position, or by name when it has names.
   */
  static List<Object> forColumns(Record record, List<String> columns, boolean ignoreCase)
      throws BadRecord {
    if (record.names() == null) {
      if (record.values().size() < columns.size()) {
        throw new BadRecord(
            record.line(),
            "Delimiter not found: "
                + record.values().size()
                + " fields for "
                + columns.size()
                + " columns");
      }
      if (record.values().size() > columns.size()) {
        throw new BadRecord(
            record.line(),
            "Extra column(s) found: "
                + record.values().size()
                + " fields for "
                + columns.size()
                + " columns");
      }
      return record.values();
    }
    List<Object> values = new ArrayList<>();
    for (String column : columns) {
      Object value = null;
      for (int i = 0; i < record.names().size(); i++) {
        String name = record.names().get(i);
        if (ignoreCase ? name.equalsIgnoreCase(column) : name.equals(column)) {
          value = record.values().get(i);
        }
      }
      values.add(value);
    }
    return values;
  }

  /** The same values by position, for columnar files whose fields map to columns in order. */
  static List<Object> byPosition(Record record, List<String> columns) throws BadRecord {
    return forColumns(new Record(record.line(), record.values(), null), columns, false);
  }

  /** Parquet's {@link InputFile} over bytes in memory. */
  private static final class BytesInputFile implements InputFile {
    private final byte[] content;

    BytesInputFile(byte[] content) {
      this.content = content;
    }

    @Override
    public long getLength() {
      return content.length;
    }

    @Override
    public SeekableInputStream newStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(content);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() {
          return content.length - in.available();
        }

        @Override
        public void seek(long newPos) {
          in.reset();
          in.skip(newPos);
        }
      };
    }
  }
}
