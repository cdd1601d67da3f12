package io.lakeroute.pipelines.run;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void lineShowsRowsOfPlannedRateFilesElapsedAndEta() {
    assertThat(
        Progress.line("deliver", 100_000, 400_000, 3, 12.4, 10),
        equalTo(
            "deliver     rows 100,000 of 400,000 (25%)  10,000 rows/s  files 3  elapsed 0:12"
                + "  ETA 0:30"));
  }

  @Test
  void beforeThePipelineOnlyTheStepAndThePlan() {
    assertThat(Progress.line("preflight", -1, -1, -1, 2, 0), equalTo("preflight   elapsed 0:02"));
    assertThat(
        Progress.line("deliver", -1, 5_000, -1, 3, 0),
        equalTo("deliver     5,000 rows planned  elapsed 0:03"));
  }

  @Test
  void clockGoesToHours() {
    assertThat(Progress.clock(59.6), equalTo("1:00"));
    assertThat(Progress.clock(3723), equalTo("1:02:03"));
  }

  @Test
  void modeFollowsTheTerminalUnlessToldAndQuietWins() {
    assertThat(Progress.Mode.of("auto", false, true), equalTo(Progress.Mode.LINE));
    assertThat(Progress.Mode.of("auto", false, false), equalTo(Progress.Mode.LOG));
    assertThat(Progress.Mode.of("line", false, false), equalTo(Progress.Mode.LINE));
    assertThat(Progress.Mode.of("log", true, true), equalTo(Progress.Mode.OFF));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> Progress.Mode.of("loud", false, true));
    assertThat(bad.getMessage().startsWith("--progress=loud"), equalTo(true));
  }
}
