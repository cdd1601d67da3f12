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

  /** Only a connection lost mid-run is worth an automatic retry. */
  public boolean retryable() {
    return exitCode == ExitCode.TRANSIENT;
  }
}
