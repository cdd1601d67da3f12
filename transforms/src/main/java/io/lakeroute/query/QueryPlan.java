package io.lakeroute.query;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * What the planner learned about a query before any data moves: its schema, its row count and the
 * partitions it will be read in.
 */
public final class QueryPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final JdbcSource source;
  private final String query;
  private final Schema schema;
  private final List<QueryPartition> partitions;
  private final long rowCount;
  private final String snapshotId;
  private final Cursor.Range cursorRange;

  QueryPlan(
      JdbcSource source,
      String query,
      Schema schema,
      List<QueryPartition> partitions,
      long rowCount,
      String snapshotId,
      Cursor.Range cursorRange) {
    this.source = source;
    this.query = query;
    this.schema = schema;
    this.partitions = List.copyOf(partitions);
    this.rowCount = rowCount;
    this.snapshotId = snapshotId;
    this.cursorRange = cursorRange;
  }

  /** The range of the cursor column the partitions read ({@link Cursor}), or null for all rows. */
  public Cursor.Range cursorRange() {
    return cursorRange;
  }

  public JdbcSource source() {
    return source;
  }

  public String query() {
    return query;
  }

  public Schema schema() {
    return schema;
  }

  public List<QueryPartition> partitions() {
    return partitions;
  }

  /** Rows the query returned when the planner counted them: the figure every hop must match. */
  public long rowCount() {
    return rowCount;
  }

  /** The source snapshot every partition reads (see {@link SourceSnapshot}), or null. */
  public String snapshotId() {
    return snapshotId;
  }

  /**
   * How the partitions see one state of the source, in a sentence for the log and the run summary.
   */
  public String consistency() {
    SourceDialect dialect = source.dialect();
    switch (dialect.consistency()) {
      case SHARED_SNAPSHOT:
        return snapshotId != null
            ? "every partition reads snapshot " + snapshotId
            : "no snapshot could be exported: partitions read as of their own start";
      case ONE_READER:
        return "one consistent reader: "
            + dialect.database()
            + " cannot share a snapshot between connections";
      default:
        return "partitions read as of their own start";
    }
  }

  /** A reader of this plan's partitions, inside its snapshot when it has one. */
  public PartitionReader reader() {
    return new PartitionReader(source, schema).inSnapshot(snapshotId);
  }
}
