package io.lakeroute.sql;

import io.lakeroute.delivery.Manifest;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL type of each manifest column type: the SQL standard's spelling, which a server replaces
 * only where its own differs ({@link #with}), so no server repeats the whole mapping. Decimals keep
 * the manifest's precision and scale. Binary columns of a text format (CSV, JSON carry binary as
 * base64 text) and any type without an entry take the server's text type.
 */
public final class ColumnTypes implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Map<String, String> STANDARD =
      Map.ofEntries(
          Map.entry("int16", "SMALLINT"),
          Map.entry("int32", "INTEGER"),
          Map.entry("int64", "BIGINT"),
          Map.entry("float", "REAL"),
          Map.entry("double", "DOUBLE PRECISION"),
          Map.entry("boolean", "BOOLEAN"),
          Map.entry("bytes", "VARBINARY"),
          Map.entry("date", "DATE"),
          // Written as text in every format (Parquet has no TIME every reader takes).
          Map.entry("time", "VARCHAR(15)"),
          Map.entry("timestamp", "TIMESTAMP"),
          Map.entry("timestamp_tz", "TIMESTAMP WITH TIME ZONE"));

  private final Map<String, String> types;
  private final String text;

  private ColumnTypes(Map<String, String> types, String text) {
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
    this.text = text;
  }

  /** The standard types, with {@code text} for strings and anything without a type of its own. */
  public static ColumnTypes standard(String text) {
    return new ColumnTypes(STANDARD, text);
  }

  /** These types with {@code manifestType} spelled {@code sqlType}. */
  public ColumnTypes with(String manifestType, String sqlType) {
    if (!STANDARD.containsKey(manifestType)) {
      throw new IllegalArgumentException("No manifest column type is named " + manifestType);
    }
    Map<String, String> changed = new LinkedHashMap<>(types);
    changed.put(manifestType, sqlType);
    return new ColumnTypes(changed, text);
  }

  /** The type of {@code column} as files of {@code format} hold it. */
  public String of(Manifest.Column column, String format) {
    String type = column.type();
    if (type.startsWith("decimal")) {
      return type.toUpperCase(Locale.ROOT);
    }
    if (type.equals("bytes") && (format.equals("csv") || format.equals("json"))) {
      return text;
    }
    return types.getOrDefault(type, text);
  }

  /** The type of strings. */
  public String text() {
    return text;
  }
}
