package io.lakeroute.delivery;

import io.lakeroute.query.PartitionReader;
import io.lakeroute.query.QueryPartition;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.values.Row;

/**
 * The FileIO sink of a query partition: streams the partition's rows from the source straight into
 * a format's row sink. Reading inside the write keeps one row in flight per file, so memory does
 * not grow with the data on any runner (the Direct runner would otherwise hold every row a
 * partition read emits, and Spark every row of one input element).
 */
final class QueryFileSink implements FileIO.Sink<QueryPartition> {
  private static final long serialVersionUID = 1L;

  private final PartitionReader reader;
  private final FileIO.Sink<Row> rows;

  QueryFileSink(PartitionReader reader, FileIO.Sink<Row> rows) {
    this.reader = reader;
    this.rows = rows;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    rows.open(channel);
  }

  @Override
  public void write(QueryPartition partition) throws IOException {
    reader.read(partition, rows::write);
  }

  @Override
  public void flush() throws IOException {
    rows.flush();
  }
}
