package io.lakeroute.pipelines.launch;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.pipelines.config.FlagVocabulary;
import io.lakeroute.pipelines.config.Stores;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.PublishedHop;
import io.lakeroute.pipelines.routes.Routes;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.Failures;
import io.lakeroute.pipelines.run.RunFailure;
import io.lakeroute.validation.VerifyPublished;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * {@code lakeroute verify --destination=… --runId=…}: re-checks a published run, with the same
 * store options as the run, against its manifest: every file's rows, bytes, SHA-256 and the
 * fingerprint of its values (docs/fingerprints.md); with the route's warehouse, BigQuery or
 * Databricks options (the run's, without what only a load needs), the rows of the run there too, by
 * the fingerprint query the run used. Exit 0 when all match, 7 when any differs, naming the file or
 * the hop's table and the columns, in the words of a run.
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
      List<PublishedHop> hops;
      try {
        hops = Routes.of(options.getRoute()).published(options, env);
      } catch (IllegalArgumentException e) {
        throw RunFailure.usage(e.getMessage());
      }
      VerifyPublished.Result result;
      try {
        result = VerifyPublished.of(manifest);
      } catch (IOException | RuntimeException e) {
        throw new RunFailure(
            ExitCode.DELIVERY, "Cannot verify " + layout.runDirectory() + ": " + e.getMessage(), e);
      }
      List<String> differences = new ArrayList<>(result.differences());
      List<String> checked = new ArrayList<>();
      for (PublishedHop hop : hops) {
        String line = String.format("%-10s ", hop.name());
        try {
          line += hop.rows(manifest) + ": ";
          checked.add(line + said(hop.verify(manifest)));
        } catch (IllegalArgumentException e) {
          // The hop cannot be re-checked from this manifest (said why), or cannot hold this run.
          checked.add(line + "not re-checked: " + FlagVocabulary.toFlags(e.getMessage()));
        } catch (RuntimeException e) {
          RunFailure failure = Failures.classify(e, hop.name());
          if (failure.exitCode() != ExitCode.RECONCILIATION) {
            throw failure;
          }
          differences.add(hop.name() + ": " + failure.getMessage());
        }
      }
      if (!differences.isEmpty()) {
        err.println("lakeroute verify: FAILED (" + ExitCode.RECONCILIATION.meaning() + ")");
        err.println("  " + layout.runDirectory() + " is not what its manifest says:");
        differences.forEach(d -> err.println("  " + d));
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
      checked.forEach(line -> out.println("  " + line));
      return ExitCode.OK;
    } catch (RunFailure failure) {
      err.println("lakeroute verify: FAILED (" + failure.exitCode().meaning() + ")");
      err.println("  " + failure.getMessage());
      return failure.exitCode();
    }
  }

  /** What a hop's check showed, in the words of the files' line. */
  private static String said(ValuesCheck.Result values) {
    if (!values.checked()) {
      return "values not checked: the manifest has no fingerprints";
    }
    if (values.leftOut().isEmpty()) {
      return "every column's fingerprint as the manifest says";
    }
    return values.summary();
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
