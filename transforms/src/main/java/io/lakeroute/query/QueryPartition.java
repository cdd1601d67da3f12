package io.lakeroute.query;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One slice of a query's result: the query itself, or the query restricted by a range predicate on
 * the partition column. Each partition becomes exactly one file, read and written in one pass.
 */
public final class QueryPartition implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final int count;
  private final String sql;
  private final List<Serializable> parameters;
  private final long estimatedRows;

  QueryPartition(
      int index, int count, String sql, List<Serializable> parameters, long estimatedRows) {
    this.index = index;
    this.count = count;
    this.sql = sql;
    this.parameters = List.copyOf(parameters);
    this.estimatedRows = estimatedRows;
  }

  /** Position of this partition, from 0. */
  public int index() {
    return index;
  }

  /** How many partitions the query was split into. */
  public int count() {
    return count;
  }

  /** The statement that reads this partition. */
  public String sql() {
    return sql;
  }

  /** Values bound to the statement's placeholders, in order. */
  public List<Serializable> parameters() {
    return parameters;
  }

  /** Rows the planner counted for this partition when it was planned. */
  public long estimatedRows() {
    return estimatedRows;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof QueryPartition)) {
      return false;
    }
    QueryPartition other = (QueryPartition) o;
    return index == other.index
        && count == other.count
        && sql.equals(other.sql)
        && parameters.equals(other.parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, count, sql, parameters);
  }

  @Override
  public String toString() {
    return "partition " + (index + 1) + "/" + count + " " + parameters;
  }
}
