package io.lakeroute.formats;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Writes Beam rows as JSON Lines: one object per line, every column present (NULL as {@code null}),
 * decimals as JSON numbers in plain notation at full scale (read them as decimals, not doubles),
 * dates and times as ISO-8601 strings ({@link ValueText}), binary as base64, NaN and infinities as
 * strings. Whole-file compression is FileIO's.
 *
 * <pre>{@code
 * rows.apply(FileIO.<Row>write().via(new JsonSink(schema)).to(dir).withCompression(GZIP));
 * }</pre>
 */
public final class JsonSink implements FileIO.Sink<Row> {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  private final Schema schema;
  private transient Kind[] kinds;
  private transient String[] names;
  private transient JsonGenerator json;

  public JsonSink(Schema schema) {
    this.schema = schema;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    List<Schema.Field> fields = schema.getFields();
    kinds = new Kind[fields.size()];
    names = new String[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = SqlTypeMapping.kindOf(fields.get(i).getType());
      names[i] = fields.get(i).getName();
    }
    json = FACTORY.createGenerator(new ChannelOutput(channel), JsonEncoding.UTF8);
    json.setRootValueSeparator(null);
  }

  @Override
  public void write(Row row) throws IOException {
    json.writeStartObject();
    for (int i = 0; i < kinds.length; i++) {
      json.writeFieldName(names[i]);
      Object value = row.getValue(i);
      if (value == null) {
        json.writeNull();
        continue;
      }
      switch (kinds[i]) {
        case INT16:
          json.writeNumber((Short) value);
          break;
        case INT32:
          json.writeNumber((Integer) value);
          break;
        case INT64:
          json.writeNumber((Long) value);
          break;
        case FLOAT:
          json.writeNumber((Float) value);
          break;
        case DOUBLE:
          json.writeNumber((Double) value);
          break;
        case DECIMAL:
          json.writeNumber((BigDecimal) value);
          break;
        case BOOLEAN:
          json.writeBoolean((Boolean) value);
          break;
        case STRING:
          json.writeString((String) value);
          break;
        default:
          json.writeString(ValueText.format(kinds[i], value));
      }
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  @Override
  public void flush() throws IOException {
    json.flush();
  }
}
