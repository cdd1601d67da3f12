package io.lakeroute.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A GoogleSQL script translated for H2 ({@link LocalBigQuery}'s query jobs), statement by
 * statement. Only what the route sends is translated: backquoted names ({@code `p.d.t`} becomes
 * {@code "p.d"."t"}: a dataset is an H2 schema named {@code project.dataset}), single-quoted
 * literals with GoogleSQL's backslash escapes, and {@code BEGIN}/{@code COMMIT}/{@code ROLLBACK
 * TRANSACTION}. Statements must start with SELECT, INSERT, DELETE or MERGE; anything else, and
 * every GoogleSQL form that H2 would read differently (double-quoted or raw strings, {@code #}
 * comments, other escapes), fails loudly rather than running as something else.
 */
final class GoogleSqlScript {
  /** One statement: a transaction control or H2 SQL. */
  record Statement(Kind kind, String h2) {}

  enum Kind {
    BEGIN,
    COMMIT,
    ROLLBACK,
    SQL
  }

  private static final Set<String> HEADS = Set.of("SELECT", "INSERT", "DELETE", "MERGE");

  private GoogleSqlScript() {}

  static List<Statement> translate(String script) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder h2 = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '`') {
        int end = script.indexOf('`', i + 1);
        while (end > 0 && script.charAt(end - 1) == '\\') {
          end = script.indexOf('`', end + 1);
        }
        if (end < 0) {
          throw refuse("an unclosed backquote", script);
        }
        h2.append(name(unescape(script.substring(i + 1, end))));
        i = end + 1;
      } else if (c == '\'') {
        int end = i + 1;
        StringBuilder value = new StringBuilder();
        while (true) {
          if (end >= n) {
            throw refuse("an unclosed string literal", script);
          }
          char d = script.charAt(end);
          if (d == '\\') {
            value.append(escape(script, end + 1));
            end += 2;
          } else if (d == '\'') {
            break;
          } else {
            value.append(d);
            end++;
          }
        }
        h2.append('\'').append(value.toString().replace("'", "''")).append('\'');
        i = end + 1;
      } else if (c == '"') {
        throw refuse("a double-quoted string (GoogleSQL's string, H2's identifier)", script);
      } else if (c == '#') {
        throw refuse("a # comment", script);
      } else if ((c == 'r' || c == 'R' || c == 'b' || c == 'B')
          && i + 1 < n
          && (script.charAt(i + 1) == '\'' || script.charAt(i + 1) == '"')
          && (i == 0 || !Character.isLetterOrDigit(script.charAt(i - 1)))) {
        throw refuse("a raw or bytes literal", script);
      } else if (c == ';') {
        add(statements, h2.toString(), script);
        h2.setLength(0);
        i++;
      } else {
        h2.append(c);
        i++;
      }
    }
    add(statements, h2.toString(), script);
    return statements;
  }

  private static void add(List<Statement> statements, String text, String script) {
    String sql = text.strip();
    if (sql.isEmpty()) {
      return;
    }
    String words = sql.replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    switch (words) {
      case "BEGIN TRANSACTION":
      case "BEGIN":
        statements.add(new Statement(Kind.BEGIN, null));
        return;
      case "COMMIT TRANSACTION":
      case "COMMIT":
        statements.add(new Statement(Kind.COMMIT, null));
        return;
      case "ROLLBACK TRANSACTION":
      case "ROLLBACK":
        statements.add(new Statement(Kind.ROLLBACK, null));
        return;
      default:
        String head = words.split(" ", 2)[0];
        if (!HEADS.contains(head)) {
          throw refuse("a statement starting with " + head, script);
        }
        statements.add(new Statement(Kind.SQL, sql));
    }
  }

  /** {@code project.dataset.table} as {@code "project.dataset"."table"}; one part as is. */
  private static String name(String path) {
    String[] parts = path.split("\\.");
    if (parts.length == 3) {
      return quote(parts[0] + "." + parts[1]) + "." + quote(parts[2]);
    }
    if (parts.length == 1) {
      return quote(path);
    }
    throw new IllegalArgumentException(
        "LocalBigQuery translates `project.dataset.table` or `name`, not `" + path + "`");
  }

  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String unescape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        out.append(escape(text, i + 1));
        i++;
      } else {
        out.append(text.charAt(i));
      }
    }
    return out.toString();
  }

  private static char escape(String text, int at) {
    if (at >= text.length()) {
      throw refuse("a trailing backslash", text);
    }
    char e = text.charAt(at);
    switch (e) {
      case '\\':
      case '\'':
      case '"':
      case '`':
        return e;
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        throw refuse("the escape \\" + e, text);
    }
  }

  private static IllegalArgumentException refuse(String what, String script) {
    return new IllegalArgumentException(
        "LocalBigQuery does not translate " + what + " from GoogleSQL to H2: " + script);
  }
}
