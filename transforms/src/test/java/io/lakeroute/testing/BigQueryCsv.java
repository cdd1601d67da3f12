package io.lakeroute.testing;

import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.TableFieldSchema;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BigQuery's CSV rules, as a load job applies them to one source object ({@link LocalBigQuery}'s
 * load jobs): records end at LF, CRLF or CR outside quotes; a field that starts with the quote
 * character is quoted, a doubled quote inside it is one quote, and only a delimiter or the end of
 * the record may follow its closing quote; a line break inside quotes needs {@code
 * allowQuotedNewlines}; the first {@code skipLeadingRows} records are skipped; a record must have
 * exactly the schema's fields. A field equal to the null marker is NULL, quoted or not (BigQuery's
 * documentation makes no exception for quoted ones), except that with the default empty marker a
 * quoted empty field is an empty STRING or BYTES. Values are parsed by type as BigQuery's loader
 * does; a value it refuses fails the whole load with its kind of message.
 */
final class BigQueryCsv {
  /** A load error, with BigQuery's wording. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern FLOAT_WORD =
      Pattern.compile("[+-]?(inf|infinity)|nan", Pattern.CASE_INSENSITIVE);
  private static final String DATE = "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})";
  private static final String TIME = "([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,6}))?";
  private static final Pattern DATE_ONLY = Pattern.compile(DATE);
  private static final Pattern TIME_ONLY = Pattern.compile(TIME);
  private static final Pattern DATETIME = Pattern.compile(DATE + "[T ]" + TIME);
  private static final Pattern TIMESTAMP =
      Pattern.compile(DATE + "[T ]" + TIME + " ?(Z|UTC|[+-][0-9]{2}(?::?[0-9]{2})?)?");

  private final JobConfigurationLoad load;
  private final List<TableFieldSchema> fields;
  private final char delimiter;
  private final char quote;
  private final String nullMarker;

  BigQueryCsv(JobConfigurationLoad load, List<TableFieldSchema> fields) throws Refused {
    this.load = load;
    this.fields = fields;
    String d = load.getFieldDelimiter() == null ? "," : load.getFieldDelimiter();
    this.delimiter = d.equals("\\t") || d.equals("tab") ? '\t' : single(d, "fieldDelimiter");
    this.quote = load.getQuote() == null ? '"' : single(load.getQuote(), "quote");
    this.nullMarker = load.getNullMarker() == null ? "" : load.getNullMarker();
  }

  private static char single(String value, String option) throws Refused {
    if (value.length() != 1) {
      throw new Refused(
          "LocalBigQuery models a one-character " + option + " only, not '" + value + "'");
    }
    return value.charAt(0);
  }

  /** The charset of the load's {@code encoding}. */
  static Charset charset(JobConfigurationLoad load) throws Refused {
    String encoding = load.getEncoding() == null ? "UTF-8" : load.getEncoding();
    switch (encoding.toUpperCase(Locale.ROOT)) {
      case "UTF-8":
        return StandardCharsets.UTF_8;
      case "ISO-8859-1":
        return StandardCharsets.ISO_8859_1;
      default:
        throw new Refused("Invalid value for encoding: " + encoding);
    }
  }

