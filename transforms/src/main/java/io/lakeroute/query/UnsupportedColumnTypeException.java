package io.lakeroute.query;

/** A column whose type lakeroute cannot carry exactly; raised before any data moves. */
public final class UnsupportedColumnTypeException extends IllegalArgumentException {
  private final String column;
  private final String sqlType;

  public UnsupportedColumnTypeException(String column, String sqlType, String advice) {
    super(
        "Column '"
            + column
            + "' has type "
            + sqlType
            + ", which lakeroute cannot carry: "
            + advice);
    this.column = column;
    this.sqlType = sqlType;
  }

  public String column() {
    return column;
  }

  public String sqlType() {
    return sqlType;
  }
}
