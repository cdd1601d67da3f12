package io.lakeroute.testing;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of a bulk-load statement, for the stand-ins that execute one: words, quoted
 * identifiers ({@code "…"} with {@code ""}, or T-SQL's {@code […]} with {@code ]]}), string
 * literals ({@code '…'} with {@code ''}, T-SQL's {@code N'…'} too), numbers and punctuation. A
 * parse error is the {@link SQLException} a server raises: {@code syntax error at or near …}.
 */
final class SqlTokens {
  enum Type {
    WORD,
    IDENTIFIER,
    STRING,
    NUMBER,
    SYMBOL
  }

  /** A token: its type, its value (unquoted), and its text as written. */
  record Token(Type type, String value, String text) {
    boolean is(String word) {
      return type == Type.WORD && value.equalsIgnoreCase(word)
          || type == Type.SYMBOL && value.equals(word);
    }
  }

  private final List<Token> tokens;
  private int next;

  private SqlTokens(List<Token> tokens) {
    this.tokens = tokens;
  }

  static SqlTokens of(String sql) throws SQLException {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\''
          || (c == 'N' || c == 'n') && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
        int open = c == '\'' ? i : i + 1;
        int end = closing(sql, open, '\'');
        tokens.add(
            new Token(
                Type.STRING,
                sql.substring(open + 1, end).replace("''", "'"),
                sql.substring(i, end + 1)));
        i = end + 1;
      } else if (c == '"' || c == '[') {
        char close = c == '"' ? '"' : ']';
        int end = closing(sql, i, close);
        String doubled = String.valueOf(close) + close;
        tokens.add(
            new Token(
                Type.IDENTIFIER,
                sql.substring(i + 1, end).replace(doubled, String.valueOf(close)),
                sql.substring(i, end + 1)));
        i = end + 1;
      } else if (Character.isDigit(c)) {
        int end = i;
        while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
          end++;
        }
        tokens.add(new Token(Type.NUMBER, sql.substring(i, end), sql.substring(i, end)));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        tokens.add(new Token(Type.WORD, sql.substring(i, end), sql.substring(i, end)));
        i = end;
      } else {
        tokens.add(new Token(Type.SYMBOL, String.valueOf(c), String.valueOf(c)));
        i++;
      }
    }
    return new SqlTokens(tokens);
  }

  /** The index of the quote that closes the one at {@code open}; a doubled quote is text. */
  private static int closing(String sql, int open, char quote) throws SQLException {
    int i = open + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    throw new SQLException(
        "unterminated quoted string at or near \"" + sql.substring(open) + "\"", "42601");
  }

  boolean atEnd() {
    return next >= tokens.size() || next == tokens.size() - 1 && tokens.get(next).is(";");
  }

  Token peek() {
    return next < tokens.size() ? tokens.get(next) : new Token(Type.SYMBOL, "", "end of input");
  }

  Token take() throws SQLException {
    if (atEnd()) {
      throw syntaxError();
    }
    return tokens.get(next++);
  }

  /** Takes the next token when it is {@code word}. */
  boolean accept(String word) {
    if (!atEnd() && peek().is(word)) {
      next++;
      return true;
    }
    return false;
  }

  void expect(String word) throws SQLException {
    if (!accept(word)) {
      throw syntaxError();
    }
  }

  String string() throws SQLException {
    return of(take(), Type.STRING);
  }

  long number() throws SQLException {
    return Long.parseLong(of(take(), Type.NUMBER));
  }

  /** An identifier, quoted or not, as written. */
  String identifierText() throws SQLException {
    Token token = take();
    if (token.type() != Type.WORD && token.type() != Type.IDENTIFIER) {
      throw syntaxError(token);
    }
    return token.text();
  }

  /** A word, upper case. */
  String word() throws SQLException {
    return of(take(), Type.WORD).toUpperCase(Locale.ROOT);
  }

  private String of(Token token, Type type) throws SQLException {
    if (token.type() != type) {
      throw syntaxError(token);
    }
    return token.value();
  }

  SQLException syntaxError() {
    return syntaxError(peek());
  }

  /** PostgreSQL's and Redshift's wording. */
  static SQLException syntaxError(Token token) {
    return new SQLException("syntax error at or near \"" + token.text() + "\"", "42601");
  }
}
