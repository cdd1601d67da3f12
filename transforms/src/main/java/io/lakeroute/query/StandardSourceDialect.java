package io.lakeroute.query;

/** A database lakeroute knows nothing particular of: JDBC standard types, partitions read apart. */
enum StandardSourceDialect implements SourceDialect {
  INSTANCE;

  @Override
  public String database() {
    return "a JDBC database";
  }

  @Override
  public Consistency consistency() {
    return Consistency.PER_PARTITION;
  }
}
