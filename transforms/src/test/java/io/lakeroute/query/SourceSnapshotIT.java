package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.lakeroute.testing.LocalPostgres;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against PostgreSQL 15 on loopback: a table written during a run still reconciles exactly. */
class SourceSnapshotIT {
  private static LocalPostgres postgres;
  private static JdbcSource source;

  @BeforeAll
  static void start() {
    postgres = LocalPostgres.shared();
    source = JdbcSource.of(postgres.jdbcUrl(), null, postgres.user(), postgres.password());
  }

  private static long readAll(QueryPlan plan) throws Exception {
    AtomicLong rows = new AtomicLong();
    for (QueryPartition partition : plan.partitions()) {
      plan.reader().read(partition, row -> rows.incrementAndGet());
    }
    return rows.get();
  }

  @Test
  void everyPartitionReadsTheRowsThePlannerCounted() throws Exception {
    postgres.execute(
        "DROP TABLE IF EXISTS snapshot_orders",
        "CREATE TABLE snapshot_orders (id bigint PRIMARY KEY, note text)",
        "INSERT INTO snapshot_orders SELECT g, 'n' || g FROM generate_series(1, 1000) g");
    Partitioning partitioning = Partitioning.onColumn("id").withPartitions(3);
    String query = "SELECT * FROM snapshot_orders";
    try (SourceSnapshot snapshot = SourceSnapshot.export(source)) {
      assertThat(snapshot.id(), notNullValue());
      QueryPlan plan = QueryPlanner.plan(snapshot, query, partitioning);
      assertThat(plan.rowCount(), equalTo(1000L));

      // Writers commit after the count, before and during the reads.
      postgres.execute(
          "INSERT INTO snapshot_orders SELECT g, 'late' FROM generate_series(1001, 1500) g",
          "DELETE FROM snapshot_orders WHERE id <= 10",
          "UPDATE snapshot_orders SET id = id + 100000 WHERE id BETWEEN 500 AND 520");

      assertThat(readAll(plan), equalTo(1000L));
      // Without the snapshot the same partitions see the table as it is now.
      QueryPlan unshared = QueryPlanner.plan(source, query, partitioning);
      assertThat(unshared.rowCount(), equalTo(1490L));
      assertThat(readAll(unshared), equalTo(1490L));
    }
  }

  @Test
  void aSourceThatCannotShareASnapshotReadsWithout() throws Exception {
    JdbcSource h2 = JdbcSource.of("jdbc:h2:mem:snapshot;DB_CLOSE_DELAY=-1", null, "sa", "");
    try (SourceSnapshot snapshot = SourceSnapshot.export(h2)) {
      assertThat(snapshot.id(), nullValue());
      QueryPlan plan = QueryPlanner.plan(snapshot, "SELECT 1 AS x", Partitioning.none());
      assertThat(plan.snapshotId(), nullValue());
      assertThat(readAll(plan), equalTo(1L));
    }
  }
}
