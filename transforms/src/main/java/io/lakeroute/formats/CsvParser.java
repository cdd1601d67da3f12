package io.lakeroute.formats;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV back in the dialect {@link CsvSink} wrote it: quotes, doubled quotes or escapes, and
 * the NULL text, which is NULL only unquoted. Records are returned one at a time.
 *
 * <p>It buffers {@code in} itself: a {@code BufferedReader} or {@code PushbackReader} takes a lock
 * per character, which made reading a file back cost more than writing it.
 */
public final class CsvParser {

  private final Reader in;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private final char delimiter;
  private final char quote;
  private final int escape;
  private final String nullString;
  private final StringBuilder value = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();

  public CsvParser(Reader in, CsvOptions csv) {
    this.in = in;
    this.delimiter = csv.delimiter();
    this.quote = csv.quote();
    this.escape = csv.escape() == null ? -1 : csv.escape();
    this.nullString = csv.nullString();
  }

  /** The next record's fields, NULL as null; null at the end of the file. */
  public String[] next() throws IOException {
    int c = read();
    if (c == -1) {
      return null;
    }
    position--;
    List<String> fields = new ArrayList<>();
    value.setLength(0);
    raw.setLength(0);
    boolean quoted = false;
    boolean inQuotes = false;
    while (true) {
      c = read();
      if (inQuotes) {
        if (c == -1) {
          throw new IOException("the file ends inside a quoted value");
        } else if (c == escape) {
          value.append((char) required());
        } else if (c == quote) {
          int after = read();
          if (escape == -1 && after == quote) {
            value.append(quote);
          } else {
            inQuotes = false;
            if (after != -1) {
              position--;
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
        int after = read();
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
    int c = read();
    if (c == -1) {
      throw new IOException("the file ends after an escape character");
    }
    return c;
  }

  /** The next character, or -1 at the end. */
  private int read() throws IOException {
    if (position == limit) {
      int n = in.read(buffer, 0, buffer.length);
      if (n <= 0) {
        // A reader returns 0 only for an empty request; the buffer is never empty.
        return -1;
      }
      position = 0;
      limit = n;
    }
    return buffer[position++];
  }
}
