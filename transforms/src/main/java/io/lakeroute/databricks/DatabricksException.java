package io.lakeroute.databricks;

/**
 * The Databricks step failed: connection, token, a missing catalog or schema, a table whose schema
 * differs, or a statement the server refused. The delivered files and their manifest are intact, so
 * the step can be run again on its own.
 */
public final class DatabricksException extends RuntimeException {
  private final boolean connectionLost;

  public DatabricksException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param connectionLost the endpoint could not be reached, which is worth a retry; the cause is
   *     often left out because the driver's messages may carry the connection's secrets
   */
  public DatabricksException(String message, Throwable cause, boolean connectionLost) {
    super(message, cause);
    this.connectionLost = connectionLost;
  }

  public boolean connectionLost() {
    return connectionLost;
  }
}
