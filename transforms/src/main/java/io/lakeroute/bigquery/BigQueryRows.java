package io.lakeroute.bigquery;

import com.google.api.services.bigquery.model.TableRow;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Turns a record of delivered CSV text into the row a BigQuery load writes. The text of decimals,
 * dates, times, timestamps and bytes is already in a form BigQuery reads exactly (plain decimal
 * notation, ISO-8601 with microseconds, {@code Z} for UTC, base64), so it is passed on unchanged
 * rather than converted through a lossy type; integers and booleans are checked and typed. Values
 * outside BigQuery's ranges (years 1–9999) are refused, naming the column.
 */
public final class BigQueryRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final List<Kind> kinds;

  private BigQueryRows(List<String> names, List<Kind> kinds) {
    this.names = names;
    this.kinds = kinds;
  }

  public static BigQueryRows of(Schema schema) {
    return new BigQueryRows(
        schema.getFields().stream().map(Schema.Field::getName).toList(),
        schema.getFields().stream().map(f -> SqlTypeMapping.kindOf(f.getType())).toList());
  }

  /** The row of {@code record}; a NULL column is left out, which BigQuery loads as NULL. */
  public TableRow toTableRow(String[] record) {
    TableRow row = new TableRow();
    for (int i = 0; i < record.length; i++) {
      if (record[i] != null) {
        row.set(names.get(i), value(names.get(i), kinds.get(i), record[i]));
      }
    }
    return row;
  }

  private static Object value(String column, Kind kind, String text) {
    try {
      switch (kind) {
        case INT16:
        case INT32:
        case INT64:
          return Long.parseLong(text);
        case BOOLEAN:
          if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("not true or false");
          }
          return Boolean.valueOf(text);
        case FLOAT:
        case DOUBLE:
          // As text: BigQuery reads "NaN" and "Infinity" there, and JSON has no number for them.
          Double.parseDouble(text);
          return text;
        case DECIMAL:
          new BigDecimal(text);
          return text;
        case DATE:
        case TIMESTAMP:
        case TIMESTAMP_TZ:
          return inRange(column, kind, text);
        default:
          return text;
      }
    } catch (IllegalArgumentException e) {
      throw new BigQueryException(
          "Column "
              + column
              + ": '"
              + text
              + "' is not a "
              + kind
              + " value ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * BigQuery's dates and timestamps run from year 1 to 9999; the files carry years beyond with a
   * sign or a fifth digit, and year 0.
   */
  private static String inRange(String column, Kind kind, String text) {
    boolean fourDigitYear =
        text.length() > 4 && text.charAt(4) == '-' && Character.isDigit(text.charAt(0));
    if (!fourDigitYear || text.startsWith("0000")) {
      throw new BigQueryException(
          "Column "
              + column
              + " holds "
              + text
              + ", outside BigQuery's "
              + (kind == Kind.DATE ? "DATE" : kind == Kind.TIMESTAMP ? "DATETIME" : "TIMESTAMP")
              + " range (years 0001 to 9999). Filter or clamp it in the query; nothing was loaded.",
          null);
    }
    return text;
  }
}
