package io.lakeroute.formats;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV back in the dialect {@link CsvSink} wrote it: quotes, doubled quotes or escapes, and
 * the NULL text, which is NULL only unquoted. Records are returned one at a time.
 */
public final class CsvParser {

  private final PushbackReader in;
  private final char delimiter;
  private final char quote;
  private final int escape;
  private final String nullString;
  private final StringBuilder value = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();

  public CsvParser(Reader in, CsvOptions csv) {
    this.in = new PushbackReader(in, 1);
    this.delimiter = csv.delimiter();
    this.quote = csv.quote();
    this.escape = csv.escape() == null ? -1 : csv.escape();
    this.nullString = csv.nullString();
  }

  /** The next record's fields, NULL as null; null at the end of the file. */
  public String[] next() throws IOException {
    int c = in.read();
    if (c == -1) {
      return null;
    }
    in.unread(c);
    List<String> fields = new ArrayList<>();
    value.setLength(0);
    raw.setLength(0);
    boolean quoted = false;
    boolean inQuotes = false;
    while (true) {
      c = in.read();
      if (inQuotes) {
        if (c == -1) {
          throw new IOException("the file ends inside a quoted value");
        } else if (c == escape) {
          value.append((char) required());
        } else if (c == quote) {
          int after = in.read();
          if (escape == -1 && after == quote) {
            value.append(quote);
          } else {
            inQuotes = false;
            if (after != -1) {
              in.unread(after);
            }
          }
        } else {
          value.append((char) c);
        }
      } else if (c == escape) {
        int escaped = required();
        raw.append((char) c).append((char) escaped);
        value.append((char) escaped);
      } else if (c == quote && raw.length() == 0 && !quoted) {
        inQuotes = true;
        quoted = true;
      } else if (c == delimiter) {
        fields.add(field(quoted));
        quoted = false;
      } else if (c == '\n' || c == -1) {
        fields.add(field(quoted));
        return fields.toArray(new String[0]);
      } else if (c == '\r') {
        // Unquoted, a carriage return is only ever the first half of CRLF.
        int after = in.read();
        if (after != '\n' && after != -1) {
          throw new IOException("a carriage return outside quotes that does not end a line");
        }
        fields.add(field(quoted));
        return fields.toArray(new String[0]);
      } else {
        raw.append((char) c);
        value.append((char) c);
      }
    }
  }

  private String field(boolean quoted) {
    String result = !quoted && raw.toString().equals(nullString) ? null : value.toString();
    value.setLength(0);
    raw.setLength(0);
    return result;
  }

  private int required() throws IOException {
    int c = in.read();
    if (c == -1) {
      throw new IOException("the file ends after an escape character");
    }
    return c;
  }
}
