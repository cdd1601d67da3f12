package io.lakeroute.standin;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/** Short text of a Thrift value for the adapter's trace: ids, values, lists cut after a few. */
final class Summaries {
  private static final int LIST_ITEMS = 4;
  private static final int TEXT_CHARS = 200;

  private Summaries() {}

  static String of(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value instanceof ThriftStruct struct) {
      out.append('{');
      String sep = "";
      for (Short id : struct.ids()) {
        out.append(sep).append(id >= 0x500 ? "0x" + Integer.toHexString(id) : id).append('=');
        append(out, struct.get(id));
        sep = ", ";
      }
      out.append('}');
    } else if (value instanceof ThriftStruct.ThriftList list) {
      out.append('[');
      int n = list.elements().size();
      for (int i = 0; i < Math.min(n, LIST_ITEMS); i++) {
        if (i > 0) {
          out.append(", ");
        }
        append(out, list.elements().get(i));
      }
      if (n > LIST_ITEMS) {
        out.append(", … ").append(n).append(" in all");
      }
      out.append(']');
    } else if (value instanceof ThriftStruct.ThriftMap map) {
      out.append('{');
      String sep = "";
      for (Map.Entry<Object, Object> e : map.entries()) {
        out.append(sep);
        append(out, e.getKey());
        out.append(": ");
        append(out, e.getValue());
        sep = ", ";
      }
      out.append('}');
    } else if (value instanceof byte[] bytes) {
      String text = text(bytes);
      if (text == null) {
        out.append("0x").append(HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 16)));
        if (bytes.length > 16) {
          out.append("…(").append(bytes.length).append(" bytes)");
        }
      } else {
        out.append('"')
            .append(text.length() > TEXT_CHARS ? text.substring(0, TEXT_CHARS) + "…" : text)
            .append('"');
      }
    } else {
      out.append(value);
    }
  }

  private static String text(byte[] bytes) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\t') ? text : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
