package io.lakeroute.pipelines;

/** Process exit codes by failure class, for orchestrators deciding whether to retry or page. */
public enum ExitCode {
  OK(0, "success"),
  FAILED(1, "unexpected failure"),
  USAGE(2, "bad option or configuration"),
  SOURCE(3, "source database: connection, credentials, query or a value that cannot be carried"),
  DELIVERY(4, "object store: destination not writable, or a file not as verified"),
  WAREHOUSE(
      5, "warehouse: dataset or table, table schema, a value it cannot hold, or a refused load"),
  DATABRICKS(6, "Databricks: connection, token, catalog or schema, table schema, or a statement"),
  RECONCILIATION(7, "row counts differ between hops; nothing was published");

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
}
