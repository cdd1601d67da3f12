package io.lakeroute.query;

import java.sql.SQLException;

/**
 * The source refused the connection, the credentials or the query while planning. The message says
 * which, names what to fix and never contains the password.
 */
public final class SourceException extends RuntimeException {
  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }

  /** One sentence for a driver error, by its SQLSTATE class. */
  static String describe(SQLException error, String redactedUrl) {
    SQLException root = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
        root = (SQLException) t;
        break;
      }
    }
    String state = root.getSQLState() == null ? "" : root.getSQLState();
    String detail = root.getMessage();
    if (state.startsWith("28")) {
      return "The source at "
          + redactedUrl
          + " rejected the credentials: check the user and the password. Driver said: "
          + detail;
    }
    if (state.startsWith("08")) {
      return "Cannot connect to the source at "
          + redactedUrl
          + ": check host, port and database in the JDBC URL and that the server is up. Driver"
          + " said: "
          + detail;
    }
    if (state.startsWith("3D")) {
      return "The database in the JDBC URL "
          + redactedUrl
          + " does not exist. Driver said: "
          + detail;
    }
    if (state.startsWith("42")) {
      return "The source rejected the query: " + detail;
    }
    return "The source at " + redactedUrl + " failed: " + detail + " (SQLSTATE " + state + ")";
  }
}
