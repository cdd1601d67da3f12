package io.lakeroute.formats;

import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Writes Beam rows as an Avro container file. The Avro schema is derived from the Beam schema with
 * logical types: {@code decimal(p,s)} on bytes, {@code date}, {@code timestamp-micros} for
 * timestamps with zone and {@code local-timestamp-micros} without; TIME as ISO text, as in Parquet.
 * Every field is a union with null. Beam's own {@code AvroUtils} is not used: it rejects
 * fixed-precision decimals.
 *
 * <pre>{@code
 * rows.apply(FileIO.<Row>write().via(new AvroSink(schema, "snappy")).to("s3://bucket/out"));
 * }</pre>
 */
public final class AvroSink implements FileIO.Sink<Row> {
  private static final long serialVersionUID = 1L;
  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Schema schema;
  private final String codec;
  private transient org.apache.avro.Schema avroSchema;
  private transient Kind[] kinds;
  private transient DataFileWriter<GenericRecord> writer;

  public AvroSink(Schema schema, String codec) {
    this.schema = schema;
    this.codec = FileFormat.AVRO.codec(codec);
    avroSchema(schema);
  }

  /**
   * Fails, naming every such column, when a column's name cannot be an Avro field name: an
   * expression the query does not name gets one like PostgreSQL's {@code ?column?}.
   */
  static void checkNames(Schema schema) {
    List<String> invalid =
        schema.getFieldNames().stream().filter(n -> !AVRO_NAME.matcher(n).matches()).toList();
    if (!invalid.isEmpty()) {
      boolean one = invalid.size() == 1;
      throw new IllegalArgumentException(
          (one ? "Column " : "Columns ")
              + invalid.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
              + (one ? " is not a valid Avro field name" : " are not valid Avro field names")
              + " (letters, digits and _, not starting with a digit): name "
              + (one ? "it" : "each")
              + " with AS in the query, e.g. SELECT id + 1 AS next_id, or write another format"
              + " (FileFormat.of)");
    }
  }

  /** The Avro schema of a Beam schema made by {@link SqlTypeMapping}. */
  public static org.apache.avro.Schema avroSchema(Schema schema) {
    checkNames(schema);
    SchemaBuilder.FieldAssembler<org.apache.avro.Schema> fields =
        SchemaBuilder.record("lakeroute_row").namespace("io.lakeroute").fields();
    for (Schema.Field field : schema.getFields()) {
      org.apache.avro.Schema type = avroType(field.getType());
      fields =
          fields
              .name(field.getName())
              .doc(field.getDescription())
              .type(SchemaBuilder.unionOf().nullType().and().type(type).endUnion())
              .withDefault(null);
    }
    return fields.endRecord();
  }

  private static org.apache.avro.Schema avroType(Schema.FieldType type) {
    switch (SqlTypeMapping.kindOf(type)) {
      case INT16:
      case INT32:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
      case INT64:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
      case FLOAT:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
      case DOUBLE:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
      case BOOLEAN:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
      case STRING:
      case TIME:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
      case BYTES:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
      case DECIMAL:
        return LogicalTypes.decimal(SqlTypeMapping.precision(type), SqlTypeMapping.scale(type))
            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
      case DATE:
        return LogicalTypes.date()
            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
      case TIMESTAMP:
        return LogicalTypes.localTimestampMicros()
            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
      case TIMESTAMP_TZ:
        return LogicalTypes.timestampMicros()
            .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
    }
    throw new IllegalStateException("unreachable");
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    avroSchema = avroSchema(schema);
    List<Schema.Field> fields = schema.getFields();
    kinds = new Kind[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = SqlTypeMapping.kindOf(fields.get(i).getType());
    }
    writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(avroSchema));
    writer.setCodec(codecFactory(codec));
    writer.create(avroSchema, new ChannelOutput(channel));
  }

  private static CodecFactory codecFactory(String codec) {
    switch (codec) {
      case "none":
        return CodecFactory.nullCodec();
      case "deflate":
        return CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL);
      case "zstd":
        return CodecFactory.zstandardCodec(CodecFactory.DEFAULT_ZSTANDARD_LEVEL);
      default:
        return CodecFactory.snappyCodec();
    }
  }

  @Override
  public void write(Row row) throws IOException {
    GenericData.Record record = new GenericData.Record(avroSchema);
    for (int i = 0; i < kinds.length; i++) {
      Object value = row.getValue(i);
      if (value != null) {
        record.put(i, avroValue(kinds[i], value));
      }
    }
    writer.append(record);
  }

  private static Object avroValue(Kind kind, Object value) {
    switch (kind) {
      case INT16:
        return ((Short) value).intValue();
      case TIME:
        return ValueText.format(Kind.TIME, value);
      case BYTES:
        return ByteBuffer.wrap((byte[]) value);
      case DECIMAL:
        return ByteBuffer.wrap(((BigDecimal) value).unscaledValue().toByteArray());
      case DATE:
        return Math.toIntExact(((LocalDate) value).toEpochDay());
      case TIMESTAMP:
        return Decimals.micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC));
      case TIMESTAMP_TZ:
        return Decimals.micros((Instant) value);
      default:
        return value;
    }
  }

  @Override
  public void flush() throws IOException {
    writer.close();
  }
}
