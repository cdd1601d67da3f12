package io.lakeroute.bigquery;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.Data;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auth.Credentials;
import com.google.auth.http.HttpCredentialsAdapter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The BigQuery REST calls of a load, through Google's generated BigQuery v2 client (the one Beam
 * ships): datasets and tables get, tables insert and delete, jobs insert and get, query results.
 * Credentials are those of the run's Google Cloud Storage access ({@code GcpOptions}); the endpoint
 * is Google's, or Beam's {@code --bigQueryEndpoint} (the tests' stand-in).
 */
public final class BigQueryClient {
  private static final int TIMEOUT_MILLIS = 60_000;

  private final Bigquery bigquery;

  private BigQueryClient(Bigquery bigquery) {
    this.bigquery = bigquery;
  }

  /** A client with the credentials and BigQuery endpoint of {@code options}. */
  public static BigQueryClient of(PipelineOptions options) {
    Credentials credentials = options.as(GcpOptions.class).getGcpCredential();
    HttpRequestInitializer auth =
        credentials == null ? request -> {} : new HttpCredentialsAdapter(credentials);
    Bigquery.Builder builder =
        new Bigquery.Builder(
                new NetHttpTransport(),
                GsonFactory.getDefaultInstance(),
                request -> {
                  auth.initialize(request);
                  request.setConnectTimeout(TIMEOUT_MILLIS);
                  request.setReadTimeout(TIMEOUT_MILLIS);
                })
            .setApplicationName("lakeroute");
    String endpoint = options.as(BigQueryOptions.class).getBigQueryEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      builder.setRootUrl(endpoint.endsWith("/") ? endpoint : endpoint + "/");
    }
    return new BigQueryClient(builder.build());
  }

  /** Whether the dataset exists. */
  public boolean datasetExists(String project, String dataset) throws IOException {
    try {
      bigquery.datasets().get(project, dataset).execute();
      return true;
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The table, or null when it does not exist. */
  public Table table(TableReference ref) throws IOException {
    try {
      return bigquery
          .tables()
          .get(ref.getProjectId(), ref.getDatasetId(), ref.getTableId())
          .execute();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  public void createTable(Table table) throws IOException {
    TableReference ref = table.getTableReference();
    bigquery.tables().insert(ref.getProjectId(), ref.getDatasetId(), table).execute();
  }

  /** Deletes the table; one that does not exist is fine. */
  public void deleteTable(TableReference ref) throws IOException {
    try {
      bigquery.tables().delete(ref.getProjectId(), ref.getDatasetId(), ref.getTableId()).execute();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * Inserts a job and waits until it is done.
   *
   * @throws BigQueryException naming the job and BigQuery's errors when it failed
   */
  public Job run(String project, String jobIdPrefix, JobConfiguration configuration)
      throws IOException, InterruptedException {
    JobReference ref =
        new JobReference().setProjectId(project).setJobId(jobIdPrefix + "_" + UUID.randomUUID());
    Job job =
        bigquery
            .jobs()
            .insert(project, new Job().setJobReference(ref).setConfiguration(configuration))
            .execute();
    long sleep = 50;
    while (!"DONE".equals(job.getStatus().getState())) {
      Thread.sleep(sleep);
      sleep = Math.min(sleep * 2, 2_000);
      job =
          bigquery
              .jobs()
              .get(project, ref.getJobId())
              .setLocation(job.getJobReference().getLocation())
              .execute();
    }
    if (job.getStatus().getErrorResult() != null) {
      throw new BigQueryException(
          "BigQuery job " + ref.getJobId() + " failed: " + errors(job), null);
    }
    return job;
  }

  /** Runs a GoogleSQL query and returns its rows, each cell as BigQuery's text. */
  public List<List<String>> query(String project, String sql)
      throws IOException, InterruptedException {
    Job job =
        run(
            project,
            "lakeroute_query",
            new JobConfiguration()
                .setQuery(new JobConfigurationQuery().setQuery(sql).setUseLegacySql(false)));
    List<List<String>> rows = new ArrayList<>();
    String pageToken = null;
    do {
      GetQueryResultsResponse page =
          bigquery
              .jobs()
              .getQueryResults(project, job.getJobReference().getJobId())
              .setLocation(job.getJobReference().getLocation())
              .setPageToken(pageToken)
              .execute();
      if (page.getRows() != null) {
        for (TableRow row : page.getRows()) {
          List<String> cells = new ArrayList<>();
          for (TableCell cell : row.getF()) {
            Object value = cell.getV();
            cells.add(value == null || Data.isNull(value) ? null : String.valueOf(value));
          }
          rows.add(cells);
        }
      }
      pageToken = page.getPageToken();
    } while (pageToken != null);
    return rows;
  }

  /** BigQuery's error texts of a failed job: the result, then up to five more. */
  static String errors(Job job) {
    List<String> errors = new ArrayList<>();
    errors.add(job.getStatus().getErrorResult().getMessage());
    if (job.getStatus().getErrors() != null) {
      for (ErrorProto error : job.getStatus().getErrors()) {
        if (!errors.contains(error.getMessage()) && errors.size() < 6) {
          errors.add(error.getMessage());
        }
      }
    }
    return String.join("; ", errors);
  }
}
