package io.lakeroute.delivery;

import java.io.Serializable;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where a run's files live under a destination, one layout for every store Beam has a filesystem
 * for ({@code file://}, {@code s3://}, {@code azfs://}, {@code gs://}):
 *
 * <pre>
 * destination/
 *   RUN_ID/part-00000-of-00004.parquet …   published data files
 *   RUN_ID/_manifest.json                   written after every data file
 *   RUN_ID/_SUCCESS                         written last by the publish: the files are complete
 *   RUN_ID/_COMPLETE                        written once every later step (load, Databricks) succeeded
 *   _lakeroute_staging/RUN_ID/              files being written and verified, never read
 *   _lakeroute_leases/RUN_ID.json           held while a run of RUN_ID is in progress ({@link RunLease})
 * </pre>
 *
 * Names starting with {@code _} are hidden from Spark and Databricks readers of the destination.
 */
public final class Layout implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=-]{0,127}");

  public static final String MANIFEST = "_manifest.json";
  public static final String DONE_MARKER = "_SUCCESS";
  public static final String COMPLETE_MARKER = "_COMPLETE";
  static final String STAGING = "_lakeroute_staging";
  static final String LEASES = "_lakeroute_leases";

  private final String destination;
  private final String runId;

  private Layout(String destination, String runId) {
    this.destination = destination;
    this.runId = runId;
  }

  /**
   * The layout of {@code runId} under {@code destination}, a URI ({@code s3://bucket/prefix}) or a
   * local path. The filesystem of its scheme must be registered ({@link
   * FileSystems#setDefaultPipelineOptions}).
   */
  public static Layout of(String destination, String runId) {
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException(
          "The destination is required: a URI such as s3://bucket/prefix or file:///tmp/out");
    }
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "The run id '"
              + runId
              + "' is not valid: use letters, digits and . _ = - (at most 128), starting with a"
              + " letter or digit");
    }
    String normalized = localPath(destination.strip());
    while (normalized.endsWith("/") && !normalized.endsWith(":///") && normalized.length() > 1) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    try {
      FileSystems.matchNewResource(normalized, true);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "The destination "
              + destination
              + " is not a location lakeroute can write: "
              + e.getMessage()
              + " (use file://, s3://, azfs:// or gs://)",
          e);
    }
    return new Layout(normalized, runId);
  }

  /**
   * Beam's local filesystem takes plain paths and would read {@code file:///tmp/x} as a relative
   * path named {@code file:}; a relative path would depend on each worker's directory. Other URIs
   * are returned as they are.
   */
  public static String localPath(String destination) {
    if (destination.regionMatches(true, 0, "file:", 0, 5)) {
      return java.nio.file.Paths.get(java.net.URI.create(destination)).toString();
    }
    if (!destination.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return java.nio.file.Paths.get(destination).toAbsolutePath().normalize().toString();
    }
    return destination;
  }

  public String destination() {
    return destination;
  }

  public String runId() {
    return runId;
  }

  public ResourceId root() {
    return FileSystems.matchNewResource(destination, true);
  }

  /** Where published files of this run live. */
  public ResourceId runDirectory() {
    return root().resolve(runId, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** Where this run's files are written and verified before they are published. */
  public ResourceId stagingDirectory() {
    return root()
        .resolve(STAGING, StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(runId, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** FileIO's own temporary files, inside the staging directory. */
  public ResourceId tempDirectory() {
    return stagingDirectory().resolve(".temp", StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** The lease a run of this run id holds while it is in progress ({@link RunLease}). */
  public ResourceId lease() {
    return root()
        .resolve(LEASES, StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(runId + ".json", StandardResolveOptions.RESOLVE_FILE);
  }

  public ResourceId manifest() {
    return runDirectory().resolve(MANIFEST, StandardResolveOptions.RESOLVE_FILE);
  }

  public ResourceId doneMarker() {
    return runDirectory().resolve(DONE_MARKER, StandardResolveOptions.RESOLVE_FILE);
  }

  /** Written when the run's last step succeeded: the run needs no re-run ({@link Publish}). */
  public ResourceId completeMarker() {
    return runDirectory().resolve(COMPLETE_MARKER, StandardResolveOptions.RESOLVE_FILE);
  }

  /** A glob of the complete markers of every run under the destination. */
  public String completeMarkers() {
    return root()
        .resolve("*", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(COMPLETE_MARKER, StandardResolveOptions.RESOLVE_FILE)
        .toString();
  }

  @Override
  public String toString() {
    return runDirectory().toString();
  }
}
