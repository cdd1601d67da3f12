package io.lakeroute.query;

import java.io.IOException;

/** Reading the source failed: connection, credentials, SQL or a value that cannot be carried. */
public final class SourceReadException extends IOException {
  public SourceReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
