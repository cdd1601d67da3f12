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

  /** The last record's field count, the next record's likely one. */
  private int width = 16;

  public CsvParser(Reader in, CsvOptions csv) {
    this.in = in;
    this.delimiter = csv.delimiter();
    this.quote = csv.quote();
    this.escape = csv.escape() == null ? -1 : csv.escape();
    this.nullString = csv.nullString();
  }

  /** The next record's fields, NULL as null; null at the end of the file. */
  public String[] next() throws IOException {
    if (position == limit && !fill()) {
      return null;
    }
    List<String> fields = new ArrayList<>(width);
    value.setLength(0);
    raw.setLength(0);
    boolean quoted = false;
    boolean inQuotes = false;
    // Whether the field has unquoted characters yet: a quote opens a quoted value only first.
    boolean unquoted = false;
    // Whether raw holds the field's unquoted text: only once an escape made it differ from value.
    boolean escaped = false;
    while (true) {
      if (run(inQuotes, escaped) > 0 && !inQuotes) {
        unquoted = true;
      }
      int c = read();
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
        int next = required();
        if (!escaped) {
          raw.append(value);
          escaped = true;
        }
        raw.append((char) c).append((char) next);
        value.append((char) next);
        unquoted = true;
      } else if (c == quote && !unquoted && !quoted) {
        inQuotes = true;
        quoted = true;
      } else if (c == delimiter) {
        fields.add(field(quoted, escaped));
        quoted = false;
        unquoted = false;
        escaped = false;
      } else if (c == '\n' || c == -1) {
        return record(fields, quoted, escaped);
      } else if (c == '\r') {
        // Unquoted, a carriage return is only ever the first half of CRLF.
        int after = read();
        if (after != '\n' && after != -1) {
          throw new IOException("a carriage return outside quotes that does not end a line");
        }
        return record(fields, quoted, escaped);
      } else {
        value.append((char) c);
        if (escaped) {
          raw.append((char) c);
        }
        unquoted = true;
      }
    }
  }

  /**
   * Appends the characters from the buffer up to the next one that means something inside or
   * outside quotes, in one copy rather than one append per character; returns how many.
   */
  private int run(boolean inQuotes, boolean toRaw) {
    char[] chars = buffer;
    int end = position;
    if (inQuotes) {
      while (end < limit && chars[end] != quote && chars[end] != escape) {
        end++;
      }
    } else {
      while (end < limit) {
        char c = chars[end];
        if (c == delimiter || c == quote || c == escape || c == '\n' || c == '\r') {
          break;
        }
        end++;
      }
    }
    int count = end - position;
    if (count > 0) {
      value.append(chars, position, count);
      if (toRaw) {
        raw.append(chars, position, count);
      }
      position = end;
    }
    return count;
  }

  private String[] record(List<String> fields, boolean quoted, boolean escaped) {
    fields.add(field(quoted, escaped));
    width = fields.size();
    return fields.toArray(new String[0]);
  }

  /** The field read; NULL when unquoted and its text as written is the NULL text. */
  private String field(boolean quoted, boolean escaped) {
    String result =
        !quoted && nullString.contentEquals(escaped ? raw : value) ? null : value.toString();
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
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++];
  }

  /** Refills the buffer; false at the end. */
  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      // A reader returns 0 only for an empty request; the buffer is never empty.
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
