package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.pipelines.launch.Launcher;
import io.lakeroute.pipelines.run.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator examples in runners-config/ that need no cluster: the Airflow DAG parses and
 * runs the script the Spark tests submit through, with flags lakeroute accepts, and the cron
 * wrapper retries exit 75 only. Airflow is not installed here, so the DAG is read with Python's own
 * parser, not imported.
 */
class RunnersConfigTest {
  /**
   * Compiles the DAG, then prints its module constants and the command run_lakeroute runs, with
   * f-strings' fields as {name}.
   */
  private static final String READ_DAG =
      """
      import ast, json, sys
      source = open(sys.argv[1]).read()
      compile(source, sys.argv[1], "exec")  # what importing it would do, without writing a .pyc
      tree = ast.parse(source, sys.argv[1])
      constants = {n.targets[0].id: n.value.value for n in tree.body
                   if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)}
      run = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "run_lakeroute")
      command = next(n.value for n in ast.walk(run)
                     if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "command")
      def text(node):
          if isinstance(node, ast.Constant):
              return node.value
          return "".join(text(v.value) if isinstance(v, ast.FormattedValue) else text(v)
                         for v in node.values) if isinstance(node, ast.JoinedStr) else "{" + node.id + "}"
      print(json.dumps({"constants": constants, "command": [text(e) for e in command.elts]}))
      """;

  @TempDir Path temp;

  @Test
  void theAirflowDagRunsTheSubmitScriptWithFlagsLakerouteAccepts() throws Exception {
    Path dag = repo("runners-config", "airflow", "lakeroute_customers_daily.py");
    Run read = run(List.of("python3", "-c", READ_DAG, dag.toString()), temp);
    assertThat(read.output, read.exit, equalTo(0));
    JsonNode parsed = new ObjectMapper().readTree(read.output);

    assertThat(
        parsed.get("constants").get("TRANSIENT").asInt(), equalTo(ExitCode.TRANSIENT.code()));
    String home = parsed.get("constants").get("LAKEROUTE").asText();
    List<String> command = new ArrayList<>();
    parsed.get("command").forEach(part -> command.add(part.asText().replace("{LAKEROUTE}", home)));
    // The script ShadedJarIT and SparkClusterIT submit through, at its place in an install.
    assertThat(command.get(0), equalTo(home + "/runners-config/spark-submit.sh"));
    assertThat(Files.isRegularFile(repo("runners-config", "spark-submit.sh")), equalTo(true));
    assertThat(command.get(1), equalTo("@" + home + "/conf/customers.args"));

    // Its args file (the example the cron setup ships) and its own flags parse, {ds} a date.
    List<String> args = new ArrayList<>();
    args.add("@" + repo("runners-config", "cron", "customers.args.example"));
    for (String part : command.subList(2, command.size())) {
      args.add(part.replace("{ds}", "2026-11-21"));
    }
    var options = Lakeroute.parse(Launcher.expandArgFiles(args.toArray(new String[0])));
    assertThat(options.getLogicalDate(), equalTo("2026-11-21"));
    assertThat(options.getSummaryPath(), equalTo("/var/log/lakeroute/customers-2026-11-21.json"));
    assertThat(String.join(" ", command), not(containsString("Password=")));
  }

  @Test
  void theCronWrapperRetriesExit75WithBackoffAndNothingElse() throws Exception {
    // A stand-in `java` first on PATH: exits with the next code of its script, one per attempt.
    Run retried = wrapper("75 75 0");
    assertThat(retried.output, retried.exit, equalTo(0));
    assertThat(attempts(), equalTo(3));
    assertThat(
        retried.output, containsString("attempt 1 lost a connection (exit 75); retrying in 0s"));
    assertThat(retried.output, containsString("attempt 2 lost a connection (exit 75)"));
    assertThat(
        retried.output,
        containsString(
            "-jar " + temp.resolve("lakeroute.jar") + " @x.args --logicalDate=2026-11-21"));

    Run givenUp = wrapper("75 75 75 0");
    assertThat(givenUp.output, givenUp.exit, equalTo(ExitCode.TRANSIENT.code()));
    assertThat(attempts(), equalTo(3));

    Run failed = wrapper("7 0");
    assertThat(failed.output, failed.exit, equalTo(7));
    assertThat(attempts(), equalTo(1));
  }

  private Run wrapper(String exitCodes) throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Files.writeString(temp.resolve("codes"), exitCodes.replace(' ', '\n') + "\n");
    Files.writeString(temp.resolve("attempts"), "");
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        """
        #!/usr/bin/env bash
        echo "java $*"
        echo x >> "$FAKE/attempts"
        code="$(head -n 1 "$FAKE/codes")"
        sed -i 1d "$FAKE/codes"
        exit "$code"
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                repo("runners-config", "cron", "lakeroute-daily.sh").toString(),
                "@x.args",
                "--logicalDate=2026-11-21")
            .redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("FAKE", temp.toString());
    builder.environment().put("LAKEROUTE_JAR", temp.resolve("lakeroute.jar").toString());
    builder.environment().put("LAKEROUTE_LOCK", temp.resolve("lock").toString());
    builder.environment().put("LAKEROUTE_TRIES", "3");
    builder.environment().put("LAKEROUTE_WAIT", "0");
    return run(builder);
  }

  private int attempts() throws Exception {
    return Files.readAllLines(temp.resolve("attempts")).size();
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command, Path dir) throws Exception {
    return run(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true));
  }

  private static Run run(ProcessBuilder builder) throws Exception {
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("finished in time", process.waitFor(1, TimeUnit.MINUTES), equalTo(true));
    return new Run(process.exitValue(), output);
  }

  private static Path repo(String... parts) {
    return Path.of("..", parts).toAbsolutePath().normalize();
  }
}
