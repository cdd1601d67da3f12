package io.lakeroute.standin;

import java.util.regex.Matcher;
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
      Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

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

  /** The message after the last Java exception name on the first line. */
  static String clean(String message) {
    String first = message.strip().lines().findFirst().orElse("").strip();
    Matcher m = EXCEPTION_PREFIX.matcher(first);
    int start = 0;
    while (m.find()) {
      start = m.end();
    }
    String cleaned = first.substring(start).strip();
    if (cleaned.endsWith(";")) {
      cleaned = cleaned.substring(0, cleaned.length() - 1).strip();
    }
    return cleaned.isEmpty() ? message.strip() : cleaned;
  }
}
