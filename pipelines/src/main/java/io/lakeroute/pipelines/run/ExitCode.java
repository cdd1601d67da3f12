package io.lakeroute.pipelines.run;

import java.util.Locale;

/**
 * Process exit codes by failure class, for orchestrators deciding whether to retry or page. Only
 * {@link #TRANSIENT} is worth an automatic retry; the others need a person or a fix first.
 */
public enum ExitCode {
  OK(0, "success"),
  FAILED(1, "unexpected failure"),
  USAGE(2, "bad option or configuration"),
  SOURCE(3, "source database: connection, credentials, query or a value that cannot be carried"),
  DELIVERY(4, "object store: destination not writable, or a file not as verified"),
  LOAD(5, "warehouse load: connection, credentials, a rejected row or a table schema"),
  DATABRICKS(6, "Databricks: connection, token, catalog or schema, table schema, or a statement"),
  RECONCILIATION(
      7, "rows or values differ between hops; the message names the hop and what was published"),
  TRANSIENT(
      75,
      "a service that answered at the start went away mid-run (connection lost or refused), or"
          + " another run of the same run id is in progress: retry later; the previous data is"
          + " intact");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The exit code a process ended with; an unknown one is an unexpected failure. */
  public static ExitCode of(int code) {
    for (ExitCode exit : values()) {
      if (exit.code == code) {
        return exit;
      }
    }
    return FAILED;
  }

  /** The name of the class in the JSON summary: {@code source}, {@code transient}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
