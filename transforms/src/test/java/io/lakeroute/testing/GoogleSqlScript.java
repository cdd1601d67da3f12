package io.lakeroute.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GoogleSQL script translated for H2 ({@link LocalBigQuery}'s query jobs), statement by
 * statement. Only what the route sends is translated: backquoted names ({@code `p.d.t`} becomes
 * {@code "p.d"."t"}: a dataset is an H2 schema named {@code project.dataset}), single-quoted
 * literals with GoogleSQL's backslash escapes, {@code BEGIN}/{@code COMMIT}/{@code ROLLBACK
 * TRANSACTION}, and what the fingerprint query uses (docs/fingerprints.md): GoogleSQL's functions
 * H2 lacks, as {@link GoogleSqlFunctions}, its type names in casts, a hexadecimal text cast to
 * INT64 ({@code CAST(CONCAT('0x', h) AS INT64)}), the texts of infinite FLOAT64s and {@code EXCEPT
 * DISTINCT}. Statements must start with SELECT, INSERT, DELETE or MERGE; anything else, and every
 * GoogleSQL form that H2 would read differently (double-quoted or raw strings, {@code #} comments,
 * other escapes), fails loudly rather than running as something else.
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

  /** GoogleSQL functions H2 lacks, called as {@link GoogleSqlFunctions} installs them. */
  private static final Pattern FUNCTIONS =
      Pattern.compile(
          "\\b(MD5|TO_HEX|FORMAT|FORMAT_DATE|FORMAT_TIME|UNIX_MICROS|TIMESTAMP|IS_NAN)\\s*\\(",
          Pattern.CASE_INSENSITIVE);

  /** GoogleSQL's type names in a cast, and H2's types that hold their values. */
  private static final Map<String, String> TYPES =
      Map.of(
          "INT64", "BIGINT",
          "FLOAT64", "DOUBLE PRECISION",
          "STRING", "CHARACTER VARYING",
          "BIGNUMERIC", "NUMERIC(76, 0)");

  private static final Pattern CAST_TYPES =
      Pattern.compile("\\bAS\\s+(INT64|FLOAT64|STRING|BIGNUMERIC)\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern EXCEPT_DISTINCT =
      Pattern.compile("\\bEXCEPT\\s+DISTINCT\\b", Pattern.CASE_INSENSITIVE);

  /** GoogleSQL's texts of special FLOAT64 values, and Java's (H2's). */
  private static final Map<String, String> FLOATS =
      Map.of("inf", "Infinity", "+inf", "Infinity", "-inf", "-Infinity", "nan", "NaN");

  private static final Pattern AS_FLOAT64 =
      Pattern.compile("\\s*AS\\s+FLOAT64\\b", Pattern.CASE_INSENSITIVE);

  private GoogleSqlScript() {}

  static List<Statement> translate(String script) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder h2 = new StringBuilder();
    StringBuilder code = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '`' || c == '\'' || c == ';') {
        h2.append(code(code.toString()));
        code.setLength(0);
      }
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
        i = end + 1;
        String text = value.toString();
        String hexPrefix = "CONCAT(";
        if (text.equals("0x") && h2.toString().toUpperCase(Locale.ROOT).endsWith(hexPrefix)) {
          // CAST(CONCAT('0x', h) AS INT64) reads h as hexadecimal: H2 casts no such text.
          Matcher comma = Pattern.compile("\\s*,\\s*").matcher(script).region(i, n);
          if (!comma.lookingAt()) {
            throw refuse("CONCAT('0x' without a second argument", script);
          }
          h2.setLength(h2.length() - hexPrefix.length());
          h2.append("GOOGLESQL_HEX_INT64(");
          i = comma.end();
          continue;
        }
        String special = FLOATS.get(text.toLowerCase(Locale.ROOT));
        if (special != null && AS_FLOAT64.matcher(script).region(i, n).lookingAt()) {
          text = special;
        }
        h2.append('\'').append(text.replace("'", "''")).append('\'');
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
        code.append(c);
        i++;
      }
    }
    h2.append(code(code.toString()));
    add(statements, h2.toString(), script);
    return statements;
  }

  /** Code outside names and literals: GoogleSQL's functions and cast types in H2's terms. */
  private static String code(String code) {
    String h2 =
        FUNCTIONS
            .matcher(code)
            .replaceAll(m -> "GOOGLESQL_" + m.group(1).toUpperCase(Locale.ROOT) + "(");
    // H2's EXCEPT is distinct by itself, and takes no DISTINCT.
    h2 = EXCEPT_DISTINCT.matcher(h2).replaceAll("EXCEPT");
    return CAST_TYPES
        .matcher(h2)
        .replaceAll(m -> "AS " + TYPES.get(m.group(1).toUpperCase(Locale.ROOT)));
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
