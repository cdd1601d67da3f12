package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incremental reads planned against an embedded H2 database: which range each kind of cursor reads,
 * and which rows that range holds.
 */
class CursorTest {
  private static final String URL = "jdbc:h2:mem:cursor_test;DB_CLOSE_DELAY=-1";
  private static final JdbcSource SOURCE = JdbcSource.of(URL, null, "sa", "");
  private static final String QUERY = "SELECT * FROM events";
  private static Connection keepAlive;

  @BeforeAll
  static void events() throws SQLException {
    keepAlive = DriverManager.getConnection(URL, "sa", "");
    try (Statement s = keepAlive.createStatement()) {
      s.execute(
          "CREATE TABLE events (id BIGINT, seq INTEGER, event_day DATE, event_at TIMESTAMP(6),"
              + " event_at_tz TIMESTAMP(6) WITH TIME ZONE, note VARCHAR(10))");
      s.execute(
          "INSERT INTO events VALUES"
              + " (1, 10, DATE '2026-12-01', TIMESTAMP '2026-12-01 08:00:00.000001',"
              + "  TIMESTAMP WITH TIME ZONE '2026-12-01 08:00:00.000001+01:00', 'a'),"
              + " (2, 20, DATE '2026-12-02', TIMESTAMP '2026-12-02 08:00:00',"
              + "  TIMESTAMP WITH TIME ZONE '2026-12-02 08:00:00+00:00', 'b'),"
              + " (3, 30, DATE '2026-12-03', TIMESTAMP '2026-12-03 08:00:00.5',"
              + "  TIMESTAMP WITH TIME ZONE '2026-12-03 08:00:00.5-05:00', 'c'),"
              + " (4, NULL, NULL, NULL, NULL, 'no cursor')");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    keepAlive.close();
  }

  @Test
  void aFirstRunReadsEveryRowNullCursorsIncludedAndRecordsTheMaximum() throws IOException {
    QueryPlan plan = plan(Cursor.on("seq"));
    assertThat(plan.cursorRange(), equalTo(new Cursor.Range("SEQ", "int64", null, "30")));
    assertThat(ids(plan), equalTo(List.of(1L, 2L, 3L, 4L)));
    assertThat(plan.rowCount(), equalTo(4L));
  }

  @Test
  void aLaterRunReadsOnlyPastTheMarkAndALagReachesBelowIt() throws IOException {
    QueryPlan after = plan(Cursor.on("seq").after("20"));
    assertThat(after.cursorRange(), equalTo(new Cursor.Range("SEQ", "int64", "20", "30")));
    assertThat(ids(after), equalTo(List.of(3L)));

    QueryPlan lagged = plan(Cursor.on("seq").withLag("15").after("20"));
    assertThat(lagged.cursorRange().from(), equalTo("5"));
    assertThat(ids(lagged), equalTo(List.of(1L, 2L, 3L)));
  }

  @Test
  void nothingNewReadsNothingAndKeepsTheMark() throws IOException {
    QueryPlan plan = plan(Cursor.on("seq").after("30"));
    assertThat(plan.cursorRange(), equalTo(new Cursor.Range("SEQ", "int64", "30", "30")));
    assertThat(plan.rowCount(), equalTo(0L));
    assertThat(ids(plan), equalTo(List.of()));
  }

  @Test
  void aReplayReadsExactlyItsOwnRangeWhateverArrivedSince() throws IOException {
    Cursor.Range first = new Cursor.Range("seq", "int64", "10", "20");
    QueryPlan plan = plan(Cursor.on("seq").replaying(first));
    assertThat(plan.cursorRange(), equalTo(new Cursor.Range("SEQ", "int64", "10", "20")));
    assertThat(ids(plan), equalTo(List.of(2L)));
  }

  @Test
  void datesAndTimestampsWithAndWithoutZoneAreMarksToTheMicrosecond() throws IOException {
    assertThat(plan(Cursor.on("event_day")).cursorRange().to(), equalTo("2026-12-03"));
    assertThat(
        ids(plan(Cursor.on("event_day").withLag("P1D").after("2026-12-03"))), equalTo(List.of(3L)));

    QueryPlan at = plan(Cursor.on("event_at").after("2026-12-01T08:00:00.000001"));
    assertThat(at.cursorRange().to(), equalTo("2026-12-03T08:00:00.500"));
    assertThat(ids(at), equalTo(List.of(2L, 3L)));
    QueryPlan justBelow = plan(Cursor.on("event_at").after("2026-12-01T08:00"));
    assertThat(ids(justBelow), equalTo(List.of(1L, 2L, 3L)));

    QueryPlan zoned = plan(Cursor.on("event_at_tz"));
    assertThat(zoned.cursorRange().type(), equalTo("timestamp_tz"));
    assertThat(zoned.cursorRange().to(), equalTo("2026-12-03T13:00:00.500Z"));
    QueryPlan lagged = plan(Cursor.on("event_at_tz").withLag("PT1H").after("2026-12-02T08:00:00Z"));
    assertThat(lagged.cursorRange().from(), equalTo("2026-12-02T07:00:00Z"));
    assertThat(ids(lagged), equalTo(List.of(2L, 3L)));
  }

  @Test
  void withKeysOnlyEachKeysLatestRowIsRead() throws Exception {
    try (Statement s = keepAlive.createStatement()) {
      s.execute("CREATE TABLE changes (id BIGINT, k INTEGER, seq INTEGER, v VARCHAR(10))");
      s.execute(
          "INSERT INTO changes VALUES (1, 1, 10, 'old'), (2, 1, 30, 'new'), (3, 2, 20, 'only'),"
              + " (4, NULL, 5, 'n1'), (5, NULL, 6, 'n2'), (6, 3, NULL, 'no seq'), (7, 3, 1, 'k3')");
    }
    QueryPlan plan =
        QueryPlanner.plan(
            SOURCE,
            "SELECT * FROM changes",
            Partitioning.none(),
            Cursor.on("seq").latestPer(List.of("k")));
    // Per key the highest cursor; NULL keys are one key; a NULL cursor loses to any value.
    assertThat(ids(plan), equalTo(List.of(2L, 3L, 5L, 7L)));
    assertThat(plan.rowCount(), equalTo(4L));
    assertThat(plan.schema().getFieldNames(), equalTo(List.of("ID", "K", "SEQ", "V")));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                QueryPlanner.plan(
                    SOURCE,
                    "SELECT * FROM changes",
                    Partitioning.none(),
                    Cursor.on("seq").latestPer(List.of("key"))));
    assertThat(unknown.getMessage(), containsString("The key key to keep the latest row of"));
  }

