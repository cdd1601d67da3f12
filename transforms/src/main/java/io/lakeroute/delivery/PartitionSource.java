package io.lakeroute.delivery;

import io.lakeroute.query.QueryPartition;
import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The planned partitions of a query as a source that always splits into one bundle per partition,
 * whatever size the runner asks for. Each partition is then written by a bundle of its own: the
 * Direct runner spreads them over its threads, Spark makes one task each and balances them over its
 * cores (a shuffle would place them by key hash, often two on one core and none on the other), and
 * no bundle ever holds more than one open file.
 */
final class PartitionSource extends BoundedSource<QueryPartition> {
  private final List<QueryPartition> partitions;

  PartitionSource(List<QueryPartition> partitions) {
    this.partitions = List.copyOf(partitions);
  }

  @Override
  public List<PartitionSource> split(long desiredBundleSizeBytes, PipelineOptions options) {
    if (partitions.size() <= 1) {
      return List.of(this);
    }
    return partitions.stream().map(p -> new PartitionSource(List.of(p))).toList();
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    return partitions.stream().mapToLong(QueryPartition::estimatedRows).sum();
  }

  @Override
  public Coder<QueryPartition> getOutputCoder() {
    return SerializableCoder.of(QueryPartition.class);
  }

  @Override
  public BoundedReader<QueryPartition> createReader(PipelineOptions options) {
    return new Reader(this);
  }

  private static final class Reader extends BoundedReader<QueryPartition> {
    private final PartitionSource source;
    private int index = -1;

    Reader(PartitionSource source) {
      this.source = source;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      index++;
      return index < source.partitions.size();
    }

    @Override
    public QueryPartition getCurrent() {
      if (index < 0 || index >= source.partitions.size()) {
        throw new NoSuchElementException();
      }
      return source.partitions.get(index);
    }

    @Override
    public void close() throws IOException {}

    @Override
    public PartitionSource getCurrentSource() {
      return source;
    }
  }
}
