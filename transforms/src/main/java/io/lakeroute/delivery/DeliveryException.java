package io.lakeroute.delivery;

/** The destination cannot be written, or a published file is not what was verified. */
public final class DeliveryException extends RuntimeException {
  public DeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
