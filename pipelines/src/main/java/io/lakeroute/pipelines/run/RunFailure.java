package io.lakeroute.pipelines.run;

import io.lakeroute.pipelines.config.FlagVocabulary;

/**
 * A run that failed: the class of failure that decides the exit code, the step it failed in and
 * whether a retry may help; its message speaks the command line's flags. Raised where the failure
 * happens (a step, the preflight, the options), so nothing has to guess later.
 */
public final class RunFailure extends RuntimeException {
  private final ExitCode exitCode;
  private final String step;

  /** A failure before any step began, or whose step the runner knows ({@link #step()} null). */
  public RunFailure(ExitCode exitCode, String message, Throwable cause) {
    this(exitCode, message, cause, null);
  }

  /**
   * @param step the step that failed ({@link RunRecord#STEPS}), when the failure itself tells; the
   *     runner records the step it was running otherwise
   */
  public RunFailure(ExitCode exitCode, String message, Throwable cause, String step) {
    // The library names its own settings (JdbcSource.withFetchSize); a command-line user reads
    // the flag that feeds it (--fetchSize).
    super(FlagVocabulary.toFlags(message), cause);
    this.exitCode = exitCode;
    this.step = step;
  }

  /** A usage failure: an option or a combination of options that cannot work. */
  public static RunFailure usage(String message) {
    return new RunFailure(ExitCode.USAGE, message, null);
  }

  /** The step that failed, or null when the runner's current step is meant. */
  public String step() {
    return step;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /**
   * The failure's class in a line, for {@code FAILED (…)}: the exit code's meaning, and for a
   * difference between hops what its step means for the destination. The files are published before
   * the warehouse and Databricks steps run, so a difference found there leaves them published; only
   * one found in the deliver step (source, rows read, files) publishes nothing.
   */
  public String headline() {
    if (exitCode != ExitCode.RECONCILIATION || step == null) {
      return exitCode.meaning();
    }
    return switch (step) {
      case "deliver" ->
          "rows or values differ between the source, the rows read and the files; nothing was"
              + " published";
      case "load" ->
          "rows or values differ between the published files and the warehouse; the files and"
              + " manifest stay published, later steps did not run, the message says what the"
              + " table holds";
      case "databricks" ->
          "rows or values differ between the published files and Databricks; the files (and any"
              + " warehouse load) stay published, the message says what the Databricks table"
              + " holds";
      default -> exitCode.meaning();
    };
  }

  /** Only a connection lost mid-run is worth an automatic retry. */
  public boolean retryable() {
    return exitCode == ExitCode.TRANSIENT;
  }
}
