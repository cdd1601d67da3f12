package io.lakeroute.pipelines.launch;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Staging;
import io.lakeroute.pipelines.config.LogicalDates;
import io.lakeroute.pipelines.demo.EmbeddedDemo;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
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
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What a command line asks for, run by run: {@code --help}, {@code @file} arguments, the embedded
 * demo (one run per format), a {@code --logicalDate} range (one run per date), dry runs; each run's
 * one-screen summary, and the JSON summary of them all, written also when a run fails.
 */
public final class Launcher {
  private Launcher() {}

  public static ExitCode launch(
      String[] given, PrintStream out, PrintStream err, Function<String, String> env) {
    if (List.of(given).contains("--help") || List.of(given).contains("-h")) {
      Help.print(out);
      return ExitCode.OK;
    }
    List<RunRecord> records = new ArrayList<>();
    String summaryPath = null;
    ExitCode exit = ExitCode.OK;
    try {
      String[] args = expandArgFiles(given);
      RouteOptions options = parse(args);
      summaryPath = options.getSummaryPath();
      for (String[] runArgs : runs(args, options)) {
        RouteOptions run = parse(runArgs);
        if (run.getDryRun()) {
          out.print(DryRun.describe(run, env));
          continue;
        }
        RunRecord record = new RunRecord();
        records.add(record);
        RouteResult result = RouteRunner.prepare(run, env, record).run();
        out.print(RunSummary.format(run, result));
      }
    } catch (RunFailure failure) {
      err.println("lakeroute: FAILED (" + failure.exitCode().meaning() + ")");
      err.println("  " + failure.getMessage().replace("\n", "\n  "));
      exit = failure.exitCode();
    }
    if (summaryPath != null) {
      exit = writeSummary(summaryPath, RunRecord.summary(records, exit), exit, err);
    }
    return exit;
  }

  /** Beam's parser with every lakeroute and S3 option registered; errors are usage failures. */
  public static RouteOptions parse(String... args) {
    PipelineOptionsFactory.register(S3Options.class);
    PipelineOptionsFactory.register(RouteOptions.class);
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(RouteOptions.class);
    } catch (IllegalArgumentException e) {
      throw RunFailure.usage(e.getMessage() + " (see --help for every option)");
    }
  }

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

  private static ExitCode writeSummary(String path, String json, ExitCode exit, PrintStream err) {
    try {
      ResourceId target = FileSystems.matchNewResource(Layout.localPath(path), false);
      try (WritableByteChannel channel = Staging.createReplacing(target, "application/json")) {
        channel.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
      }
      return exit;
    } catch (IOException | RuntimeException e) {
      err.println("lakeroute: cannot write --summaryPath=" + path + ": " + e);
      return exit == ExitCode.OK ? ExitCode.USAGE : exit;
    }
  }

  /**
   * {@code @path} stands for the lines of that file (blank lines and {@code #} comments skipped),
   * so that runners-config/*.args can be combined with a route's own flags.
   */
  static String[] expandArgFiles(String[] args) {
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
