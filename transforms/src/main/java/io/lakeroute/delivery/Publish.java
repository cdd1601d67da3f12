package io.lakeroute.delivery;

import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.Cursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;

/**
 * Makes a verified run visible: moves the staged files into the run directory, checks their sizes
 * there, writes the manifest and, last, the done marker. A reader that waits for the marker never
 * sees a partial run. Re-publishing the same run id replaces its files; the previous marker is
 * removed first, so a crash half-way leaves a run directory without a marker, never a mix that
 * looks complete.
 *
 * <pre>{@code
 * PCollection<Manifest> manifest = checked.apply(Publish.to(layout).withFormat(spec).withSchema(s));
 * }</pre>
 */
public final class Publish
    extends PTransform<PCollection<List<DeliveredFile>>, PCollection<Manifest>> {
  private final Layout layout;
  private final FormatSpec format;
  private final Schema schema;
  private final Cursor.Range cursorRange;
  private final String partitionColumn;

  private Publish(
      Layout layout,
      FormatSpec format,
      Schema schema,
      Cursor.Range cursorRange,
      String partitionColumn) {
    super("Publish");
    this.layout = layout;
    this.format = format;
    this.schema = schema;
    this.cursorRange = cursorRange;
    this.partitionColumn = partitionColumn;
  }

  public static Publish to(Layout layout) {
    if (layout == null) {
      throw new IllegalArgumentException("layout is required");
    }
    return new Publish(layout, null, null, null, null);
  }

  public Publish withFormat(FormatSpec format) {
    return new Publish(layout, format, schema, cursorRange, partitionColumn);
  }

  public Publish withSchema(Schema schema) {
    return new Publish(layout, format, schema, cursorRange, partitionColumn);
  }

  /** The cursor range an incremental run read, recorded in the manifest as the next run's mark. */
  public Publish withCursorRange(Cursor.Range range) {
    return new Publish(layout, format, schema, range, partitionColumn);
  }

  /**
   * The run's partition column, recorded in the manifest as the key later hops name differing rows
   * by when no merge keys are given; null or a column the schema does not have records none.
   */
  public Publish withPartitionColumn(String column) {
    return new Publish(layout, format, schema, cursorRange, column);
  }

  @Override
  public PCollection<Manifest> expand(PCollection<List<DeliveredFile>> files) {
    if (format == null || schema == null) {
      throw new IllegalStateException(
          "Publish needs the file format (withFormat) and the schema (withSchema)");
    }
    return files
        .apply(
            "Move, manifest, marker",
            ParDo.of(
                new PublishFn(
                    layout, format, schema, cursorRange, schemaName(schema, partitionColumn))))
        .setCoder(SerializableCoder.of(Manifest.class));
  }

  /** {@code column} as {@code schema} spells it (a source folds unquoted names), or null. */
  static String schemaName(Schema schema, String column) {
    if (column == null) {
      return null;
    }
    return schema.getFieldNames().stream()
        .filter(name -> name.equalsIgnoreCase(column))
        .findFirst()
        .orElse(null);
  }

  private static final class PublishFn extends DoFn<List<DeliveredFile>, Manifest> {
    private final Layout layout;
    private final FormatSpec format;
    private final Schema schema;
    private final Cursor.Range cursorRange;
    private final String partitionColumn;

    PublishFn(
        Layout layout,
        FormatSpec format,
        Schema schema,
        Cursor.Range cursorRange,
        String partitionColumn) {
      this.layout = layout;
      this.format = format;
      this.schema = schema;
      this.cursorRange = cursorRange;
      this.partitionColumn = partitionColumn;
    }

    @ProcessElement
    public void process(@Element List<DeliveredFile> files, OutputReceiver<Manifest> out)
        throws IOException {
      out.output(publish(layout, format, schema, cursorRange, partitionColumn, files));
    }
  }

  /**
   * The manifest a run would publish, from its plan: the file names and columns are exact, rows are
   * the planner's estimates, bytes and checksums are unknown (0 and null). For a dry run.
   */
  public static Manifest planned(
      Layout layout, FormatSpec format, Schema schema, List<Long> estimatedRows) {
    List<Manifest.FileEntry> entries = new ArrayList<>();
    int count = estimatedRows.size();
    for (int i = 0; i < count; i++) {
      String name = WriteQueryFiles.fileName(i, count, format.suffix());
      entries.add(
          new Manifest.FileEntry(
              name,
              WriteQueryFiles.resolve(layout.runDirectory(), name).toString(),
              estimatedRows.get(i),
              0,
              null));
    }
    return new Manifest(
        Manifest.VERSION,
        layout.runId(),
        Instant.now().toString(),
        layout.runDirectory().toString(),
        format.format().id(),
        format.codec(),
        Manifest.csvOf(format),
        estimatedRows.stream().mapToLong(Long::longValue).sum(),
        count,
        0,
        Manifest.columnsOf(schema),
        entries);
  }

  static Manifest publish(
      Layout layout,
      FormatSpec format,
      Schema schema,
      Cursor.Range cursorRange,
      String partitionColumn,
      List<DeliveredFile> files)
      throws IOException {
    FileSystems.delete(
        List.of(layout.completeMarker(), layout.doneMarker(), layout.manifest()),
        StandardMoveOptions.IGNORE_MISSING_FILES);
    ResourceId staging = layout.stagingDirectory();
    ResourceId run = layout.runDirectory();
    List<ResourceId> sources = new ArrayList<>();
    List<ResourceId> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (DeliveredFile file : files) {
      sources.add(WriteQueryFiles.resolve(staging, file.name()));
      targets.add(WriteQueryFiles.resolve(run, file.name()));
      names.add(file.name());
    }
    // A retried publish finds some files already moved.
    FileSystems.rename(sources, targets, StandardMoveOptions.IGNORE_MISSING_FILES);
    removeStale(run, names);

    List<Manifest.FileEntry> entries = new ArrayList<>();
    long bytes = 0;
    long rows = 0;
    Fingerprint fingerprint = files.isEmpty() ? null : Fingerprint.empty(schema.getFieldNames());
    for (int i = 0; i < files.size(); i++) {
      DeliveredFile file = files.get(i);
      MatchResult.Metadata published = FileSystems.matchSingleFileSpec(targets.get(i).toString());
      if (published.sizeBytes() != file.bytes()) {
        throw new IOException(
            targets.get(i)
                + " holds "
                + published.sizeBytes()
                + " bytes after publishing, "
                + file.bytes()
                + " were verified in staging: re-run the route");
      }
      entries.add(
          new Manifest.FileEntry(
              file.name(),
              targets.get(i).toString(),
              file.rows(),
              file.bytes(),
              file.sha256(),
              file.fingerprint()));
      fingerprint =
          fingerprint == null || file.fingerprint() == null
              ? null
              : fingerprint.merge(file.fingerprint());
      bytes += file.bytes();
      rows += file.rows();
    }
    Manifest manifest =
        new Manifest(
            Manifest.VERSION,
            layout.runId(),
            Instant.now().toString(),
            run.toString(),
            format.format().id(),
            format.codec(),
            Manifest.csvOf(format),
            rows,
            entries.size(),
            bytes,
            Manifest.columnsOf(schema),
            entries,
            fingerprint,
            cursorRange,
            partitionColumn);
    String json = manifest.toJson();
    write(layout.manifest(), json);
    write(
        layout.doneMarker(),
        "{\"runId\":\""
            + layout.runId()
            + "\",\"rows\":"
            + rows
            + ",\"manifestSha256\":\""
            + sha256(json)
            + "\"}\n");
    Staging.clean(layout);
    return manifest;
  }

  private static void removeStale(ResourceId run, Set<String> keep) throws IOException {
    MatchResult match = FileSystems.match(run.toString() + "*");
    if (match.status() != MatchResult.Status.OK) {
      return;
    }
    List<ResourceId> stale = new ArrayList<>();
    for (MatchResult.Metadata metadata : match.metadata()) {
      String name = metadata.resourceId().getFilename();
      if (name != null && !keep.contains(name) && !metadata.resourceId().isDirectory()) {
        stale.add(metadata.resourceId());
      }
    }
    FileSystems.delete(stale, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /**
   * Marks the published run complete once its later steps ({@code steps}) succeeded: a job re-run
   * for the same run id skips it, and incremental runs take their high-water mark only from
   * complete runs, so a run whose load failed is read again rather than skipped.
   */
  public static void markComplete(Layout layout, List<String> steps) throws IOException {
    write(
        layout.completeMarker(),
        "{\"runId\":\""
            + layout.runId()
            + "\",\"steps\":["
            + String.join(",", steps.stream().map(step -> "\"" + step + "\"").toList())
            + "],\"completedAt\":\""
            + Instant.now()
            + "\"}\n");
  }

  static void write(ResourceId file, String text) throws IOException {
    try (WritableByteChannel channel = Staging.createReplacing(file, MimeTypes.TEXT)) {
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
