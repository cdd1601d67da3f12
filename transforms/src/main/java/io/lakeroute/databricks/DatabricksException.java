package io.lakeroute.databricks;

/**
 * The Databricks step failed: connection, token, a missing catalog or schema, a table whose schema
 * differs, or a statement the server refused. The delivered files and their manifest are intact, so
 * the step can be run again on its own.
 */
public final class DatabricksException extends RuntimeException {
  public DatabricksException(String message, Throwable cause) {
    super(message, cause);
  }
}
