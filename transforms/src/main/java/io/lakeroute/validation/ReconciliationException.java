package io.lakeroute.validation;

/** The rows at one hop differ from the rows the query returned. */
public final class ReconciliationException extends RuntimeException {
  /** Where the difference was found. */
  public enum Hop {
    /** The source database's own values against the rows read from it. */
    SOURCE,
    /** The published files. */
    FILES,
    /** The warehouse table. */
    WAREHOUSE,
    /** What Databricks sees. */
    DATABRICKS
  }

  private final Hop hop;

  public ReconciliationException(Hop hop, String message) {
    super(message);
    this.hop = hop;
  }

  public Hop hop() {
    return hop;
  }
}