  @Test
  void theCursorFilterPlaceholderAppliesTheRangeInsideTheQuery() throws IOException {
    // The count per row sees only the run's range: the condition sits inside the aggregate, where
    // the wrapping condition cannot reach.
    String query =
        "SELECT e.id, e.seq, (SELECT COUNT(*) FROM events x WHERE {cursor_filter:x.seq}) AS in_run"
            + " FROM events e WHERE {cursor_filter:e.seq}";
    QueryPlan first = QueryPlanner.plan(SOURCE, query, Partitioning.none(), Cursor.on("seq"));
    assertThat(first.cursorRange(), equalTo(new Cursor.Range("SEQ", "int64", null, "30")));
    assertThat(ids(first), equalTo(List.of(1L, 2L, 3L, 4L)));
    assertThat(inRun(first), equalTo(List.of(4L)));

    QueryPlan later =
        QueryPlanner.plan(SOURCE, query, Partitioning.none(), Cursor.on("seq").after("10"));
    assertThat(later.cursorRange(), equalTo(new Cursor.Range("SEQ", "int64", "10", "30")));
    assertThat(ids(later), equalTo(List.of(2L, 3L)));
    assertThat(inRun(later), equalTo(List.of(2L)));
    assertThat(later.query(), containsString("(x.seq > 10 AND x.seq <= 30)"));

    QueryPlan plain =
        QueryPlanner.plan(
            SOURCE,
            "SELECT * FROM events WHERE {cursor_filter}",
            Partitioning.none(),
            Cursor.on("seq").after("20"));
    assertThat(plain.query(), containsString("WHERE (\"SEQ\" > 20 AND \"SEQ\" <= 30)"));
    assertThat(ids(plain), equalTo(List.of(3L)));

    IllegalArgumentException noCursor =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                QueryPlanner.plan(
                    SOURCE, "SELECT * FROM events WHERE {cursor_filter}", Partitioning.none()));
    assertThat(noCursor.getMessage(), containsString("give a cursor column (Cursor.on)"));
  }

  @Test
  void marksCompareByValueNotByText() {
    Cursor.Range nine = new Cursor.Range("seq", "int64", null, "9");
    Cursor.Range ten = new Cursor.Range("seq", "int64", "9", "10");
    assertThat(ten.endsAfter(nine), equalTo(true));
    assertThat(nine.endsAfter(ten), equalTo(false));
    assertThat(nine.endsAfter(new Cursor.Range("seq", "int64", null, null)), equalTo(true));
  }

  @Test
  void badCursorsAreRefusedNamingTheColumnAndTheSetting() {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> plan(Cursor.on("updated")));
    assertThat(missing.getMessage(), containsString("Cursor.on(updated) names no column"));
    IllegalArgumentException text =
        assertThrows(IllegalArgumentException.class, () -> plan(Cursor.on("note")));
    assertThat(text.getMessage(), containsString("The cursor column NOTE (Cursor.on) has type"));
    IllegalArgumentException lag =
        assertThrows(
            IllegalArgumentException.class,
            () -> plan(Cursor.on("event_at").withLag("2 hours").after("2026-12-01T08:00")));
    assertThat(
        lag.getMessage(),
        containsString(
            "The cursor lag (Cursor.withLag) '2 hours' does not fit cursor column EVENT_AT"));
    IllegalArgumentException partialDay =
        assertThrows(
            IllegalArgumentException.class,
            () -> plan(Cursor.on("event_day").withLag("PT1H").after("2026-12-03")));
    assertThat(partialDay.getMessage(), containsString("whole days"));
    assertThrows(IllegalArgumentException.class, () -> Cursor.on(" "));
  }

  @Test
  void literalsAreTheStandardsExceptMariaDbsZonedTimestamp() {
    SourceDialect postgres = SourceDialect.forUrl("jdbc:postgresql://h/db");
    assertThat(postgres.cursorLiteral(Cursor.Kind.INTEGER, "-7"), equalTo("-7"));
    assertThat(
        postgres.cursorLiteral(Cursor.Kind.DATE, "1500-02-28"), equalTo("DATE '1500-02-28'"));
    assertThat(
        postgres.cursorLiteral(Cursor.Kind.TIMESTAMP, "2026-12-01T08:00"),
        equalTo("TIMESTAMP '2026-12-01 08:00:00.000000'"));
    assertThat(
        postgres.cursorLiteral(Cursor.Kind.TIMESTAMP_TZ, "2026-12-01T07:00:00.000001Z"),
        equalTo("TIMESTAMP WITH TIME ZONE '2026-12-01 07:00:00.000001+00:00'"));
    assertThat(
        SourceDialect.forUrl("jdbc:mariadb://h/db")
            .cursorLiteral(Cursor.Kind.TIMESTAMP_TZ, "2026-12-01T07:00:00.000001Z"),
        equalTo("TIMESTAMP '2026-12-01 07:00:00.000001'"));
    // Text that is not a value of the kind never reaches the SQL.
    assertThrows(
        NumberFormatException.class,
        () -> postgres.cursorLiteral(Cursor.Kind.INTEGER, "1; DROP TABLE events"));
  }

  private static QueryPlan plan(Cursor cursor) {
    return QueryPlanner.plan(SOURCE, QUERY, Partitioning.none(), cursor);
  }

  private static List<Long> inRun(QueryPlan plan) throws IOException {
    List<Long> counts = new ArrayList<>();
    for (QueryPartition partition : plan.partitions()) {
      plan.reader().read(partition, row -> counts.add(row.getInt64("IN_RUN")));
    }
    return counts.stream().distinct().toList();
  }

  private static List<Long> ids(QueryPlan plan) throws IOException {
    List<Long> ids = new ArrayList<>();
    for (QueryPartition partition : plan.partitions()) {
      plan.reader().read(partition, row -> ids.add(row.getInt64("ID")));
    }
    ids.sort(Long::compare);
    return ids;
  }
}
