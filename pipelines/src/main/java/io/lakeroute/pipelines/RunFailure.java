package io.lakeroute.pipelines;

/** A run that failed, with the class of failure that decides the exit code. */
public final class RunFailure extends RuntimeException {
  private final ExitCode exitCode;
  private final String step;

  RunFailure(ExitCode exitCode, String message, Throwable cause) {
    this(exitCode, message, cause, null);
  }

  /**
   * @param step the step that failed ({@link RunRecord#STEPS}), when the failure itself tells; the
   *     launcher knows it otherwise
   */
  RunFailure(ExitCode exitCode, String message, Throwable cause, String step) {
    super(message, cause);
    this.exitCode = exitCode;
    this.step = step;
  }

  String step() {
    return step;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
