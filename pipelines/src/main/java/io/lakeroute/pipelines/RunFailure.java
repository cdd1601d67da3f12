package io.lakeroute.pipelines;

/** A run that failed, with the class of failure that decides the exit code. */
public final class RunFailure extends RuntimeException {
  private final ExitCode exitCode;

  RunFailure(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
