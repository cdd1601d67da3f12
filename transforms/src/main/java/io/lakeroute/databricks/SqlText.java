package io.lakeroute.databricks;

import java.util.regex.Pattern;

/**
 * Quoting for generated Databricks SQL: identifiers in backticks (a backtick inside doubled),
 * string literals in single quotes with backslash and quote escaped, as Databricks and Spark SQL
 * both read them. Nothing a user names can end a literal or an identifier early.
 */
public final class SqlText {
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}]");

  private SqlText() {}

  /** {@code `name`}, for a validated identifier. */
  public static String identifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** {@code 'text'} with {@code \} and {@code '} escaped; control characters are refused. */
  public static String literal(String text) {
    if (CONTROL.matcher(text).find()) {
      throw new IllegalArgumentException(
          "A value for generated SQL holds a control character: "
              + text.replaceAll("\\p{Cntrl}", "?"));
    }
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Checks an identifier a user gave; {@code what} says which, with its setting. */
  static String checkIdentifier(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    if (name.length() > 255 || CONTROL.matcher(name).find() || name.contains(".")) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name.replaceAll("\\p{Cntrl}", "?")
              + "' is not a valid name: at most 255 characters, no dots or control characters");
    }
    return name;
  }
}
