package io.lakeroute.warehouse;

/**
 * The warehouse step failed: connection, credentials, a table whose columns differ from the run's,
 * or a load the warehouse rejected. The table is as it was before the step, and the delivered files
 * and their manifest are kept, so the step can be run again.
 */
public final class WarehouseException extends RuntimeException {
  public WarehouseException(String message) {
    super(message);
  }
}
