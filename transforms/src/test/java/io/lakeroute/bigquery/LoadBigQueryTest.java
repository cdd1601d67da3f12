package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LoadBigQuery's message for a load job BigQuery refused (pure, no stand-in). */
class LoadBigQueryTest {
  @Test
  void aRefusedLoadJobIsReportedByItsIdAndBigQuerysErrors() throws Exception {
    Job job =
        new Job()
            .setJobReference(new JobReference().setProjectId("p").setJobId("beam_load_1"))
            .setStatus(
                new JobStatus()
                    .setState("DONE")
                    .setErrorResult(
                        new ErrorProto()
                            .setReason("invalid")
                            .setMessage("Error while reading data, error message: too many errors"))
                    .setErrors(
                        List.of(
                            new ErrorProto()
                                .setMessage(
                                    "Error while reading data, error message: too many errors"),
                            new ErrorProto()
                                .setMessage("Could not parse '12a' as INT64 for field id"))));
    String message =
        "Failed to create job with prefix beam_load_1, reached max retries: 3, last failed job: "
            + GsonFactory.getDefaultInstance().toPrettyString(job)
            + ".";

    assertThat(
        LoadBigQuery.jobErrors(message),
        equalTo(
            "job beam_load_1: Error while reading data, error message: too many errors; Could not"
                + " parse '12a' as INT64 for field id"));
    assertThat(LoadBigQuery.jobErrors("something else"), equalTo("something else"));
  }
}
