package io.lakeroute.pipelines;

import io.lakeroute.pipelines.launch.Launcher;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.pipelines.run.RouteRunner;
import io.lakeroute.pipelines.run.RunRecord;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * The one entry point: {@code --route=…} plus the route's options and Beam's own ({@code
 * --runner=DirectRunner|SparkRunner}). {@link #main} parses, runs and maps the outcome to an exit
 * code, and nothing else; {@link #run} does the work of one run and is what tests call.
 */
public final class Lakeroute {
  private Lakeroute() {}

  public static void main(String[] args) {
    Thread.setDefaultUncaughtExceptionHandler(Launcher::haltOnError);
    System.exit(launch(args, System.out, System.err).code());
  }

  /** Everything a command line asks for (runs, a backfill, the demo), printed to out and err. */
  public static ExitCode launch(String[] args, PrintStream out, PrintStream err) {
    return Launcher.launch(args, out, err, System::getenv);
  }

  /** Beam's parser with every lakeroute option registered; errors are usage failures. */
  public static RouteOptions parse(String... args) {
    return Launcher.parse(args);
  }

  /**
   * Runs the route {@code options} describe, once.
   *
   * @throws io.lakeroute.pipelines.run.RunFailure when it fails, with its exit code and step
   */
  public static RouteResult run(RouteOptions options) {
    return run(options, System::getenv);
  }

  /** As {@link #run(RouteOptions)}, with {@code env} looking up the environment's variables. */
  public static RouteResult run(RouteOptions options, Function<String, String> env) {
    return RouteRunner.prepare(options, env, new RunRecord()).run();
  }
}
