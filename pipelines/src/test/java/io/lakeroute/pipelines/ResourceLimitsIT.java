package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.lakeroute.pipelines.run.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory ends the run promptly, never in a hang that a scheduler would wait on
 * forever: the jar in a JVM with a small heap reads rows far larger than it, and exits 1 with one
 * message and its summary written, nothing published.
 */
class ResourceLimitsIT {
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  @Test
  void outOfMemoryEndsTheRunWithASummaryNotAHang() throws Exception {
    Path summary = temp.resolve("summary.json");
    Path log = temp.resolve("run.log");
    Path out = temp.resolve("lake");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx96m",
            "-jar",
            System.getProperty("lakeroute.jar"),
            "--jdbcUrl=" + fixture.postgres.jdbcUrl(),
            "--jdbcUser=" + fixture.postgres.user(),
            "--jdbcPasswordFile=" + fixture.passwordFile,
            // Eight 40 MB values: more than the heap holds in one fetch.
            "--query=SELECT repeat('x', 40000000) AS big FROM generate_series(1, 8)",
            "--format=csv",
            "--destination=" + out,
            "--summaryPath=" + summary);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(4, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat("ended without hanging: " + output, ended, equalTo(true));
    assertThat(output, process.exitValue(), equalTo(ExitCode.FAILED.code()));
    assertThat(output, containsString("ran out of memory"));
    assertThat(output, containsString("-Xmx"));
    String json = Files.readString(summary, StandardCharsets.UTF_8);
    assertThat(json, containsString("\"status\" : \"failed\""));
    assertThat(json, containsString("out of memory"));
    assertThat(
        Files.exists(
            out.resolve(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString())
                .resolve("_SUCCESS")),
        equalTo(false));
    assertThat(output, not(containsString(fixture.postgres.password())));
  }
}
