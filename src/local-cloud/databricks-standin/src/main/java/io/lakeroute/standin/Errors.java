package io.lakeroute.standin;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Puts Spark's error messages where the Databricks driver looks for them, in the form a warehouse
 * gives them.
 *
 * <p>The driver builds its {@code SQLException} from the {@code TStatus} of a reply. Hive reports a
 * failed statement in {@code GetOperationStatus} with a successful status and the error in fields
 * of its own, so the driver would say "no error details from server". Hive's text is also the whole
 * Java exception chain ("HiveSQLException: Error running query: … AnalysisException: …" and the
 * plan), where a warehouse gives the error class and message only.
 */
final class Errors {
  private static final int STATE_ERROR = 5;

  /** Java exception prefixes such as {@code org.apache.spark.sql.AnalysisException: }. */
  private static final Pattern EXCEPTION_PREFIX =
      Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ?");

  private static final Pattern BARE_ERROR_CLASS = Pattern.compile("\\[[A-Z0-9_.]+\\]");
  private static final Pattern DOUBLED_ERROR_CLASS = Pattern.compile("^(\\[[A-Z0-9_.]+\\]) \\1 ");

  private Errors() {}

  static void clarify(String method, ThriftStruct response) {
    ThriftStruct status = response.struct(1);
    if (status == null) {
      return;
    }
    String statusMessage = status.string(5);
    if (statusMessage != null) {
      status.putString(5, clean(statusMessage));
    }
    if (method.equals("GetOperationStatus")
        && Integer.valueOf(STATE_ERROR).equals(response.i32(2))) {
      String message = response.string(5);
      String cleaned = clean(message == null ? "the statement failed" : message);
      response.putString(5, cleaned);
      status.putString(5, cleaned);
      String sqlState = response.string(3);
      if (sqlState != null) {
        status.putString(3, sqlState);
      }
      Integer errorCode = response.i32(4);
      if (errorCode != null) {
        status.putI32(4, errorCode);
      }
    }
  }

  /**
   * The error class and message, without Hive's wrapping, the Java exception names, the plan and
   * the stack trace: {@code [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column … line 1 pos 7}.
   */
  static String clean(String message) {
    String text = message;
    for (String end : List.of("\n\tat ", "\nCaused by: ")) {
      int cut = text.indexOf(end);
      if (cut >= 0) {
        text = text.substring(0, cut);
      }
    }
    text = EXCEPTION_PREFIX.matcher(text).replaceAll("").replace("Error running query: ", "");
    String errorClass = null;
    for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      if (BARE_ERROR_CLASS.matcher(line).matches()) {
        // Spark puts the class before the exception's own text, which may start on a new line.
        errorClass = errorClass == null ? line : errorClass;
        continue;
      }
      line = DOUBLED_ERROR_CLASS.matcher(line).replaceFirst("$1 ");
      if (errorClass != null && !line.startsWith(errorClass)) {
        line = errorClass + " " + line;
      }
      return line.endsWith(";") ? line.substring(0, line.length() - 1).strip() : line;
    }
    return errorClass != null ? errorClass : message.strip();
  }
}
