package io.lakeroute.fingerprint;

import io.lakeroute.delivery.Manifest;
import java.io.Serializable;

/**
 * A column to fingerprint in SQL: its name, its manifest type ({@code int32}, {@code
 * decimal(38,10)}, {@code timestamp_tz}, …) and whether the table holds it as lakeroute's text of
 * the value rather than the type itself: TIME is text in every table lakeroute creates, binary is
 * base64 text in tables over CSV and JSON files.
 */
public record FingerprintColumn(String name, String type, boolean asText) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A column held in its own type, as in the source database. */
  public static FingerprintColumn of(String name, String type) {
    return new FingerprintColumn(name, type, false);
  }

  /** A manifest column as a table lakeroute created over files of {@code format} holds it. */
  public static FingerprintColumn inTable(Manifest.Column column, String format) {
    boolean asText =
        column.type().equals("time")
            || (column.type().equals("bytes") && (format.equals("csv") || format.equals("json")));
    return new FingerprintColumn(column.name(), column.type(), asText);
  }

  /** A decimal's precision. */
  int precision() {
    return Integer.parseInt(type.substring(type.indexOf('(') + 1, type.indexOf(',')).trim());
  }

  /** A decimal's scale. */
  int scale() {
    return Integer.parseInt(type.substring(type.indexOf(',') + 1, type.indexOf(')')).trim());
  }

  /** The type without a decimal's precision and scale. */
  String kind() {
    return type.startsWith("decimal") ? "decimal" : type;
  }
}
