package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PartitioningTest {

  @Test
  void takesUpTo100000Partitions() {
    assertThat(Partitioning.onColumn("id").withPartitions(100_000).partitions(), equalTo(100_000));
    assertThat(Partitioning.onColumn("id").withPartitions(0).partitionsFor(10), equalTo(1));
  }

  @Test
  void refusesPartitionsOutsideTheirRangeNamingTheSettingAndTheRange() {
    for (int partitions : new int[] {-1, 100_001, Integer.MAX_VALUE}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Partitioning.onColumn("id").withPartitions(partitions));
      assertThat(
          e.getMessage(),
          allOf(
              containsString("(Partitioning.withPartitions)"),
              containsString("between 0 (automatic) and 100,000")));
    }
  }

  @Test
  void refusesANegativeFileLimitNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Partitioning.none().withMaxRowsPerFile(-1));
    assertThat(e.getMessage(), containsString("(Partitioning.withMaxRowsPerFile)"));
  }

  @Test
  void withKnownWorkersALargeQueryGetsOnePartitionPerWorkerOrAMultiple() {
    Partitioning two = Partitioning.onColumn("id").withWorkers(2);
    // Up to one default-sized partition per worker: as without workers.
    assertThat(two.partitionsFor(400_000), equalTo(1));
    assertThat(two.partitionsFor(1_000_000), equalTo(2));
    // Beyond: one per worker, up to 5M rows each, then the next multiple.
    assertThat(two.partitionsFor(4_000_000), equalTo(2));
    assertThat(two.partitionsFor(10_000_000), equalTo(2));
    assertThat(two.partitionsFor(10_000_001), equalTo(4));
    assertThat(Partitioning.onColumn("id").withWorkers(3).partitionsFor(4_000_000), equalTo(3));
    // Unknown workers (a cluster): one per 500,000 rows, as before.
    assertThat(Partitioning.onColumn("id").partitionsFor(4_000_000), equalTo(8));
    // Given partitions and the file limit still win.
    assertThat(two.withPartitions(8).partitionsFor(4_000_000), equalTo(8));
    assertThat(two.withMaxRowsPerFile(1_000_000).partitionsFor(4_000_000), equalTo(4));
  }
}
