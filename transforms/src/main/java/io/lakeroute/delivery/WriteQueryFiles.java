package io.lakeroute.delivery;

import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.formats.FileVerifier;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.QueryPartition;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.validation.ReconciliationException;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a planned query and writes one file per partition into the run's staging directory, then
 * reads every file back and reports what it holds.
 *
 * <p>Files are written only through {@code FileIO.writeDynamic().via(sink)}, one destination per
 * partition, so file names are predictable ({@code part-00003-of-00020.parquet}) and a partition is
 * never split across files. The partitions come from a source that gives each its own bundle, so
 * FileIO writes without a shuffle, one open file per bundle. Nothing is visible in the run
 * directory yet: {@link Publish} does that.
 *
 * <pre>{@code
 * PCollection<DeliveredFile> staged =
 *     pipeline.apply(WriteQueryFiles.of(plan).withFormat(FormatSpec.of(PARQUET)).to(layout));
 * }</pre>
 */
public final class WriteQueryFiles extends PTransform<PBegin, PCollection<DeliveredFile>> {
  /** Counter of files written and read back, for the progress of a run. */
  public static final String FILES_VERIFIED = "files_verified";

  /** Counter of rows found in files read back after writing. */
  public static final String ROWS_IN_FILES = "rows_in_files";

  private final QueryPlan plan;
  private final FormatSpec format;
  private final Layout layout;
  private final boolean fingerprints;

  private WriteQueryFiles(QueryPlan plan, FormatSpec format, Layout layout, boolean fingerprints) {
    super("Write query files");
    this.plan = plan;
    this.format = format;
    this.layout = layout;
    this.fingerprints = fingerprints;
  }

  /** Fingerprints are on: the rows read and every file read back are fingerprinted. */
  public static WriteQueryFiles of(QueryPlan plan) {
    if (plan == null) {
      throw new IllegalArgumentException("plan is required");
    }
    return new WriteQueryFiles(plan, null, null, true);
  }

  /**
   * Whether the rows read and the files read back are fingerprinted and compared
   * (docs/fingerprints.md); off, only counts and SHA-256 are checked.
   */
  public WriteQueryFiles withFingerprints(boolean fingerprints) {
    return new WriteQueryFiles(plan, format, layout, fingerprints);
  }

  /** The format of the files; fails here when it cannot hold a column of the query. */
  public WriteQueryFiles withFormat(FormatSpec format) {
    if (format == null) {
      throw new IllegalArgumentException("format is required");
    }
    format.check(plan.schema());
    return new WriteQueryFiles(plan, format, layout, fingerprints);
  }

  public WriteQueryFiles to(Layout layout) {
    if (layout == null) {
      throw new IllegalArgumentException("layout is required");
    }
    return new WriteQueryFiles(plan, format, layout, fingerprints);
  }

  @Override
  public PCollection<DeliveredFile> expand(PBegin begin) {
    if (format == null || layout == null) {
      throw new IllegalStateException(
          "WriteQueryFiles needs the file format (withFormat) and a layout (to)");
    }
    int count = plan.partitions().size();
    String suffix = format.suffix();
    ReadFingerprints read = fingerprints ? new ReadFingerprints(layout) : null;
    return begin
        .apply("Partitions", Read.from(new PartitionSource(plan.partitions())))
        .apply(
            "Query to files",
            FileIO.<Integer, QueryPartition>writeDynamic()
                .by(QueryPartition::index)
                .withDestinationCoder(VarIntCoder.of())
                .via(
                    new QueryFileSink(
                        plan.reader(),
                        format.sink(plan.schema()),
                        layout.stagingDirectory().toString(),
                        read))
                .to(layout.stagingDirectory().toString())
                .withTempDirectory(layout.tempDirectory().toString())
                .withNaming(index -> new PartitionNaming(index, count, suffix))
                .withCompression(format.fileCompression()))
        .getPerDestinationOutputFilenames()
        // FileIO names the files in one bundle once all are written; spread, they are read back
        // on every worker at once instead of one after the other on one.
        .apply("Spread the files", Reshuffle.viaRandomKey())
        .apply("Read back", ParDo.of(new ReadBack(format, plan.schema(), read)))
        .setCoder(SerializableCoder.of(DeliveredFile.class));
  }

