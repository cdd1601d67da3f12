package io.lakeroute.pipelines.launch;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Staging;
import io.lakeroute.pipelines.config.LogicalDates;
import io.lakeroute.pipelines.demo.EmbeddedDemo;
import io.lakeroute.pipelines.lineage.Lineage;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.Failures;
import io.lakeroute.pipelines.run.Progress;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.RouteRunner;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.pipelines.run.RunRecord;
import io.lakeroute.pipelines.run.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command line asks for, run by run: {@code --help}, {@code @file} arguments, the embedded
 * demo (one run per format), a {@code --logicalDate} range (one run per date), dry runs; each run's
 * one-screen summary, and the JSON summary of them all, written also when a run fails.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  /** What an Error in a worker thread does before the process halts: report and summarise. */
  private static volatile Consumer<Throwable> onFatal = error -> {};

  private Launcher() {}

  /**
   * The process's handler of an uncaught Error (out of memory, above all) in any thread: a runner
   * may wait forever for a worker that died of one, so the command reports it, writes its summary
   * and halts with {@link ExitCode#FAILED} at once. Installed by {@code main} only.
   */
  public static void haltOnError(Thread thread, Throwable error) {
    if (!(error instanceof Error)) {
      LOG.warn("Uncaught failure in thread {}", thread.getName(), error);
      return;
    }
    try {
      onFatal.accept(error);
    } finally {
      Runtime.getRuntime().halt(ExitCode.FAILED.code());
    }
  }

  public static ExitCode launch(
      String[] given, PrintStream out, PrintStream err, Function<String, String> env) {
    if (List.of(given).contains("--help") || List.of(given).contains("-h")) {
      Help.print(out);
      return ExitCode.OK;
    }
    if (given.length > 0 && given[0].equals(VerifyCommand.NAME)) {
      return VerifyCommand.run(given, out, err, env);
    }
    List<RunRecord> records = new ArrayList<>();
    String summaryPath = null;
    ExitCode exit = ExitCode.OK;
    String[] args = given;
    try {
      args = expandArgFiles(given);
      SecretFlags.refuse(args);
      RouteOptions options = parse(args);
      summaryPath = checkSummaryPath(options.getSummaryPath(), records);
      String path = summaryPath;
      String[] scrubbing = args;
      onFatal =
          error -> {
            RunFailure failure = unexpected(error, scrubbing);
            err.println("lakeroute: FAILED (" + failure.headline() + ")");
            err.println("  " + failure.getMessage());
            if (!records.isEmpty()) {
              records.get(records.size() - 1).failedUnlessRecorded(failure);
            }
            if (path != null) {
              try {
                writeSummary(path, RunRecord.summary(records, failure.exitCode()));
              } catch (IOException | RuntimeException e) {
                err.println("lakeroute: cannot write --summaryPath=" + path + ": " + e);
              }
            }
          };
      if (options.getJob() == null) {
        runTable(options.getJobTable(), args, out, err, env, records);
      } else {
        List<Jobs.Planned> tables = Jobs.withDemoShop(Jobs.read(options, args), out);
        exit =
            options.getTableParallelism() > 1 && !options.getDryRun()
                ? runJobInProcesses(tables, options.getTableParallelism(), out, err, records)
                : runJob(tables, out, err, env, records);
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      RunFailure failure = unexpected(e, args);
      err.println("lakeroute: FAILED (" + failure.headline() + ")");
      err.println("  " + failure.getMessage().replace("\n", "\n  "));
      exit = failure.exitCode();
      if (!records.isEmpty()) {
        records.get(records.size() - 1).failedUnlessRecorded(failure);
      }
    }
    if (summaryPath != null) {
      try {
        writeSummary(summaryPath, RunRecord.summary(records, exit));
      } catch (IOException | RuntimeException e) {
        err.println("lakeroute: cannot write --summaryPath=" + summaryPath + ": " + e);
        exit = exit == ExitCode.OK ? ExitCode.USAGE : exit;
      }
    }
    return exit;
  }

  /** Runs one table's runs (a date range, the demo's formats), recording each. */
  private static void runTable(
      String table,
      String[] args,
      PrintStream out,
      PrintStream err,
      Function<String, String> env,
      List<RunRecord> records) {
    for (String[] dated : runs(args, parse(args))) {
      String[] runArgs = withLogicalDate(dated);
      RouteOptions run = parse(runArgs);
      if (run.getDryRun()) {
        out.print((table == null ? "" : "Table " + table + ":\n") + DryRun.describe(run, env));
        continue;
      }
      RunRecord record = new RunRecord();
      record.table(table);
      records.add(record);
      Progress progress =
          Progress.of(
              Progress.Mode.of(run.getProgress(), run.getQuiet(), System.console() != null),
              run.getProgressSeconds(),
              err);
      RouteRunner runner = RouteRunner.prepare(run, env, record, progress);
      if (table != null && !run.getRedoComplete() && runner.alreadyComplete()) {
        // A job re-run for the same date redoes only what did not succeed.
        record.alreadyComplete(runner.config().layout().runDirectory().toString());
        out.println(
            "Table "
                + table
                + ": run "
                + runner.config().runId()
                + " already completed every step at "
                + runner.config().layout().runDirectory()
                + "; skipped (--redoComplete runs it again)");
        continue;
      }
      RouteResult result;
      String lineageLine;
      try (Lineage lineage =
          Lineage.of(run, runner.config(), runner.route().id(), runner.plan(), err)) {
        lineage.start();
        try {
          result = runner.run();
          lineage.complete(result);
        } catch (RuntimeException | OutOfMemoryError e) {
          lineage.fail(unexpected(e, runArgs));
          throw e;
        } finally {
          record.lineage(lineage.report());
        }
        lineageLine = lineage.summaryLine();
      }
      out.print(RunSummary.format(run, result, lineageLine));
    }
  }

  /**
   * Runs every table of a job, one after the other: a table that fails is reported and the next one
   * runs. The job's exit code is the worst table's ({@link Jobs#worse}).
   */
  private static ExitCode runJob(
      List<Jobs.Planned> tables,
      PrintStream out,
      PrintStream err,
      Function<String, String> env,
      List<RunRecord> records) {
    ExitCode exit = ExitCode.OK;
    List<String> failed = new ArrayList<>();
    for (Jobs.Planned table : tables) {
      try {
        runTable(table.name(), table.args(), out, err, env, records);
      } catch (RuntimeException e) {
        RunFailure failure = unexpected(e, table.args());
        err.println("lakeroute: table " + table.name() + " FAILED (" + failure.headline() + ")");
        err.println("  " + failure.getMessage().replace("\n", "\n  "));
        RunRecord last = records.isEmpty() ? null : records.get(records.size() - 1);
        if (last == null || !table.name().equals(last.table())) {
          last = new RunRecord();
          last.table(table.name());
          records.add(last);
        }
        last.failedUnlessRecorded(failure);
        exit = Jobs.worse(exit, failure.exitCode());
        failed.add(table.name() + " (exit " + failure.exitCode().code() + ")");
      }
    }
    out.println(jobLine(tables.size(), failed));
    return exit;
  }

  /** Runs a job's tables several at once, each in a JVM of its own ({@link TableProcesses}). */
  private static ExitCode runJobInProcesses(
      List<Jobs.Planned> tables,
      int parallelism,
      PrintStream out,
      PrintStream err,
      List<RunRecord> records) {
    List<ExitCode> exits;
    try {
      exits = TableProcesses.run(tables, parallelism, out, err, records);
    } catch (IllegalArgumentException e) {
      throw RunFailure.usage(e.getMessage());
    }
    ExitCode exit = ExitCode.OK;
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      exit = Jobs.worse(exit, exits.get(i));
      if (exits.get(i) != ExitCode.OK) {
        failed.add(tables.get(i).name() + " (exit " + exits.get(i).code() + ")");
      }
    }
    out.println(jobLine(tables.size(), failed));
    return exit;
  }

  private static String jobLine(int tables, List<String> failed) {
    return "Job: "
        + tables
        + (tables == 1 ? " table, " : " tables, ")
        + (failed.isEmpty()
            ? "all succeeded"
            : failed.size() + " failed: " + String.join(", ", failed));
  }

  /** {@code {logical_date}} in any value stands for the run's logical date. */
  private static String[] withLogicalDate(String[] args) {
    if (Arrays.stream(args).noneMatch(a -> a.contains(LOGICAL_DATE))) {
      return args;
    }
    LocalDate date;
    try {
      date = LogicalDates.parse(parse(args).getLogicalDate(), Clock.systemUTC()).get(0);
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    }
    return Arrays.stream(args)
        .map(a -> a.replace(LOGICAL_DATE, date.toString()))
        .toArray(String[]::new);
  }

  private static final String LOGICAL_DATE = "{logical_date}";

  /** Beam's parser with every lakeroute and S3 option registered; errors are usage failures. */
  public static RouteOptions parse(String... args) {
    PipelineOptionsFactory.register(S3Options.class);
    PipelineOptionsFactory.register(RouteOptions.class);
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(RouteOptions.class);
    } catch (IllegalArgumentException e) {
      throw RunFailure.usage(
          SecretFlags.scrub(nameTheOption(e.getMessage(), args), args)
              + " (see --help for every option)");
    }
  }

  /**
   * Beam's parser says which value it could not read ("Cannot deserialize value of type `int` from
   * String \"abc\"…") but not of which option: this names the flag that carried it.
   */
  static String nameTheOption(String message, String[] args) {
    Matcher bad = UNREADABLE.matcher(message);
    if (!bad.find()) {
      return message;
    }
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 2 && arg.substring(equals + 1).equals(bad.group(2))) {
        return arg.substring(0, equals) + "=" + bad.group(2) + " is not a valid " + bad.group(1);
      }
    }
    return message;
  }

  private static final Pattern UNREADABLE =
      Pattern.compile("Cannot deserialize value of type `([^`]+)` from \\w+ \"([^\"]*)\"");

  /**
   * The argument lists of the runs {@code args} asks for: the demo's, one per date of a {@code
   * --logicalDate} range, or {@code args} itself.
   */
  private static List<String[]> runs(String[] args, RouteOptions options) {
    List<String[]> runs =
        options.getJdbcUrl() == null
            ? EmbeddedDemo.prepare(args, options)
            : List.<String[]>of(args);
    List<LocalDate> dates;
    try {
      dates = LogicalDates.parse(options.getLogicalDate(), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    }
    if (dates.size() == 1) {
      return runs;
    }
    if (options.getRunId() != null) {
      throw RunFailure.usage(
          "--runId cannot be given with a --logicalDate range: each date is its own run, named"
              + " after its date");
    }
    List<String[]> dated = new ArrayList<>();
    for (LocalDate date : dates) {
      for (String[] run : runs) {
        List<String> withDate = new ArrayList<>();
        for (String arg : run) {
          if (!arg.startsWith("--logicalDate=")) {
            withDate.add(arg);
          }
        }
        withDate.add("--logicalDate=" + date);
        dated.add(withDate.toArray(new String[0]));
      }
    }
    return dated;
  }

  /**
   * Writes a summary saying the command is running, so that a path that cannot be written fails
   * before any data moves; returns the path, or null without one.
   */
  private static String checkSummaryPath(String path, List<RunRecord> records) {
    if (path == null) {
      return null;
    }
    try {
      writeSummary(path, RunRecord.summary(records, null));
      return path;
    } catch (IOException | RuntimeException e) {
      throw RunFailure.usage(
          "--summaryPath="
              + path
              + " cannot be written ("
              + e.getMessage()
              + "): give a file in a folder that exists and is writable. Nothing was read.");
    }
  }

  private static void writeSummary(String path, String json) throws IOException {
    ResourceId target = FileSystems.matchNewResource(Layout.localPath(path), false);
    try (WritableByteChannel channel = Staging.createReplacing(target, "application/json")) {
      channel.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /**
   * The failure to report for {@code e}: a {@link RunFailure} as it is, anything else as one line
   * (the stack trace goes to the debug log), never with a secret flag's value in it.
   */
  static RunFailure unexpected(Throwable e, String[] args) {
    RunFailure failure;
    if (e instanceof RunFailure known) {
      failure = known;
    } else if (e instanceof IllegalArgumentException) {
      failure = new RunFailure(ExitCode.USAGE, e.getMessage(), e);
    } else if (e instanceof OutOfMemoryError) {
      failure = Failures.outOfMemory(e, null);
    } else {
      LOG.debug("Unexpected failure", e);
      failure = new RunFailure(ExitCode.FAILED, String.valueOf(e), e);
    }
    String scrubbed = SecretFlags.scrub(String.valueOf(failure.getMessage()), args);
    return scrubbed.equals(failure.getMessage())
        ? failure
        : new RunFailure(failure.exitCode(), scrubbed, null, failure.step());
  }

  /**
   * {@code @path} stands for the lines of that file (blank lines and {@code #} comments skipped),
   * so that runners-config/*.args can be combined with a route's own flags.
   */
  public static String[] expandArgFiles(String[] args) {
    List<String> expanded = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("@") && arg.length() > 1) {
        try {
          for (String line : Files.readAllLines(Path.of(arg.substring(1)))) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
              expanded.add(stripped);
            }
          }
        } catch (IOException e) {
          throw new RunFailure(
              ExitCode.USAGE, "Cannot read the argument file " + arg + ": " + e, e);
        }
      } else {
        expanded.add(arg);
      }
    }
    return expanded.toArray(new String[0]);
  }
}
