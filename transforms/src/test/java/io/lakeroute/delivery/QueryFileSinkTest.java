package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.JdbcSource;
import io.lakeroute.query.Partitioning;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.query.QueryPlanner;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** A full disk ({@code /dev/full} answers every write with ENOSPC) is reported with the place. */
class QueryFileSinkTest {
  private static final String DIRECTORY = "/data/out/_lakeroute_staging/r1/";

  private static QueryFileSink sink(QueryPlan plan) {
    return new QueryFileSink(
        plan.reader(), FormatSpec.of(FileFormat.CSV).sink(plan.schema()), DIRECTORY, null);
  }

  private static QueryPlan plan(int rows) {
    return QueryPlanner.plan(
        JdbcSource.of("jdbc:h2:mem:query_file_sink", null, null, null),
        "SELECT X AS id, REPEAT('x', 40) AS pad FROM SYSTEM_RANGE(1, " + rows + ")",
        Partitioning.none());
  }

  /** What writing {@code rows} rows into /dev/full fails with, while writing or at the flush. */
  private static DeliveryException writeToAFullDisk(int rows, boolean failsAtFlush)
      throws Exception {
    QueryPlan plan = plan(rows);
    QueryFileSink sink = sink(plan);
    try (FileChannel full = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)) {
      sink.open(full);
      if (!failsAtFlush) {
        return assertThrows(DeliveryException.class, () -> sink.write(plan.partitions().get(0)));
      }
      sink.write(plan.partitions().get(0));
      return assertThrows(DeliveryException.class, sink::flush);
    }
  }

  @Test
  void aFullDiskWhileWritingRowsNamesTheDirectoryAndTheCause() throws Exception {
    // More than the sinks buffer (64 KiB + 256 KiB), so the rows reach the channel.
    assertThat(
        writeToAFullDisk(50_000, false).getMessage(),
        allOf(
            containsString("Cannot write the file of partition 1/1"),
            containsString(" under " + DIRECTORY + ": "),
            containsString("No space left on device")));
  }

  @Test
  void aFullDiskWhenTheLastRowsAreFlushedNamesTheDirectoryAndTheCause() throws Exception {
    assertThat(
        writeToAFullDisk(10, true).getMessage(),
        allOf(
            containsString("Cannot write a file under " + DIRECTORY + ": "),
            containsString("No space left on device")));
  }
}
