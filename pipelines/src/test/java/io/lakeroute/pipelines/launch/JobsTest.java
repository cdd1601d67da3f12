package io.lakeroute.pipelines.launch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.pipelines.run.ExitCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobsTest {
  @Test
  void theCommandLineWinsOverTheFileAndJobFlagsStayOut() {
    String[] merged =
        Jobs.merge(
            List.of("--format=parquet", "--destination=/lake/a"),
            new String[] {"--job=daily.yaml", "--only=a", "--format=csv", "--dryRun"});
    assertThat(merged, arrayContaining("--format=csv", "--destination=/lake/a", "--dryRun"));
  }

  @Test
  void theJobEndsWithItsWorstTable() {
    assertThat(Jobs.worse(ExitCode.OK, ExitCode.OK), equalTo(ExitCode.OK));
    assertThat(Jobs.worse(ExitCode.OK, ExitCode.TRANSIENT), equalTo(ExitCode.TRANSIENT));
    // A failure a retry cannot fix wins over one it can: the scheduler must not just retry.
    assertThat(Jobs.worse(ExitCode.TRANSIENT, ExitCode.SOURCE), equalTo(ExitCode.SOURCE));
    assertThat(Jobs.worse(ExitCode.SOURCE, ExitCode.TRANSIENT), equalTo(ExitCode.SOURCE));
    assertThat(Jobs.worse(ExitCode.LOAD, ExitCode.OK), equalTo(ExitCode.LOAD));
  }
}
