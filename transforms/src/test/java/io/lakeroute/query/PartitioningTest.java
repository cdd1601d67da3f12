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
}
