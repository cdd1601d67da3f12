package io.lakeroute.bigquery;

/**
 * The BigQuery step failed: the dataset or table is not as needed, a load job was refused, or a
 * value has no exact BigQuery equivalent. The message names the table, column or job and what to
 * do; it never holds credentials.
 */
public final class BigQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BigQueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
