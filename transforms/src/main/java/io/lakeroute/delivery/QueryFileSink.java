package io.lakeroute.delivery;

import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.query.QueryPartition;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.values.Row;

/**
 * The FileIO sink of a query partition: streams the partition's rows from the source straight into
 * a format's row sink. Reading inside the write keeps one row in flight per file, so memory does
 * not grow with the data on any runner (the Direct runner would otherwise hold every row a
 * partition read emits, and Spark every row of one input element).
 *
 * <p>With fingerprints on, the partition's rows are fingerprinted and checked as they are read, and
 * both are left next to the staged files ({@link ReadFingerprints}), for the read-back to compare
 * with the file's check: a FileIO sink has no output of its own.
 *
 * <p>FileIO hands the sink a bare channel, whose errors ("No space left on device") name no file: a
 * failed write is reported with the directory written to.
 */
final class QueryFileSink implements FileIO.Sink<QueryPartition> {
  private static final long serialVersionUID = 1L;

  private final PartitionReader reader;
  private final FileIO.Sink<Row> rows;
  private final String directory;
  private final ReadFingerprints fingerprints;

  /**
   * Fingerprints of the partitions written to the current file, left for the read-back when the
   * file is flushed: a partition whose file a failed run never completes leaves nothing behind.
   */
  private transient Map<Integer, ReadFingerprints.Values> unflushed;

  /**
   * @param directory where the files are written, for messages
   * @param fingerprints where the read fingerprints go; null: none are taken
   */
  QueryFileSink(
      PartitionReader reader,
      FileIO.Sink<Row> rows,
      String directory,
      ReadFingerprints fingerprints) {
    this.reader = reader;
    this.rows = rows;
    this.directory = directory;
    this.fingerprints = fingerprints;
  }

  @Override
  public void open(WritableByteChannel channel) {
    try {
      rows.open(channel);
    } catch (IOException e) {
      throw cannotWrite("a file", e);
    }
  }

  @Override
  public void write(QueryPartition partition) throws IOException {
    FingerprintAccumulator fingerprint =
        fingerprints == null ? null : FingerprintAccumulator.fingerprintAndCheck(reader.schema());
    reader.read(
        partition,
        row -> {
          try {
            rows.write(row);
          } catch (IOException e) {
            throw cannotWrite("the file of " + partition, e);
          }
        },
        fingerprint);
    if (fingerprint != null) {
      if (unflushed == null) {
        unflushed = new LinkedHashMap<>();
      }
      unflushed.put(
          partition.index(),
          new ReadFingerprints.Values(fingerprint.fingerprint(), fingerprint.check()));
    }
  }

  @Override
  public void flush() {
    try {
      rows.flush();
      if (unflushed != null) {
        for (Map.Entry<Integer, ReadFingerprints.Values> entry : unflushed.entrySet()) {
          fingerprints.write(entry.getKey(), entry.getValue());
        }
        unflushed.clear();
      }
    } catch (IOException e) {
      throw cannotWrite("a file", e);
    }
  }

  private DeliveryException cannotWrite(String what, IOException e) {
    return new DeliveryException(
        "Cannot write "
            + what
            + " under "
            + directory
            + ": "
            + Staging.rootMessage(e)
            + ". Check the free space and the permissions there, or deliver to another"
            + " destination.",
        e);
  }
}
