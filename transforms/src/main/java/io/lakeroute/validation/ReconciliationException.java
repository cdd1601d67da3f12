package io.lakeroute.validation;

/** The rows at one hop differ from the rows the query returned. */
public final class ReconciliationException extends RuntimeException {
  public ReconciliationException(String message) {
    super(message);
  }
}
