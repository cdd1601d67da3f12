package io.lakeroute.pipelines.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A job's tables run several at once, each in a JVM of its own ({@code --tableParallelism}). Why
 * processes rather than threads: Beam configures its filesystems once per process, so tables with
 * different stores cannot share a JVM, and Spark allows one context per JVM. Each table's process
 * is this command for that table alone, with this JVM's Java options and classpath and the same
 * environment (secrets stay in the environment and in files, never in the process list); its output
 * is printed as one block when it ends, and its JSON summary becomes the table's entry in this
 * command's.
 */
final class TableProcesses {
  static final int MAX_PARALLELISM = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private TableProcesses() {}

  /** One table's process, once it ended. */
  private record Ended(Jobs.Planned table, ExitCode exit, List<RunRecord> records) {}

  /**
   * Runs {@code tables}, {@code parallelism} at a time; returns each table's exit code in the
   * tables' order and adds their runs to {@code records}.
   */
  static List<ExitCode> run(
      List<Jobs.Planned> tables,
      int parallelism,
      PrintStream out,
      PrintStream err,
      List<RunRecord> records) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "--tableParallelism="
              + parallelism
              + " is out of range: give 1 (one table after the other) to "
              + MAX_PARALLELISM);
    }
    Path work;
    try {
      work = Files.createTempDirectory("lakeroute-job-");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create a folder for the tables' summaries: " + e, e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<Ended>> running = new ArrayList<>();
      for (Jobs.Planned table : tables) {
        running.add(pool.submit(() -> runOne(table, work, out)));
      }
      List<ExitCode> exits = new ArrayList<>();
      for (Future<Ended> future : running) {
        Ended ended = future.get();
        records.addAll(ended.records());
        exits.add(ended.exit());
        if (ended.exit() != ExitCode.OK) {
          err.println(
              "lakeroute: table "
                  + ended.table().name()
                  + " FAILED ("
                  + ended.exit().meaning()
                  + "): see its output above");
        }
      }
      return exits;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the job's tables ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("A table's process could not be run: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
      deleteQuietly(work);
    }
  }

  private static Ended runOne(Jobs.Planned table, Path work, PrintStream out)
      throws IOException, InterruptedException {
    Path summary = work.resolve(table.name() + ".summary.json");
    Path log = work.resolve(table.name() + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Lakeroute.class.getName());
    for (String arg : table.args()) {
      if (!arg.startsWith("--summaryPath=") && !arg.startsWith("--tableParallelism=")) {
        command.add(arg);
      }
    }
    command.add("--jobTable=" + table.name());
    command.add("--summaryPath=" + summary);
    // Several tables' progress lines would interleave: each table reports in its block instead.
    command.add("--quiet");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ExitCode exit = ExitCode.of(process.waitFor());
    String output = Files.readString(log, StandardCharsets.UTF_8);
    synchronized (out) {
      out.print("── table " + table.name() + " (exit " + exit.code() + ") ──\n" + output);
      if (!output.endsWith("\n")) {
        out.println();
      }
    }
    return new Ended(table, exit, records(table, exit, summary));
  }

  /** The table's runs as its process reported them, or one failed run if it reported none. */
  private static List<RunRecord> records(Jobs.Planned table, ExitCode exit, Path summary) {
    List<RunRecord> records = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(Files.readString(summary, StandardCharsets.UTF_8));
      for (JsonNode run : root.path("runs")) {
        records.add(RunRecord.reported((ObjectNode) run));
      }
    } catch (IOException e) {
      // The process ended before writing its summary (killed, or no JVM): recorded below.
    }
    if (records.isEmpty()) {
      ObjectNode run = JSON.createObjectNode();
      run.put("table", table.name());
      run.put("status", "failed");
      run.putObject("error")
          .put("exitCode", exit.code())
          .put("class", exit.id())
          .put("message", "the table's process ended with exit " + exit.code() + " and no summary");
      records.add(RunRecord.reported(run));
    }
    return records;
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder; the system cleans it eventually.
    }
  }
}
