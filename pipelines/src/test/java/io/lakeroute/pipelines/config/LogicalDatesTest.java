package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.run.Step;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogicalDatesTest {
  // 23:30 in New York is already the next day in UTC: the default must be the UTC date.
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T04:30:00Z"), ZoneOffset.UTC);

  @Test
  void withoutADateARunIsForTodayInUtc() {
    assertThat(LogicalDates.parse(null, CLOCK), contains(LocalDate.of(2026, 11, 22)));
  }

  @Test
  void aRangeIsEveryDateInOrderBothEndsIncluded() {
    assertThat(
        LogicalDates.parse("2026-02-27..2026-03-01", CLOCK),
        contains(LocalDate.of(2026, 2, 27), LocalDate.of(2026, 2, 28), LocalDate.of(2026, 3, 1)));
    assertThat(LogicalDates.parse(" 2026-01-05 ", CLOCK), contains(LocalDate.of(2026, 1, 5)));
  }

  @Test
  void badDatesAndBackwardRangesNameTheFlag() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LogicalDates.parse("22/11/2026", CLOCK))
            .getMessage(),
        equalTo(
            "--logicalDate=22/11/2026 is not a date: use yyyy-MM-dd, or yyyy-MM-dd..yyyy-MM-dd"
                + " for a backfill"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> LogicalDates.parse("2026-11-03..2026-11-01", CLOCK))
            .getMessage(),
        containsString("ends before it starts"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> LogicalDates.parse("2000-01-01..2026-01-01", CLOCK))
            .getMessage(),
        containsString("spans more than 3660 days"));
  }

  @Test
  void stepsAreNamedLikeTheFlagSaysThem() {
    assertThat(Step.of("Databricks"), equalTo(Step.DATABRICKS));
    assertThat(Step.of(null), equalTo(Step.QUERY));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> Step.of("publish")).getMessage(),
        equalTo("--fromStep=publish is not a step: use query, load or databricks"));
  }
}
