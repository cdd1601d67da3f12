package io.lakeroute.delivery;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The staging area of a run: probed before anything is read, emptied after publish or failure. */
public final class Staging {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

  private Staging() {}

  /**
   * Writes and deletes a probe object in the run's staging directory, so that a missing bucket or
   * container, a wrong credential or a read-only location fails before the query runs.
   */
  public static void checkWritable(Layout layout) {
    ResourceId probe =
        layout.stagingDirectory().resolve("_probe", StandardResolveOptions.RESOLVE_FILE);
    try {
      try (WritableByteChannel channel = createReplacing(probe, MimeTypes.BINARY)) {
        channel.write(java.nio.ByteBuffer.wrap(new byte[] {'o', 'k'}));
      }
      FileSystems.delete(List.of(probe), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      String explained = GcsErrors.explain(e, layout.destination());
      if (explained == null) {
        explained = AzureErrors.explain(e, layout.destination());
      }
      if (explained == null) {
        explained = S3Errors.explain(e);
      }
      throw new DeliveryException(
          "Cannot write to the destination "
              + layout.destination()
              + ": "
              + (explained != null
                  ? explained
                  : rootMessage(e)
                      + ". Check that the bucket or container exists, that the path is writable"
                      + " and that the store's credentials and endpoint options are right."),
          e);
    }
  }

  /**
   * Creates {@code file}, replacing an existing one. Beam's azfs filesystem refuses to create a
   * blob that exists, so whatever a crashed or earlier run left under the same name goes first.
   */
  public static WritableByteChannel createReplacing(ResourceId file, String mimeType)
      throws IOException {
    FileSystems.delete(List.of(file), StandardMoveOptions.IGNORE_MISSING_FILES);
    return FileSystems.create(file, mimeType);
  }

  /** Deletes whatever is left in the run's staging directory; failures are only logged. */
  public static void clean(Layout layout) {
    try {
      if ("file".equals(layout.stagingDirectory().getScheme())) {
        deleteLocalDirectories(layout);
        return;
      }
      MatchResult match = FileSystems.match(layout.stagingDirectory().toString() + "**");
      if (match.status() != MatchResult.Status.OK) {
        return;
      }
      List<ResourceId> leftovers = new ArrayList<>();
      for (MatchResult.Metadata metadata : match.metadata()) {
        leftovers.add(metadata.resourceId());
      }
      FileSystems.delete(leftovers, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not clean staging {}: {}", layout.stagingDirectory(), e.toString());
    }
  }

  /**
   * Cleans a failed run's staging until it stays empty for half a second, for at most five: a
   * runner reports the first failure while other workers may still be finishing their bundles (the
   * Direct runner does not wait for them), and one may write a file, such as a partition's read
   * fingerprint, after the first clean. What a worker writes later still is removed by the next run
   * of the run id.
   */
  public static void cleanAfterFailure(Layout layout) {
    clean(layout);
    int quiet = 0;
    for (int tries = 0; quiet < 2 && tries < 20; tries++) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (isEmpty(layout)) {
        quiet++;
      } else {
        quiet = 0;
        clean(layout);
      }
    }
  }

  private static boolean isEmpty(Layout layout) {
    try {
      MatchResult match = FileSystems.match(layout.stagingDirectory().toString() + "**");
      return match.status() != MatchResult.Status.OK
          || match.metadata().stream().allMatch(m -> m.resourceId().isDirectory());
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /**
   * Deletes the staging folders of other runs whose newest file is older than {@code retention}:
   * leftovers of runs that crashed before they could clean up. A younger folder may belong to a run
   * in progress (another date of a parallel backfill) and is left alone; so is this run's own,
   * which the run replaces.
   */
  public static void cleanAbandoned(Layout layout, Duration retention) {
    ResourceId root =
        layout.root().resolve(Layout.STAGING, StandardResolveOptions.RESOLVE_DIRECTORY);
    Map<String, Long> newest = new HashMap<>();
    try {
      MatchResult match = FileSystems.match(root.toString() + "**");
      if (match.status() != MatchResult.Status.OK) {
        return;
      }
      String prefix = root.toString();
      for (MatchResult.Metadata file : match.metadata()) {
        String relative = file.resourceId().toString().substring(prefix.length());
        int slash = relative.indexOf('/');
        if (slash > 0) {
          newest.merge(relative.substring(0, slash), file.lastModifiedMillis(), Math::max);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not look for abandoned staging folders under {}: {}", root, e.toString());
      return;
    }
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    for (Map.Entry<String, Long> run : newest.entrySet()) {
      // A store that reports no modification time (0) never has its folders deleted.
      // A run that renews its lease is in progress, however long its files stay untouched.
      if (!run.getKey().equals(layout.runId())
          && run.getValue() > 0
          && run.getValue() < cutoff
          && !RunLease.heldByLiveRun(Layout.of(layout.destination(), run.getKey()))) {
        LOG.info(
            "Deleting the staging folder of run {}, untouched since {}: a crashed run's leftovers",
            run.getKey(),
            java.time.Instant.ofEpochMilli(run.getValue()));
        clean(Layout.of(layout.destination(), run.getKey()));
      }
    }
  }

  /**
   * Object stores have no directories, but a local filesystem keeps them, FileIO's hidden {@code
   * .temp-beam-…} ones among them, which Beam's match does not list: removes the run's staging
   * directory with everything in it, and the staging root once no other run uses it.
   */
  private static void deleteLocalDirectories(Layout layout) throws IOException {
    ResourceId staging = layout.stagingDirectory();
    // Beam names a local resource by its plain path, not by a file: URI.
    java.nio.file.Path path = java.nio.file.Paths.get(Layout.localPath(staging.toString()));
    if (java.nio.file.Files.exists(path)) {
      try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(path)) {
        for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
    }
    java.nio.file.Path parent = path.getParent();
    try (java.util.stream.Stream<java.nio.file.Path> rest = java.nio.file.Files.list(parent)) {
      if (rest.findAny().isEmpty()) {
        java.nio.file.Files.deleteIfExists(parent);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // already gone
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
