package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.LegacyDatesDriver;
import io.lakeroute.testing.LocalPostgres;
import io.lakeroute.testing.TrickyRows;
import io.lakeroute.validation.ReconciliationException;
import java.util.ArrayList;
import java.util.List;
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

  /** Every type, char(n), uuid and jsonb among them (pgjdbc reads those three as text). */
  private static final String TRICKY_QUERY = "SELECT * FROM source_tricky";

  private static void loadTrickyRows() {
    List<String> sql = new ArrayList<>();
    sql.add("DROP TABLE IF EXISTS source_tricky");
    sql.add(TrickyRows.postgresDdl("source_tricky"));
    sql.addAll(TrickyRows.postgresInserts("source_tricky"));
    postgres.execute(sql.toArray(String[]::new));
  }

  /**
   * PostgreSQL's own fingerprint of every partition, taken in the run's snapshot, equals the
   * fingerprint of the rows read: every type of the tricky rows, and a value updated after the plan
   * (which neither the source's fingerprint nor the read sees).
   */
  @Test
  void theSourcesOwnFingerprintInTheRunsSnapshotEqualsTheRowsRead() throws Exception {
    loadTrickyRows();
    JdbcSource verified = source.withVerifySource(true);
    try (SourceSnapshot snapshot = SourceSnapshot.export(verified)) {
      QueryPlan plan =
          QueryPlanner.plan(snapshot, TRICKY_QUERY, Partitioning.onColumn("id").withPartitions(2));
      postgres.execute("UPDATE source_tricky SET c_text = 'changed after the plan'");

      assertThat(readAll(plan), equalTo((long) TrickyRows.ROW_COUNT));
    }
  }

  /**
   * A driver that reads dates through java.sql.Date moves the tricky rows' 1582-10-10, one of the
   * days the calendar switch skipped, to 1582-10-20 and keeps the count: the run fails at the
   * source, naming the column and the rows by key, with the date as PostgreSQL renders it and as it
   * was read.
   */
  @Test
  void aDateTheDriverMovesIsNamedWithItsKey() throws Exception {
    loadTrickyRows();
    JdbcSource legacy =
        JdbcSource.of(
                LegacyDatesDriver.url(postgres.jdbcUrl()),
                null,
                postgres.user(),
                postgres.password())
            .withVerifySource(true);
    try (SourceSnapshot snapshot = SourceSnapshot.export(legacy)) {
      QueryPlan plan = QueryPlanner.plan(snapshot, TRICKY_QUERY, Partitioning.none());

      ReconciliationException e = assertThrows(ReconciliationException.class, () -> readAll(plan));

      assertThat(e.hop(), equalTo(ReconciliationException.Hop.SOURCE));
      assertThat(
          e.getMessage(),
          allOf(
              containsString(": c_date (fingerprints computed by PostgreSQL"),
              containsString(
                  "Rows by id (canonical text, at most 5): id '6': c_date '1582-10-10' in"
                      + " PostgreSQL, '1582-10-20' as read."),
              containsString("(c_date date)")));
    }
  }
}