  /** The file name of partition {@code index}. */
  public static String fileName(int index, int count, String suffix) {
    return String.format("part-%05d-of-%05d%s", index, count, suffix);
  }

  private static final class PartitionNaming implements FileIO.Write.FileNaming {
    private final String name;

    PartitionNaming(int index, int count, String suffix) {
      this.name = fileName(index, count, suffix);
    }

    @Override
    public String getFilename(
        org.apache.beam.sdk.transforms.windowing.BoundedWindow window,
        org.apache.beam.sdk.transforms.windowing.PaneInfo pane,
        int numShards,
        int shardIndex,
        org.apache.beam.sdk.io.Compression compression) {
      return name;
    }
  }

  /**
   * Reads each file back; with fingerprints, fails the run where the values in the file are not the
   * values read from the source, naming the file and the columns.
   */
  private static final class ReadBack extends DoFn<KV<Integer, String>, DeliveredFile> {
    private final FormatSpec format;
    private final Schema schema;
    private final ReadFingerprints read;
    private final Counter rowsInFiles =
        Metrics.counter(io.lakeroute.query.PartitionReader.METRICS_NAMESPACE, ROWS_IN_FILES);
    private final Counter filesVerified =
        Metrics.counter(io.lakeroute.query.PartitionReader.METRICS_NAMESPACE, FILES_VERIFIED);

    ReadBack(FormatSpec format, Schema schema, ReadFingerprints read) {
      this.format = format;
      this.schema = schema;
      this.read = read;
    }

    @ProcessElement
    public void process(@Element KV<Integer, String> file, OutputReceiver<DeliveredFile> out)
        throws Exception {
      ResourceId id = FileSystems.matchNewResource(file.getValue(), false);
      Fingerprint fingerprint = null;
      FileVerifier.Stats stats;
      if (read == null) {
        stats = FileVerifier.verify(format, id);
      } else {
        // The file's check, not its fingerprint: equal to the rows' check, the file holds the rows
        // read, so their fingerprint (taken once, as they were read) is the file's.
        FingerprintAccumulator inFile = FingerprintAccumulator.checkOnly(schema);
        stats = FileVerifier.verify(format, id, inFile);
        ReadFingerprints.Values asRead = read.read(file.getKey());
        checkValues(id.getFilename(), inFile.check(), asRead.check());
        fingerprint = asRead.fingerprint();
      }
      rowsInFiles.inc(stats.rows);
      filesVerified.inc();
      out.output(
          new DeliveredFile(
              file.getKey(), id.getFilename(), stats.rows, stats.bytes, stats.sha256, fingerprint));
    }
  }

  /**
   * Fails, naming the file and the columns, when the values in {@code file} are not its partition's
   * rows as they were read. A count that differs is left to {@code Reconcile}, which reports every
   * file's count.
   */
  static void checkValues(String file, Fingerprint inFile, Fingerprint read) {
    List<String> differences = inFile.differences(read);
    if (inFile.rows() == read.rows() && !differences.isEmpty()) {
      throw new ReconciliationException(
          ReconciliationException.Hop.FILES,
          "Values differ between the rows read from the source and the file written: "
              + file
              + ": "
              + String.join(", ", differences)
              + " (fingerprints, docs/fingerprints.md). Nothing was published. The file was"
              + " altered after it was written, or the format cannot hold a value exactly:"
              + " re-run the route, and report it if it happens again.");
    }
  }

  public static ResourceId resolve(ResourceId directory, String name) {
    return directory.resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }
}
