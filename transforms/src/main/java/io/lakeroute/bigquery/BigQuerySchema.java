package io.lakeroute.bigquery;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The BigQuery schema of a run, from the query's Beam schema: every column NULLABLE, each type the
 * one that holds the values exactly. Decimals become {@code NUMERIC(p,s)} while they fit (at most 9
 * decimals and 29 integer digits) and {@code BIGNUMERIC(p,s)} beyond (38 and 38); a decimal wider
 * than that is refused, naming the column. Timestamps with a zone are {@code TIMESTAMP} (an
 * instant), without one {@code DATETIME} (a wall-clock time), as in the source.
 */
public final class BigQuerySchema {
  static final int NUMERIC_SCALE = 9;
  static final int NUMERIC_INTEGER_DIGITS = 29;
  static final int BIGNUMERIC_SCALE = 38;
  static final int BIGNUMERIC_INTEGER_DIGITS = 38;

  private BigQuerySchema() {}

  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),(-?\\d+)\\)");

  /** The table schema for {@code schema}; throws, naming the column, for what cannot be exact. */
  public static TableSchema of(Schema schema) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      Kind kind = SqlTypeMapping.kindOf(field.getType());
      fields.add(
          kind == Kind.DECIMAL
              ? field(
                  field.getName(),
                  kind,
                  SqlTypeMapping.precision(field.getType()),
                  SqlTypeMapping.scale(field.getType()))
              : field(field.getName(), kind, 0, 0));
    }
    return new TableSchema().setFields(fields);
  }

  /**
   * The table schema for a manifest's columns ({@link Manifest#typeOf} names), the same as for the
   * schema they were written from: what a resumed run loads with.
   */
  public static TableSchema of(List<Manifest.Column> columns) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Manifest.Column column : columns) {
      Matcher decimal = DECIMAL.matcher(column.type());
      fields.add(
          decimal.matches()
              ? field(
                  column.name(),
                  Kind.DECIMAL,
                  Integer.parseInt(decimal.group(1)),
                  Integer.parseInt(decimal.group(2)))
              : field(column.name(), Kind.valueOf(column.type().toUpperCase(Locale.ROOT)), 0, 0));
    }
    return new TableSchema().setFields(fields);
  }

  private static TableFieldSchema field(String name, Kind kind, int precision, int scale) {
    TableFieldSchema field = new TableFieldSchema().setName(name).setMode("NULLABLE");
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        return field.setType("INT64");
      case FLOAT:
      case DOUBLE:
        return field.setType("FLOAT64");
      case BOOLEAN:
        return field.setType("BOOL");
      case STRING:
        return field.setType("STRING");
      case BYTES:
        return field.setType("BYTES");
      case DATE:
        return field.setType("DATE");
      case TIME:
        return field.setType("TIME");
      case TIMESTAMP:
        return field.setType("DATETIME");
      case TIMESTAMP_TZ:
        return field.setType("TIMESTAMP");
      case DECIMAL:
        return decimal(field, precision, scale);
      default:
        throw new IllegalStateException("unknown kind " + kind);
    }
  }

  private static TableFieldSchema decimal(TableFieldSchema field, int precision, int scale) {
    int integerDigits = precision - scale;
    if (scale >= 0 && scale <= NUMERIC_SCALE && integerDigits <= NUMERIC_INTEGER_DIGITS) {
      return parameterized(field.setType("NUMERIC"), precision, scale);
    }
    if (scale >= 0 && scale <= BIGNUMERIC_SCALE && integerDigits <= BIGNUMERIC_INTEGER_DIGITS) {
      return parameterized(field.setType("BIGNUMERIC"), precision, scale);
    }
    throw new BigQueryException(
        "Column "
            + field.getName()
            + " is DECIMAL("
            + precision
            + ","
            + scale
            + "), which no BigQuery type holds exactly (BIGNUMERIC: at most 38 decimals and 38"
            + " integer digits). Cast it in the query, e.g. CAST("
            + field.getName()
            + " AS NUMERIC(38,"
            + Math.max(0, Math.min(scale, BIGNUMERIC_SCALE))
            + ")).",
        null);
  }

  /**
   * Declared precision and scale make BigQuery refuse a value with more digits instead of rounding
   * it; BigQuery needs the precision to be at least the scale (and 1), which only widens.
   */
  private static TableFieldSchema parameterized(TableFieldSchema field, int precision, int scale) {
    return field
        .setPrecision((long) Math.max(Math.max(precision, scale), 1))
        .setScale((long) scale);
  }

  /**
   * How an existing table differs from the run's schema, one line per column (missing, extra, or of
   * another type or mode); empty when the run can be loaded into it. A load job with an explicit
   * schema is refused by BigQuery for any of these, so they are found before any data moves. Names
   * compare as BigQuery does, ignoring case; legacy type names are read as their standard ones.
   */
  public static List<String> drift(TableSchema existing, TableSchema wanted) {
    Map<String, TableFieldSchema> have = new HashMap<>();
    for (TableFieldSchema f : fields(existing)) {
      have.put(f.getName().toLowerCase(java.util.Locale.ROOT), f);
    }
    List<String> differences = new ArrayList<>();
    for (TableFieldSchema want : fields(wanted)) {
      TableFieldSchema got = have.remove(want.getName().toLowerCase(java.util.Locale.ROOT));
      if (got == null) {
        differences.add(
            want.getName() + ": missing from the table (the run has " + text(want) + ")");
      } else if (!text(got).equals(text(want))) {
        differences.add(
            want.getName() + ": the table has " + text(got) + ", the run has " + text(want));
      }
    }
    for (TableFieldSchema extra : have.values()) {
      differences.add(extra.getName() + ": in the table (" + text(extra) + "), not in the run");
    }
    differences.sort(null);
    return differences;
  }

  private static List<TableFieldSchema> fields(TableSchema schema) {
    return schema == null || schema.getFields() == null ? List.of() : schema.getFields();
  }

  /** {@code BIGNUMERIC(38,10)}, {@code STRING}, … with the mode when it is not NULLABLE. */
  static String text(TableFieldSchema field) {
    String type = standard(field.getType());
    if (field.getPrecision() != null) {
      type +=
          "("
              + field.getPrecision()
              + (field.getScale() == null ? "" : "," + field.getScale())
              + ")";
    }
    String mode = Objects.requireNonNullElse(field.getMode(), "NULLABLE");
    return mode.equals("NULLABLE") ? type : type + " " + mode;
  }

  private static String standard(String type) {
    switch (type) {
      case "INTEGER":
        return "INT64";
      case "FLOAT":
        return "FLOAT64";
      case "BOOLEAN":
        return "BOOL";
      case "BIGDECIMAL":
        return "BIGNUMERIC";
      default:
        return type;
    }
  }
}
