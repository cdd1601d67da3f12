package io.lakeroute.formats;

import io.lakeroute.formats.CsvOptions.QuoteMode;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Writes Beam rows as CSV in UTF-8 under {@link CsvOptions}: values holding the delimiter, the
 * quote or a line break are quoted (or escaped with quote mode none), NULL is written as the NULL
 * text unquoted and an empty string, when it would read as NULL, is quoted. Values are rendered by
 * {@link ValueText}. Whole-file compression is FileIO's ({@code withCompression}).
 *
 * <pre>{@code
 * rows.apply(FileIO.<Row>write().via(new CsvSink(schema, CsvOptions.defaults())).to(dir));
 * }</pre>
 */
public final class CsvSink implements FileIO.Sink<Row> {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final CsvOptions options;
  private transient Kind[] kinds;
  private transient Writer out;
  private transient StringBuilder line;

  public CsvSink(Schema schema, CsvOptions options) {
    this.schema = schema;
    this.options = options;
    if (options.quoteMode() == QuoteMode.NONE && !noValueSpells(options)) {
      // Checked here, not in CsvOptions, so that its withX calls can come in any order.
      throw new IllegalArgumentException(
          "Quote mode none (CsvOptions.withQuoteMode) cannot quote a value equal to the NULL"
              + " text '"
              + options.nullString()
              + "' (CsvOptions.withNullString), so NULL and that value would be written alike:"
              + " use a NULL text made of the escape character (CsvOptions.withEscape) and a"
              + " letter, e.g. \\N");
    }
  }

  /**
   * Unquoted, a value's escape character is always doubled or followed by a delimiter, quote or
   * line break, so an escape followed by anything else is a NULL text no value can spell.
   */
  private static boolean noValueSpells(CsvOptions options) {
    String nullString = options.nullString();
    Character escape = options.escape();
    return escape != null
        && nullString.length() >= 2
        && nullString.charAt(0) == escape
        && nullString.charAt(1) != escape
        && nullString.charAt(1) != options.quote();
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    List<Schema.Field> fields = schema.getFields();
    kinds = new Kind[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = SqlTypeMapping.kindOf(fields.get(i).getType());
    }
    out =
        new BufferedWriter(
            new OutputStreamWriter(new ChannelOutput(channel), StandardCharsets.UTF_8), 1 << 16);
    line = new StringBuilder(256);
    if (options.header()) {
      for (int i = 0; i < kinds.length; i++) {
        if (i > 0) {
          line.append(options.delimiter());
        }
        appendText(fields.get(i).getName());
      }
      endLine();
    }
  }

  @Override
  public void write(Row row) throws IOException {
    for (int i = 0; i < kinds.length; i++) {
      if (i > 0) {
        line.append(options.delimiter());
      }
      Object value = row.getValue(i);
      if (value == null) {
        line.append(options.nullString());
      } else if (kinds[i] == Kind.STRING) {
        appendText((String) value);
      } else {
        // Numbers, dates and base64 never hold a delimiter, quote or line break of their own.
        String text = ValueText.format(kinds[i], value);
        if (options.quoteMode() == QuoteMode.ALL || needsQuotes(text)) {
          appendText(text);
        } else {
          line.append(text);
        }
      }
    }
    endLine();
  }

  private void endLine() throws IOException {
    line.append(options.lineEnding());
    out.append(line);
    line.setLength(0);
  }

  private void appendText(String value) {
    QuoteMode mode = options.quoteMode();
    if (mode == QuoteMode.NONE) {
      appendEscaped(value);
    } else if (mode == QuoteMode.ALL || needsQuotes(value)) {
      char quote = options.quote();
      line.append(quote);
      appendEscaped(value);
      line.append(quote);
    } else {
      line.append(value);
    }
  }

  private boolean needsQuotes(String value) {
    if (value.isEmpty() || value.equals(options.nullString())) {
      return true;
    }
    Character escape = options.escape();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == options.delimiter()
          || c == options.quote()
          || c == '\n'
          || c == '\r'
          || (escape != null && c == escape)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Inside quotes the quote is doubled (or escaped); with quote mode none the delimiter and line
   * breaks are escaped too, so that a record always ends at an unescaped line break.
   */
  private void appendEscaped(String value) {
    Character escape = options.escape();
    char quote = options.quote();
    boolean unquoted = options.quoteMode() == QuoteMode.NONE;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (escape != null
          && (c == escape
              || c == quote
              || (unquoted && (c == options.delimiter() || c == '\n' || c == '\r')))) {
        line.append(escape).append(c);
      } else if (escape == null && c == quote) {
        line.append(quote).append(quote);
      } else {
        line.append(c);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }
}