  /** The rows of one object's text, each value typed for its column (null: NULL). */
  List<Object[]> rows(String uri, String text) throws Refused {
    List<Object[]> rows = new ArrayList<>();
    int skip = load.getSkipLeadingRows() == null ? 0 : load.getSkipLeadingRows();
    boolean quotedNewlines = Boolean.TRUE.equals(load.getAllowQuotedNewlines());
    int at = 0;
    int n = text.length();
    while (at < n) {
      int start = at;
      List<String> values = new ArrayList<>();
      List<Boolean> quoted = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean inQuotes = false;
      boolean wasQuoted = false;
      boolean afterClose = false;
      boolean recordEnd = false;
      while (at < n && !recordEnd) {
        char c = text.charAt(at++);
        if (inQuotes) {
          if (c == quote) {
            if (at < n && text.charAt(at) == quote) {
              field.append(quote);
              at++;
            } else {
              inQuotes = false;
              afterClose = true;
            }
          } else {
            if ((c == '\n' || c == '\r') && !quotedNewlines) {
              throw new Refused(
                  "Error while reading data, error message: Error detected while parsing row"
                      + " starting at position: "
                      + start
                      + ". Error: Missing close double quote (\") character. File: "
                      + uri);
            }
            field.append(c);
          }
        } else if (c == delimiter || c == '\n' || c == '\r') {
          values.add(field.toString());
          quoted.add(wasQuoted);
          field.setLength(0);
          wasQuoted = false;
          afterClose = false;
          if (c != delimiter) {
            recordEnd = true;
            if (c == '\r' && at < n && text.charAt(at) == '\n') {
              at++;
            }
          }
        } else if (afterClose) {
          throw new Refused(
              "Error while reading data, error message: Error detected while parsing row starting"
                  + " at position: "
                  + start
                  + ". Error: Data between close double quote (\") and field separator. File: "
                  + uri);
        } else if (c == quote && field.length() == 0 && !wasQuoted) {
          inQuotes = true;
          wasQuoted = true;
        } else {
          field.append(c);
        }
      }
      if (inQuotes) {
        throw new Refused(
            "Error while reading data, error message: Error detected while parsing row starting at"
                + " position: "
                + start
                + ". Error: Missing close double quote (\") character. File: "
                + uri);
      }
      if (!recordEnd) {
        values.add(field.toString());
        quoted.add(wasQuoted);
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      rows.add(row(uri, start, values, quoted));
    }
    return rows;
  }

  private Object[] row(String uri, int start, List<String> values, List<Boolean> quoted)
      throws Refused {
    if (values.size() != fields.size()) {
      throw new Refused(
          "Error while reading data, error message: "
              + (values.size() > fields.size() ? "Too many" : "Too few")
              + " columns: expected "
              + fields.size()
              + " column(s) but got "
              + values.size()
              + " column(s). For additional help: http://goo.gl/RWuPQ File: "
              + uri
              + " row starting at position: "
              + start);
    }
    Object[] row = new Object[fields.size()];
    for (int i = 0; i < row.length; i++) {
      TableFieldSchema field = fields.get(i);
      String text = values.get(i);
      String type = standard(field.getType());
      boolean emptyValue = text.isEmpty() && (type.equals("STRING") || type.equals("BYTES"));
      if (text.equals(nullMarker) && !(nullMarker.isEmpty() && quoted.get(i))) {
        row[i] = null;
      } else if (text.isEmpty() && !emptyValue) {
        throw couldNotParse(uri, start, text, type, field, i);
      } else {
        try {
          row[i] = value(type, field, text);
        } catch (RuntimeException e) {
          throw couldNotParse(uri, start, text, type, field, i);
        }
      }
      if (row[i] == null && "REQUIRED".equals(field.getMode())) {
        throw new Refused(
            "Error while reading data, error message: Required field "
                + field.getName()
                + " cannot be null; File: "
                + uri);
      }
    }
    return row;
  }

  private static Refused couldNotParse(
      String uri, int start, String text, String type, TableFieldSchema field, int position) {
    return new Refused(
        "Error while reading data, error message: Could not parse '"
            + text
            + "' as "
            + type
            + " for field "
            + field.getName()
            + " (position "
            + position
            + ") starting at location "
            + start
            + " File: "
            + uri);
  }

  /** The standard SQL name of a (possibly legacy) type name. */
  static String standard(String type) {
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

  private static Object value(String type, TableFieldSchema field, String text) {
    switch (type) {
      case "STRING":
        return text;
      case "INT64":
        require(INTEGER, text);
        return Long.parseLong(text);
      case "FLOAT64":
        if (FLOAT_WORD.matcher(text).matches()) {
          String word = text.toLowerCase(Locale.ROOT);
          return word.equals("nan")
              ? Double.NaN
              : word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        require(DECIMAL, text);
        return Double.parseDouble(text);
      case "NUMERIC":
      case "BIGNUMERIC":
        return decimal(type, field, text);
      case "BOOL":
        return bool(text);
      case "BYTES":
        return Base64.getDecoder().decode(text);
      case "DATE":
        return date(require(DATE_ONLY, text), 0);
      case "TIME":
        return time(require(TIME_ONLY, text), 0);
      case "DATETIME":
        {
          Matcher m = require(DATETIME, text);
          return LocalDateTime.of(date(m, 0), time(m, 3));
        }
      case "TIMESTAMP":
        {
          Matcher m = require(TIMESTAMP, text);
          String zone = m.group(8);
          ZoneOffset offset =
              zone == null || zone.equals("Z") || zone.equals("UTC")
                  ? ZoneOffset.UTC
                  : ZoneOffset.of(zone.length() == 3 ? zone + ":00" : zone);
          return OffsetDateTime.of(LocalDateTime.of(date(m, 0), time(m, 3)), offset)
              .withOffsetSameInstant(ZoneOffset.UTC);
        }
      default:
        throw new IllegalStateException("LocalBigQuery does not model type " + type);
    }
  }

  private static Matcher require(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(text);
    }
    return m;
  }

  /** Years 1 to 9999 of the proleptic Gregorian calendar, as BigQuery's DATE. */
  private static LocalDate date(Matcher m, int group) {
    int year = Integer.parseInt(m.group(group + 1));
    if (year < 1) {
      throw new IllegalArgumentException("year " + year);
    }
    return LocalDate.of(
        year, Integer.parseInt(m.group(group + 2)), Integer.parseInt(m.group(group + 3)));
  }

  private static LocalTime time(Matcher m, int group) {
    String fraction = m.group(group + 4) == null ? "" : m.group(group + 4);
    int micros = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000").substring(0, 6));
    return LocalTime.of(
        Integer.parseInt(m.group(group + 1)),
        Integer.parseInt(m.group(group + 2)),
        Integer.parseInt(m.group(group + 3)),
        micros * 1000);
  }

  private static Boolean bool(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true":
      case "t":
      case "yes":
      case "y":
      case "1":
        return true;
      case "false":
      case "f":
      case "no":
      case "n":
      case "0":
        return false;
      default:
        throw new IllegalArgumentException(text);
    }
  }

  /**
   * A decimal within the column's declared precision and scale, or within the type's own (NUMERIC:
   * 29 integer digits and 9 decimals; BIGNUMERIC: 38 and 38). More decimals than the scale are
   * refused, not rounded, as the route relies on (see BigQuerySchema).
   */
  private static BigDecimal decimal(String type, TableFieldSchema field, String text) {
    require(DECIMAL, text);
    BigDecimal value = new BigDecimal(text);
    boolean numeric = type.equals("NUMERIC");
    int scale = field.getScale() != null ? field.getScale().intValue() : numeric ? 9 : 38;
    int integerDigits =
        field.getPrecision() != null ? field.getPrecision().intValue() - scale : numeric ? 29 : 38;
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > scale || stripped.precision() - stripped.scale() > integerDigits) {
      throw new IllegalArgumentException(text);
    }
    return value.setScale(scale);
  }
}
