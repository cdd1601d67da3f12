package io.lakeroute.testing;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.JobStatus;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import io.lakeroute.bigquery.BigQueryServicesFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;

/**
 * The BigQuery of the tests: Beam's own fakes ({@code org.apache.beam.sdk.io.gcp.testing}), in
 * process. {@link FakeJobService} runs BigQueryIO's load jobs for real (it reads the load's files,
 * applies the write and create dispositions and inserts the rows); {@link FakeDatasetService} keeps
 * datasets and tables in static maps, so every test uses tables of its own ({@link #table}).
 *
 * <p>One addition: Google's BigQuery reports a table's row count ({@code Table.numRows}), the fake
 * does not; {@link CountingDatasetService} fills it in from the rows the fake holds.
 */
public final class LocalBigQuery {
  public static final String PROJECT = "lakeroute-test";

  private static final AtomicInteger TABLES = new AtomicInteger();

  static {
    FakeDatasetService.setUp();
  }

  private LocalBigQuery() {}

  /** Beam's fakes as one {@link BigQueryServices}. */
  public static FakeBigQueryServices services() {
    return new FakeBigQueryServices()
        .withJobService(new FakeJobService())
        .withDatasetService(new CountingDatasetService());
  }

  /** Creates {@code dataset} in {@link #PROJECT} unless it exists. */
  public static synchronized void createDataset(String dataset) {
    try {
      FakeDatasetService datasets = new FakeDatasetService();
      try {
        datasets.getDataset(PROJECT, dataset);
      } catch (IOException absent) {
        datasets.createDataset(PROJECT, dataset, "", "", null);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A table name no other test in this JVM uses: the fake's tables outlive a test. */
  public static String table(String prefix) {
    return prefix + "_" + TABLES.incrementAndGet();
  }

  public static Table getTable(String dataset, String table) {
    try {
      return new CountingDatasetService()
          .getTable(
              new TableReference().setProjectId(PROJECT).setDatasetId(dataset).setTableId(table));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<TableRow> rows(String dataset, String table) {
    try {
      return new FakeDatasetService().getAllRows(PROJECT, dataset, table);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What {@code --bigQueryServicesFactoryClass} names in route tests. */
  public static final class Factory implements BigQueryServicesFactory {
    @Override
    public BigQueryServices create() {
      return services();
    }
  }

  /**
   * Beam's fakes, except that every load job ends as BigQuery ends a load that rejects rows:
   * FAILED, with BigQuery's error text, the table untouched. The fake itself never rejects a row.
   */
  public static final class RefusingFactory implements BigQueryServicesFactory {
    public static final String ERROR =
        "Error while reading data, error message: JSON table encountered too many errors, giving"
            + " up. Rows: 1; errors: 1.";

    @Override
    public BigQueryServices create() {
      return services().withJobService(new RefusingJobService());
    }
  }

  /** Accepts load jobs and fails them without running them; other jobs go to Beam's fake. */
  private static final class RefusingJobService extends FakeJobService {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Job> LOADS = new ConcurrentHashMap<>();

    @Override
    public void startLoadJob(JobReference jobRef, JobConfigurationLoad loadConfig) {
      LOADS.put(
          jobRef.getProjectId() + ":" + jobRef.getJobId(),
          new Job()
              .setJobReference(jobRef)
              .setConfiguration(new JobConfiguration().setLoad(loadConfig))
              .setStatus(
                  new JobStatus()
                      .setState("DONE")
                      .setErrorResult(
                          new ErrorProto()
                              .setReason("invalid")
                              .setMessage(RefusingFactory.ERROR))));
    }

    @Override
    public Job pollJob(JobReference jobRef, int maxAttempts) throws InterruptedException {
      Job load = load(jobRef);
      return load != null ? load : super.pollJob(jobRef, maxAttempts);
    }

    @Override
    public Job getJob(JobReference jobRef) {
      Job load = load(jobRef);
      return load != null ? load : super.getJob(jobRef);
    }

    /** As Google's client returns it: parsed from JSON, so that it prints as JSON. */
    private static Job load(JobReference jobRef) {
      Job load = LOADS.get(jobRef.getProjectId() + ":" + jobRef.getJobId());
      if (load == null) {
        return null;
      }
      try {
        GsonFactory json = GsonFactory.getDefaultInstance();
        return json.fromString(json.toString(load), Job.class);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Beam's fake, reporting {@code numRows} as Google's BigQuery does. */
  public static final class CountingDatasetService extends FakeDatasetService {
    private static final long serialVersionUID = 1L;

    @Override
    public Table getTable(TableReference ref) throws InterruptedException, IOException {
      Table table = super.getTable(ref);
      if (table == null) {
        return null;
      }
      long rows = getAllRows(ref.getProjectId(), ref.getDatasetId(), ref.getTableId()).size();
      return table.clone().setNumRows(BigInteger.valueOf(rows));
    }
  }
}
