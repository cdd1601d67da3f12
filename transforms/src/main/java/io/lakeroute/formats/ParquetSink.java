package io.lakeroute.formats;

import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes Beam rows as Parquet, straight into Parquet's record consumer (no intermediate Avro record
 * per row). Types: decimals as FIXED_LEN_BYTE_ARRAY DECIMAL(p,s), dates as DATE, timestamps as
 * INT64 TIMESTAMP(MICROS) adjusted to UTC only when they carry a zone, TIME as ISO text (Spark and
 * Databricks have no TIME type and refuse the Parquet one).
 *
 * <pre>{@code
 * rows.apply(FileIO.<Row>write().via(new ParquetSink(schema, "snappy")).to("s3://bucket/out"));
 * }</pre>
 */
public final class ParquetSink implements FileIO.Sink<Row> {
  private static final long serialVersionUID = 1L;

  /** Row group size: Spark's default, and bounded memory per open file. */
  static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;

  private final Schema schema;
  private final String codec;
  private transient ParquetWriter<Row> writer;

  public ParquetSink(Schema schema, String codec) {
    this.schema = schema;
    this.codec = FileFormat.PARQUET.codec(codec);
    parquetSchema(schema);
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    writer =
        new Builder(new ChannelOutputFile(new ChannelOutput(channel)), schema)
            .withCompressionCodec(codecName(codec))
            .withRowGroupSize(ROW_GROUP_BYTES)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration(false))
            .build();
  }

  @Override
  public void write(Row row) throws IOException {
    writer.write(row);
  }

  @Override
  public void flush() throws IOException {
    writer.close();
  }

  private static CompressionCodecName codecName(String codec) {
    return codec.equals("none")
        ? CompressionCodecName.UNCOMPRESSED
        : CompressionCodecName.valueOf(codec.toUpperCase(Locale.ROOT));
  }

  /** The Parquet schema of a Beam schema made by {@link SqlTypeMapping}. */
  public static MessageType parquetSchema(Schema schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Schema.Field field : schema.getFields()) {
      message.addField(parquetType(field));
    }
    return message.named("lakeroute_row");
  }

  private static Type parquetType(Schema.Field field) {
    String name = field.getName();
    switch (SqlTypeMapping.kindOf(field.getType())) {
      case INT16:
        return Types.optional(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.intType(16, true))
            .named(name);
      case INT32:
        return Types.optional(PrimitiveTypeName.INT32).named(name);
      case INT64:
        return Types.optional(PrimitiveTypeName.INT64).named(name);
      case FLOAT:
        return Types.optional(PrimitiveTypeName.FLOAT).named(name);
      case DOUBLE:
        return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case BOOLEAN:
        return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case STRING:
      case TIME:
        return Types.optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(name);
      case BYTES:
        return Types.optional(PrimitiveTypeName.BINARY).named(name);
      case DECIMAL:
        int precision = SqlTypeMapping.precision(field.getType());
        return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
            .length(Decimals.bytesFor(precision))
            .as(LogicalTypeAnnotation.decimalType(SqlTypeMapping.scale(field.getType()), precision))
            .named(name);
      case DATE:
        return Types.optional(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.dateType())
            .named(name);
      case TIMESTAMP:
        return Types.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS))
            .named(name);
      case TIMESTAMP_TZ:
        return Types.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
            .named(name);
    }
    throw new IllegalStateException("unreachable");
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final Schema schema;

    Builder(OutputFile file, Schema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema);
    }
  }

  /** Hands each field of a row to Parquet's record consumer. */
  private static final class RowWriteSupport extends WriteSupport<Row> {
    private final Schema schema;
    private final MessageType messageType;
    private final Kind[] kinds;
    private final int[] fixedLengths;
    private RecordConsumer consumer;

    RowWriteSupport(Schema schema) {
      this.schema = schema;
      this.messageType = parquetSchema(schema);
      List<Schema.Field> fields = schema.getFields();
      this.kinds = new Kind[fields.size()];
      this.fixedLengths = new int[fields.size()];
      for (int i = 0; i < kinds.length; i++) {
        kinds[i] = SqlTypeMapping.kindOf(fields.get(i).getType());
        if (kinds[i] == Kind.DECIMAL) {
          fixedLengths[i] = Decimals.bytesFor(SqlTypeMapping.precision(fields.get(i).getType()));
        }
      }
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(messageType, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
      consumer.startMessage();
      for (int i = 0; i < kinds.length; i++) {
        Object value = row.getValue(i);
        if (value == null) {
          continue;
        }
        String name = schema.getField(i).getName();
        consumer.startField(name, i);
        switch (kinds[i]) {
          case INT16:
            consumer.addInteger((Short) value);
            break;
          case INT32:
            consumer.addInteger((Integer) value);
            break;
          case INT64:
            consumer.addLong((Long) value);
            break;
          case FLOAT:
            consumer.addFloat((Float) value);
            break;
          case DOUBLE:
            consumer.addDouble((Double) value);
            break;
          case BOOLEAN:
            consumer.addBoolean((Boolean) value);
            break;
          case STRING:
            consumer.addBinary(Binary.fromString((String) value));
            break;
          case TIME:
            consumer.addBinary(Binary.fromString(ValueText.format(Kind.TIME, value)));
            break;
          case BYTES:
            consumer.addBinary(Binary.fromConstantByteArray((byte[]) value));
            break;
          case DECIMAL:
            consumer.addBinary(
                Binary.fromConstantByteArray(
                    Decimals.fixedBytes((BigDecimal) value, fixedLengths[i])));
            break;
          case DATE:
            consumer.addInteger(Math.toIntExact(((LocalDate) value).toEpochDay()));
            break;
          case TIMESTAMP:
            consumer.addLong(Decimals.micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
            break;
          case TIMESTAMP_TZ:
            consumer.addLong(Decimals.micros((Instant) value));
            break;
        }
        consumer.endField(name, i);
      }
      consumer.endMessage();
    }
  }

  /** Parquet's view of the FileIO channel. */
  private static final class ChannelOutputFile implements OutputFile {
    private final ChannelOutput out;

    ChannelOutputFile(ChannelOutput out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return out.position();
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return ROW_GROUP_BYTES;
    }
  }
}
