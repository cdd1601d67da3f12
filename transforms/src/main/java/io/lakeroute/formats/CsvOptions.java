package io.lakeroute.formats;

import java.io.Serializable;
import java.util.Locale;

/**
 * How CSV is written: header, delimiter, quote and escape characters, quote mode, the text of NULL
 * and the line ending. Immutable; every {@code withX} validates its argument and its message names
 * the {@code withX} at fault.
 */
public final class CsvOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** When values are enclosed in quote characters. */
  public enum QuoteMode {
    /** Every non-NULL value. */
    ALL,
    /**
     * Only values that need it: holding the delimiter, the quote, CR or LF, empty, or equal to the
     * NULL text.
     */
    MINIMAL,
    /** Never; the delimiter, quote, CR, LF and escape character are escaped instead. */
    NONE
  }

  private final boolean header;
  private final char delimiter;
  private final char quote;
  private final Character escape;
  private final QuoteMode quoteMode;
  private final String nullString;
  private final String lineEnding;

  private CsvOptions(
      boolean header,
      char delimiter,
      char quote,
      Character escape,
      QuoteMode quoteMode,
      String nullString,
      String lineEnding) {
    this.header = header;
    this.delimiter = delimiter;
    this.quote = quote;
    this.escape = escape;
    this.quoteMode = quoteMode;
    this.nullString = nullString;
    this.lineEnding = lineEnding;
  }

  /**
   * RFC 4180: header, comma, double quote doubled inside values, minimal quoting, LF, NULL as "".
   */
  public static CsvOptions defaults() {
    return new CsvOptions(true, ',', '"', null, QuoteMode.MINIMAL, "", "\n");
  }

  public CsvOptions withHeader(boolean header) {
    return new CsvOptions(header, delimiter, quote, escape, quoteMode, nullString, lineEnding);
  }

  public CsvOptions withDelimiter(String value) {
    char c = singleChar(value, "The delimiter (CsvOptions.withDelimiter)");
    if (c == '\r' || c == '\n') {
      throw new IllegalArgumentException(
          "The delimiter (CsvOptions.withDelimiter) cannot be a line break");
    }
    return new CsvOptions(header, c, quote, escape, quoteMode, nullString, lineEnding).checked();
  }

  public CsvOptions withQuote(String value) {
    return new CsvOptions(
            header,
            delimiter,
            singleChar(value, "The quote (CsvOptions.withQuote)"),
            escape,
            quoteMode,
            nullString,
            lineEnding)
        .checked();
  }

  /** The escape character, or null/empty for none (quotes inside quoted values are doubled). */
  public CsvOptions withEscape(String value) {
    Character c =
        value == null || value.isEmpty()
            ? null
            : singleChar(value, "The escape character (CsvOptions.withEscape)");
    return new CsvOptions(header, delimiter, quote, c, quoteMode, nullString, lineEnding).checked();
  }

  public CsvOptions withQuoteMode(String value) {
    QuoteMode mode;
    try {
      mode = QuoteMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "CsvOptions.withQuoteMode(" + value + ") is not valid: use all, minimal or none");
    }
    return new CsvOptions(header, delimiter, quote, escape, mode, nullString, lineEnding).checked();
  }

  public CsvOptions withNullString(String value) {
    if (value == null) {
      throw new IllegalArgumentException(
          "The NULL text (CsvOptions.withNullString) cannot be null; use \"\" for empty");
    }
    return new CsvOptions(header, delimiter, quote, escape, quoteMode, value, lineEnding).checked();
  }

  /** {@code LF} or {@code CRLF}. */
  public CsvOptions withLineEnding(String value) {
    String ending;
    switch (value == null ? "" : value.strip().toUpperCase(Locale.ROOT)) {
      case "LF":
        ending = "\n";
        break;
      case "CRLF":
        ending = "\r\n";
        break;
      default:
        throw new IllegalArgumentException(
            "CsvOptions.withLineEnding(" + value + ") is not valid: use LF or CRLF");
    }
    return new CsvOptions(header, delimiter, quote, escape, quoteMode, nullString, ending);
  }

  private CsvOptions checked() {
    if (delimiter == quote) {
      throw new IllegalArgumentException(
          "The delimiter (CsvOptions.withDelimiter) and the quote (CsvOptions.withQuote) must"
              + " differ");
    }
    if (escape != null && escape == delimiter) {
      throw new IllegalArgumentException(
          "The escape character (CsvOptions.withEscape) must differ from the delimiter"
              + " (CsvOptions.withDelimiter)");
    }
    if (quoteMode == QuoteMode.NONE && (escape == null || escape == quote)) {
      throw new IllegalArgumentException(
          "Quote mode none (CsvOptions.withQuoteMode) needs an escape character"
              + " (CsvOptions.withEscape), e.g. \\\\, so that delimiters, quotes and line breaks"
              + " inside values can be escaped");
    }
    if (nullString.indexOf(delimiter) >= 0
        || nullString.indexOf(quote) >= 0
        || nullString.indexOf('\n') >= 0
        || nullString.indexOf('\r') >= 0) {
      // NULL is written unquoted: a quote in it would open a quoted value.
      throw new IllegalArgumentException(
          "The NULL text (CsvOptions.withNullString) cannot contain the delimiter, the quote or a"
              + " line break");
    }
    return this;
  }

  private static char singleChar(String value, String setting) {
    if (value == null || value.length() != 1) {
      throw new IllegalArgumentException(
          setting + " must be exactly one character, got '" + value + "'");
    }
    return value.charAt(0);
  }

  public boolean header() {
    return header;
  }

  public char delimiter() {
    return delimiter;
  }

  public char quote() {
    return quote;
  }

  /** The escape character, or null when quotes inside quoted values are doubled. */
  public Character escape() {
    return escape == null || escape == quote ? null : escape;
  }

  public QuoteMode quoteMode() {
    return quoteMode;
  }

  public String nullString() {
    return nullString;
  }

  public String lineEnding() {
    return lineEnding;
  }

  @Override
  public String toString() {
    return "CsvOptions{header="
        + header
        + ", delimiter="
        + delimiter
        + ", quote="
        + quote
        + ", escape="
        + escape
        + ", quoteMode="
        + quoteMode
        + ", null='"
        + nullString
        + "', lineEnding="
        + (lineEnding.equals("\n") ? "LF" : "CRLF")
        + "}";
  }
}
