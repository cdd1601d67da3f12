package io.lakeroute.validation;

import io.lakeroute.delivery.DeliveredFile;
import io.lakeroute.query.PartitionReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Fails the pipeline, PAssert-style, unless the files read back hold exactly the rows the query
 * returned. Passes the complete, ordered file list on when they do. The failure names every count
 * and the partitions where they diverge.
 *
 * <pre>{@code
 * PCollection<List<DeliveredFile>> checked = staged.apply(Reconcile.expecting(plan.rowCount()));
 * }</pre>
 */
public final class Reconcile
    extends PTransform<PCollection<DeliveredFile>, PCollection<List<DeliveredFile>>> {
  /** Gauge of the rows the query returned, as the planner counted them. */
  public static final String QUERY_ROWS = "query_rows";

  private final long expectedRows;
  private final List<Long> plannedPerPartition;

  private Reconcile(long expectedRows, List<Long> plannedPerPartition) {
    super("Reconcile counts");
    this.expectedRows = expectedRows;
    this.plannedPerPartition = plannedPerPartition;
  }

  /** Expect {@code rows} rows in all the files together. */
  public static Reconcile expecting(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("expected rows must be 0 or more");
    }
    return new Reconcile(rows, List.of());
  }

  /** The planner's count per partition, named in the failure message where a partition differs. */
  public Reconcile withPlannedPartitions(List<Long> planned) {
    return new Reconcile(expectedRows, List.copyOf(planned));
  }

  @Override
  public PCollection<List<DeliveredFile>> expand(PCollection<DeliveredFile> files) {
    return files
        .apply("All files", Combine.globally(new ToSortedList()))
        .setCoder(ListCoder.of(SerializableCoder.of(DeliveredFile.class)))
        .apply("Check", ParDo.of(new Check(expectedRows, plannedPerPartition)))
        .setCoder(ListCoder.of(SerializableCoder.of(DeliveredFile.class)));
  }

  private static final class Check extends DoFn<List<DeliveredFile>, List<DeliveredFile>> {
    private final long expectedRows;
    private final List<Long> planned;

    Check(long expectedRows, List<Long> planned) {
      this.expectedRows = expectedRows;
      this.planned = planned;
    }

    @ProcessElement
    public void process(
        @Element List<DeliveredFile> files, OutputReceiver<List<DeliveredFile>> out) {
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, QUERY_ROWS).set(expectedRows);
      long inFiles = files.stream().mapToLong(DeliveredFile::rows).sum();
      if (inFiles != expectedRows || (!planned.isEmpty() && files.size() != planned.size())) {
        throw new ReconciliationException(
            ReconciliationException.Hop.FILES, message(files, inFiles));
      }
      out.output(files);
    }

    private String message(List<DeliveredFile> files, long inFiles) {
      StringBuilder text =
          new StringBuilder("Row counts differ: the query returned ")
              .append(expectedRows)
              .append(" rows, the ")
              .append(files.size())
              .append(" files written hold ")
              .append(inFiles)
              .append(" (difference ")
              .append(inFiles - expectedRows)
              .append("). Nothing was published.");
      for (DeliveredFile file : files) {
        long plan = file.partition() < planned.size() ? planned.get(file.partition()) : -1;
        if (plan >= 0 && plan != file.rows()) {
          text.append(
              String.format(
                  "%n  %s: %d rows, the planner counted %d", file.name(), file.rows(), plan));
        }
      }
      if (!planned.isEmpty() && files.size() != planned.size()) {
        text.append(
            String.format(
                "%n  %d partitions were planned, %d files arrived", planned.size(), files.size()));
      }
      text.append(
          String.format(
              "%n  The source changed during the run, or a file was lost or altered: re-run it."));
      return text.toString();
    }
  }

  /** Collects every file, ordered by partition. */
  private static final class ToSortedList
      extends Combine.CombineFn<DeliveredFile, List<DeliveredFile>, List<DeliveredFile>> {
    @Override
    public List<DeliveredFile> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<DeliveredFile> addInput(List<DeliveredFile> files, DeliveredFile file) {
      files.add(file);
      return files;
    }

    @Override
    public List<DeliveredFile> mergeAccumulators(Iterable<List<DeliveredFile>> accumulators) {
      List<DeliveredFile> all = new ArrayList<>();
      accumulators.forEach(all::addAll);
      return all;
    }

    @Override
    public List<DeliveredFile> extractOutput(List<DeliveredFile> files) {
      List<DeliveredFile> sorted = new ArrayList<>(files);
      sorted.sort(Comparator.comparingInt(DeliveredFile::partition));
      return sorted;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<DeliveredFile>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<DeliveredFile> inputCoder) {
      return ListCoder.of(inputCoder);
    }
  }
}
