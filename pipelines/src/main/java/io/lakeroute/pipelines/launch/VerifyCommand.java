package io.lakeroute.pipelines.launch;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.config.Stores;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.validation.VerifyPublished;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.Function;

/**
 * {@code lakeroute verify --destination=… --runId=…}: re-checks a published run, with the same
 * store options as the run, against its manifest: every file's rows, bytes, SHA-256 and the
 * fingerprint of its values (docs/fingerprints.md). Exit 0 when all match, 7 when any differs,
 * naming the file and the columns.
 */
final class VerifyCommand {
  static final String NAME = "verify";

  private VerifyCommand() {}

  static ExitCode run(
      String[] given, PrintStream out, PrintStream err, Function<String, String> env) {
    try {
      String[] args = Launcher.expandArgFiles(Arrays.copyOfRange(given, 1, given.length));
      SecretFlags.refuse(args);
      RouteOptions options = Launcher.parse(args);
      if (options.getRunId() == null) {
        throw RunFailure.usage(
            "verify needs --runId: the id of the published run, its folder under --destination");
      }
      Layout layout;
      try {
        layout = Layout.of(options.getDestination(), options.getRunId());
        Stores.configure(options, options.getDestination(), env);
      } catch (IllegalArgumentException e) {
        throw RunFailure.usage(e.getMessage());
      }
      Manifest manifest = published(layout);
      VerifyPublished.Result result;
      try {
        result = VerifyPublished.of(manifest);
      } catch (IOException | RuntimeException e) {
        throw new RunFailure(
            ExitCode.DELIVERY, "Cannot verify " + layout.runDirectory() + ": " + e.getMessage(), e);
      }
      if (!result.differences().isEmpty()) {
        err.println("lakeroute verify: FAILED (" + ExitCode.RECONCILIATION.meaning() + ")");
        err.println("  " + layout.runDirectory() + " is not what its manifest says:");
        result.differences().forEach(d -> err.println("  " + d));
        return ExitCode.RECONCILIATION;
      }
      out.println("lakeroute verify: OK");
      out.printf("  run       %s%n", layout.runDirectory());
      out.printf(
          "  files     %d, %,d rows: rows, bytes and SHA-256 as the manifest says%n",
          result.files(), result.rows());
      out.printf(
          "  values    %s%n",
          result.fingerprinted()
              ? "every column's fingerprint as the manifest says"
              : "not checked: the manifest has no fingerprints");
      return ExitCode.OK;
    } catch (RunFailure failure) {
      err.println("lakeroute verify: FAILED (" + failure.exitCode().meaning() + ")");
      err.println("  " + failure.getMessage());
      return failure.exitCode();
    }
  }

  private static Manifest published(Layout layout) {
    try {
      return Manifest.published(layout)
          .orElseThrow(
              () ->
                  RunFailure.usage(
                      "No published run at "
                          + layout.runDirectory()
                          + " (no "
                          + Layout.DONE_MARKER
                          + "): check --destination and --runId"));
    } catch (IOException e) {
      throw new RunFailure(
          ExitCode.DELIVERY,
          "Cannot read the manifest of " + layout.runDirectory() + ": " + e.getMessage(),
          e);
    }
  }
}
