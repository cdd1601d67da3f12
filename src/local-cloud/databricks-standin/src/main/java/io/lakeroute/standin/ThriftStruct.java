package io.lakeroute.standin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMap;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.protocol.TSet;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

/**
 * A Thrift struct read without its IDL: field id → (wire type, value).
 *
 * <p>The adapter cannot use generated classes for the messages it rewrites, because the Databricks
 * driver and Hive's server speak two dialects of TCLIService: the driver's adds fields (ids from
 * 0x501) and enum values that Hive's generated classes would drop or reject on reading. Reading
 * generically keeps every field, known or not, and writes it back byte for byte.
 *
 * <p>Values are {@code Boolean}, {@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code
 * Double}, {@code byte[]} (strings and binaries alike), {@link ThriftStruct}, {@link ThriftList}
 * (lists and sets) and {@link ThriftMap}.
 */
final class ThriftStruct {
  /** Deeper than any TCLIService message; a guard against malformed input. */
  private static final int MAX_DEPTH = 64;

  record Field(byte type, Object value) {}

  record ThriftList(byte elementType, boolean set, List<Object> elements) {}

  record ThriftMap(byte keyType, byte valueType, List<Map.Entry<Object, Object>> entries) {}

  private final LinkedHashMap<Short, Field> fields = new LinkedHashMap<>();

  boolean has(int id) {
    return fields.containsKey((short) id);
  }

  Object get(int id) {
    Field field = fields.get((short) id);
    return field == null ? null : field.value();
  }

  ThriftStruct struct(int id) {
    return get(id) instanceof ThriftStruct s ? s : null;
  }

  ThriftList list(int id) {
    return get(id) instanceof ThriftList l ? l : null;
  }

  Integer i32(int id) {
    return get(id) instanceof Integer i ? i : null;
  }

  Long i64(int id) {
    return get(id) instanceof Long l ? l : null;
  }

  byte[] binary(int id) {
    return get(id) instanceof byte[] b ? b : null;
  }

  String string(int id) {
    byte[] bytes = binary(id);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  ThriftStruct put(int id, byte type, Object value) {
    fields.put((short) id, new Field(type, value));
    return this;
  }

  ThriftStruct putI32(int id, int value) {
    return put(id, TType.I32, value);
  }

  ThriftStruct putI64(int id, long value) {
    return put(id, TType.I64, value);
  }

  ThriftStruct putBool(int id, boolean value) {
    return put(id, TType.BOOL, value);
  }

  ThriftStruct putString(int id, String value) {
    return put(id, TType.STRING, value.getBytes(StandardCharsets.UTF_8));
  }

  ThriftStruct putStruct(int id, ThriftStruct value) {
    return put(id, TType.STRUCT, value);
  }

  void remove(int id) {
    fields.remove((short) id);
  }

  /** Field ids in wire order. */
  List<Short> ids() {
    return new ArrayList<>(fields.keySet());
  }

  static ThriftStruct read(TProtocol in) throws TException {
    return readStruct(in, 0);
  }

  void write(TProtocol out) throws TException {
    out.writeStructBegin(new TStruct(""));
    for (Map.Entry<Short, Field> e : fields.entrySet()) {
      Field field = e.getValue();
      out.writeFieldBegin(new TField("", field.type(), e.getKey()));
      writeValue(out, field.type(), field.value());
      out.writeFieldEnd();
    }
    out.writeFieldStop();
    out.writeStructEnd();
  }

  private static ThriftStruct readStruct(TProtocol in, int depth) throws TException {
    if (depth > MAX_DEPTH) {
      throw new TProtocolException(TProtocolException.DEPTH_LIMIT, "struct nested too deeply");
    }
    ThriftStruct struct = new ThriftStruct();
    in.readStructBegin();
    while (true) {
      TField field = in.readFieldBegin();
      if (field.type == TType.STOP) {
        break;
      }
      struct.fields.put(field.id, new Field(field.type, readValue(in, field.type, depth)));
      in.readFieldEnd();
    }
    in.readStructEnd();
    return struct;
  }

  private static Object readValue(TProtocol in, byte type, int depth) throws TException {
    switch (type) {
      case TType.BOOL:
        return in.readBool();
      case TType.BYTE:
        return in.readByte();
      case TType.I16:
        return in.readI16();
      case TType.I32:
        return in.readI32();
      case TType.I64:
        return in.readI64();
      case TType.DOUBLE:
        return in.readDouble();
      case TType.STRING:
        ByteBuffer buffer = in.readBinary();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
      case TType.STRUCT:
        return readStruct(in, depth + 1);
      case TType.LIST:
        {
          TList list = in.readListBegin();
          List<Object> elements = new ArrayList<>(Math.min(list.size, 1 << 16));
          for (int i = 0; i < list.size; i++) {
            elements.add(readValue(in, list.elemType, depth + 1));
          }
          in.readListEnd();
          return new ThriftList(list.elemType, false, elements);
        }
      case TType.SET:
        {
          TSet set = in.readSetBegin();
          List<Object> elements = new ArrayList<>(Math.min(set.size, 1 << 16));
          for (int i = 0; i < set.size; i++) {
            elements.add(readValue(in, set.elemType, depth + 1));
          }
          in.readSetEnd();
          return new ThriftList(set.elemType, true, elements);
        }
      case TType.MAP:
        {
          TMap map = in.readMapBegin();
          List<Map.Entry<Object, Object>> entries = new ArrayList<>(Math.min(map.size, 1 << 16));
          for (int i = 0; i < map.size; i++) {
            Object key = readValue(in, map.keyType, depth + 1);
            Object value = readValue(in, map.valueType, depth + 1);
            entries.add(Map.entry(key, value));
          }
          in.readMapEnd();
          return new ThriftMap(map.keyType, map.valueType, entries);
        }
      default:
        throw new TProtocolException(TProtocolException.INVALID_DATA, "unknown wire type " + type);
    }
  }

  private static void writeValue(TProtocol out, byte type, Object value) throws TException {
    switch (type) {
      case TType.BOOL -> out.writeBool((Boolean) value);
      case TType.BYTE -> out.writeByte((Byte) value);
      case TType.I16 -> out.writeI16((Short) value);
      case TType.I32 -> out.writeI32((Integer) value);
      case TType.I64 -> out.writeI64((Long) value);
      case TType.DOUBLE -> out.writeDouble((Double) value);
      case TType.STRING -> out.writeBinary(ByteBuffer.wrap((byte[]) value));
      case TType.STRUCT -> ((ThriftStruct) value).write(out);
      case TType.LIST, TType.SET -> {
        ThriftList list = (ThriftList) value;
        if (list.set()) {
          out.writeSetBegin(new TSet(list.elementType(), list.elements().size()));
        } else {
          out.writeListBegin(new TList(list.elementType(), list.elements().size()));
        }
        for (Object element : list.elements()) {
          writeValue(out, list.elementType(), element);
        }
        if (list.set()) {
          out.writeSetEnd();
        } else {
          out.writeListEnd();
        }
      }
      case TType.MAP -> {
        ThriftMap map = (ThriftMap) value;
        out.writeMapBegin(new TMap(map.keyType(), map.valueType(), map.entries().size()));
        for (Map.Entry<Object, Object> entry : map.entries()) {
          writeValue(out, map.keyType(), entry.getKey());
          writeValue(out, map.valueType(), entry.getValue());
        }
        out.writeMapEnd();
      }
      default ->
          throw new TProtocolException(
              TProtocolException.INVALID_DATA, "unknown wire type " + type);
    }
  }
}
