package io.lakeroute.standin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds the Databricks driver's native statement parameters into the statement text.
 *
 * <p>A Databricks warehouse binds {@code ?} and {@code :name} markers on the server; Spark's Thrift
 * server has no binding at all and would run the text with the markers left in. The adapter
 * therefore replaces each marker by a typed literal, {@code CAST('<value>' AS <type>)}, the meaning
 * the warehouse gives it. Markers inside string literals, quoted identifiers and comments are left
 * alone, as are {@code :name}s that name no parameter (Databricks' {@code col:field} JSON paths
 * look the same).
 */
final class ParameterBinder {
  /** TExecuteStatementReq field ids (Databricks' TCLIService). */
  private static final int STATEMENT = 2;

  private static final int PARAMETERS = 0x508;

  private ParameterBinder() {}

  record Parameter(Integer ordinal, String name, String type, Object value) {}

  /** Rewrites the statement of an ExecuteStatement request that carries parameters. */
  static void bind(ThriftStruct request) {
    ThriftStruct.ThriftList list = request.list(PARAMETERS);
    if (list == null) {
      return;
    }
    request.remove(PARAMETERS);
    if (list.elements().isEmpty()) {
      return;
    }
    List<Parameter> parameters = new ArrayList<>();
    for (Object element : list.elements()) {
      ThriftStruct p = (ThriftStruct) element;
      ThriftStruct value = p.struct(4);
      Object v = null;
      if (value != null) {
        if (value.has(1)) {
          v = value.string(1);
        } else if (value.has(2)) {
          v = value.get(2);
        } else if (value.has(3)) {
          v = value.get(3);
        }
      }
      parameters.add(new Parameter(p.i32(1), p.string(2), p.string(3), v));
    }
    request.putString(STATEMENT, bind(request.string(STATEMENT), parameters));
  }

  static String bind(String sql, List<Parameter> parameters) {
    Map<Integer, Parameter> byOrdinal = new HashMap<>();
    Map<String, Parameter> byName = new HashMap<>();
    int next = 1;
    for (Parameter p : parameters) {
      if (p.name() != null && !p.name().isEmpty()) {
        byName.put(p.name().toLowerCase(Locale.ROOT), p);
      } else {
        byOrdinal.put(p.ordinal() != null ? p.ordinal() : next, p);
      }
      next++;
    }
    StringBuilder out = new StringBuilder(sql.length() + 32 * parameters.size());
    int position = 1;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = endOfQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '?' && byOrdinal.containsKey(position)) {
        out.append(literal(byOrdinal.get(position++)));
        i++;
      } else if (c == ':'
          && i + 1 < n
          && Character.isJavaIdentifierStart(sql.charAt(i + 1))
          && (i == 0 || sql.charAt(i - 1) != ':')) {
        int end = i + 1;
        while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        Parameter p = byName.get(sql.substring(i + 1, end).toLowerCase(Locale.ROOT));
        out.append(p == null ? sql.substring(i, end) : literal(p));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Index just past a quoted run; Spark reads a backslash in it as an escape. */
  private static int endOfQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  static String literal(Parameter p) {
    String type = p.type() == null ? "STRING" : p.type().trim().toUpperCase(Locale.ROOT);
    boolean untyped = type.equals("NULL") || type.equals("VOID");
    if (p.value() == null) {
      return untyped ? "NULL" : "CAST(NULL AS " + type + ")";
    }
    String text;
    if (p.value() instanceof Boolean b) {
      text = b ? "TRUE" : "FALSE";
    } else if (p.value() instanceof Double d) {
      text = "'" + d + "'";
    } else {
      text = quote(p.value().toString());
    }
    return untyped || type.equals("STRING") ? text : "CAST(" + text + " AS " + type + ")";
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '\'') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }
}
