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
        plan.reader(), FormatSpec.of(FileFormat.CSV).sink(plan.schema()), DIRECTORY);
  }

  private static QueryPlan plan(int rows) {
    return QueryPlanner.plan(
        JdbcSource.of("jdbc:h2:mem:query_file_sink", null, null, null),
        "SELECT X AS id, REPEAT('x', 40) AS pad FROM SYSTEM_RANGE(1, " + rows + ")",
        Partitioning.none());
  }

  @Test
  void aFullDiskWhileWritingRowsNamesTheDirectoryAndTheCause() throws Exception {
    QueryPlan plan = plan(50_000);
    QueryFileSink sink = sink(plan);
    try (FileChannel full = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)) {
      sink.open(full);
      DeliveryException e =
          assertThrows(DeliveryException.class, () -> sink.write(plan.partitions().get(0)));
      assertThat(
          e.getMessage(),
          allOf(
              containsString("Cannot write the file of partition 1/1"),
              containsString(" under " + DIRECTORY + ": "),
              containsString("No space left on device")));
    }
  }

  @Test
  void aFullDiskWhenTheLastRowsAreFlushedNamesTheDirectoryAndTheCause() throws Exception {
    QueryPlan plan = plan(10);
    QueryFileSink sink = sink(plan);
    try (FileChannel full = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)) {
      sink.open(full);
      sink.write(plan.partitions().get(0));
      DeliveryException e = assertThrows(DeliveryException.class, sink::flush);
      assertThat(
          e.getMessage(),
          allOf(
              containsString("Cannot write a file under " + DIRECTORY),
              containsString("No space left on device")));
    }
  }
}
