package io.lakeroute.formats;

import io.lakeroute.query.SqlTypeMapping.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;

/**
 * Decodes the rows {@link ParquetSink} wrote straight into one reused array of values, as the Java
 * types {@code PartitionReader} produces: a converter per column, no record objects in between
 * (Parquet's example {@code Group} costs a list per field and row, which made reading a file back
 * cost as much as writing it). A column whose physical type is not the one lakeroute writes for its
 * kind fails, as Parquet's converters refuse a call they do not implement.
 */
final class ParquetValues extends RecordMaterializer<Object[]> {
  private final Object[] values;
  private final GroupConverter root;

  ParquetValues(Kind[] kinds, int[] scales) {
    this.values = new Object[kinds.length];
    Converter[] columns = new Converter[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      columns[i] = column(kinds[i], scales[i], i);
    }
    this.root =
        new GroupConverter() {
          @Override
          public Converter getConverter(int fieldIndex) {
            return columns[fieldIndex];
          }

          @Override
          public void start() {
            // A NULL is a value the column's converter is not called for.
            Arrays.fill(values, null);
          }

          @Override
          public void end() {}
        };
  }

  @Override
  public Object[] getCurrentRecord() {
    return values;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  private PrimitiveConverter column(Kind kind, int scale, int i) {
    switch (kind) {
      case INT16:
        return new PrimitiveConverter() {
          @Override
          public void addInt(int value) {
            values[i] = (short) value;
          }
        };
      case INT32:
        return new PrimitiveConverter() {
          @Override
          public void addInt(int value) {
            values[i] = value;
          }
        };
      case DATE:
        return new PrimitiveConverter() {
          @Override
          public void addInt(int value) {
            values[i] = LocalDate.ofEpochDay(value);
          }
        };
      case INT64:
        return new PrimitiveConverter() {
          @Override
          public void addLong(long value) {
            values[i] = value;
          }
        };
      case TIMESTAMP:
        return new PrimitiveConverter() {
          @Override
          public void addLong(long value) {
            values[i] = LocalDateTime.ofInstant(instant(value), ZoneOffset.UTC);
          }
        };
      case TIMESTAMP_TZ:
        return new PrimitiveConverter() {
          @Override
          public void addLong(long value) {
            values[i] = instant(value);
          }
        };
      case FLOAT:
        return new PrimitiveConverter() {
          @Override
          public void addFloat(float value) {
            values[i] = value;
          }
        };
      case DOUBLE:
        return new PrimitiveConverter() {
          @Override
          public void addDouble(double value) {
            values[i] = value;
          }
        };
      case BOOLEAN:
        return new PrimitiveConverter() {
          @Override
          public void addBoolean(boolean value) {
            values[i] = value;
          }
        };
      case STRING:
        return new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            values[i] = value.toStringUsingUTF8();
          }
        };
      case TIME:
        return new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            values[i] = ValueText.parse(Kind.TIME, value.toStringUsingUTF8());
          }
        };
      case BYTES:
        return new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            values[i] = value.getBytes();
          }
        };
      case DECIMAL:
        return new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            values[i] = new BigDecimal(new BigInteger(value.getBytes()), scale);
          }
        };
    }
    throw new IllegalStateException("unreachable");
  }

  /** Microseconds since the epoch as an instant, for any sign. */
  static Instant instant(long micros) {
    return Instant.EPOCH
        .plusSeconds(Math.floorDiv(micros, 1_000_000L))
        .plusNanos(Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
