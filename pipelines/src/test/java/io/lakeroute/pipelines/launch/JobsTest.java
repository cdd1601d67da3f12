package io.lakeroute.pipelines.launch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.pipelines.config.Incremental;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * Every job file docs/jobs.md shows is one lakeroute reads: known keys, no secret, each table a
   * run whose options parse, its incremental keys accepted.
   */
  @Test
  void theJobFilesTheDocsShowAreValid(@TempDir Path temp) throws Exception {
    String docs =
        Files.readString(Path.of("..", "docs", "jobs.md").toAbsolutePath(), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(docs);
    int files = 0;
    while (block.find()) {
      Path job = temp.resolve("job-" + files++ + ".yaml");
      Files.writeString(job, block.group(1), StandardCharsets.UTF_8);
      String[] commandLine = {"--job=" + job};
      List<Jobs.Planned> tables = Jobs.read(Launcher.parse(commandLine), commandLine);
      assertThat(job + " has tables", tables.isEmpty(), equalTo(false));
      for (Jobs.Planned table : tables) {
        RouteOptions options = Launcher.parse(table.args());
        Incremental.check(
            options,
            options.getRoute(),
            options.getRoute().equals("s3") || options.getRoute().equals("azure-blob")
                ? Set.of(Step.DATABRICKS)
                : Set.of(Step.LOAD));
      }
    }
    assertThat(files >= 6, equalTo(true));
  }
}
