package io.lakeroute.pipelines.run;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.query.SourceReadException;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How failures inside a pipeline become exit codes, and which are worth a retry. */
class FailuresTest {
  @Test
  void aSourceRestartedMidReadIsTransient() {
    SQLException terminated =
        new SQLException("terminating connection due to administrator command", "57P01");
    RunFailure failure =
        Failures.classify(
            new RuntimeException(
                new SourceReadException("Reading partition 1/2 failed", terminated)),
            "deliver");
    assertThat(failure.exitCode(), equalTo(ExitCode.TRANSIENT));
    assertThat(failure.getMessage(), containsString("Reading partition 1/2 failed"));
    assertThat(failure.getMessage(), containsString("Retry the run."));
  }

  @Test
  void aLoginThatTimesOutIsAStallNotALostConnection() {
    // What pgjdbc throws when loginTimeout ends a connection attempt to a source that accepted the
    // socket but answers nothing: state 08001, no SocketTimeoutException underneath.
    SQLException attempt = new SQLException("Connection attempt timed out.", "08001");
    RunFailure failure =
        Failures.classify(
            new RuntimeException(new SourceReadException("Reading partition 2/2 failed", attempt)),
            "deliver");
    assertThat(failure.exitCode(), equalTo(ExitCode.TRANSIENT));
    assertThat(failure.getMessage(), containsString("stall timeout (--stallTimeoutSeconds)"));
  }

  @Test
  void aQueryTheSourceRefusesIsNotTransient() {
    SQLException divide = new SQLException("division by zero", "22012");
    RunFailure failure =
        Failures.classify(
            new RuntimeException(new SourceReadException("Reading failed", divide)), "deliver");
    assertThat(failure.exitCode(), equalTo(ExitCode.SOURCE));
  }

  @Test
  void aStoreThatStopsAnsweringIsTransientAndAFullOneIsNot() {
    IOException refused =
        new IOException("Unable to execute HTTP request", new ConnectException("refused"));
    assertThat(
        Failures.classify(new RuntimeException(refused), "deliver").exitCode(),
        equalTo(ExitCode.TRANSIENT));
    assertThat(
        Failures.classify(
                new DeliveryException("disk full", new IOException("No space")), "deliver")
            .exitCode(),
        equalTo(ExitCode.DELIVERY));
  }

  @Test
  void databricksFailuresTellALostConnectionFromARefusal() {
    RunFailure lost =
        Failures.classify(
            new RuntimeException(new DatabricksException("gone", null, true)), "deliver");
    assertThat(lost.exitCode(), equalTo(ExitCode.TRANSIENT));
    assertThat(lost.step(), equalTo("databricks"));
    RunFailure refused =
        Failures.classify(new DatabricksException("no such schema", null), "deliver");
    assertThat(refused.exitCode(), equalTo(ExitCode.DATABRICKS));
  }

  @Test
  void aCountMismatchWinsOverEverythingElse() {
    RunFailure failure =
        Failures.classify(
            new RuntimeException(
                "wrapped",
                new ReconciliationException(
                    ReconciliationException.Hop.FILES, "Row counts differ: 1000 ≠ 999")),
            "deliver");
    assertThat(failure.exitCode(), equalTo(ExitCode.RECONCILIATION));
    assertThat(failure.step(), equalTo("deliver"));
  }

  @Test
  void theStepComesFromTheFailuresTypeNotFromWhereItWasThrown() {
    RunFailure databricks =
        Failures.classify(
            new RuntimeException(
                new ReconciliationException(
                    ReconciliationException.Hop.DATABRICKS, "Databricks shows 999")),
            "deliver");
    assertThat(databricks.step(), equalTo("databricks"));
    RunFailure load =
        Failures.classify(new io.lakeroute.warehouse.WarehouseException("rejected row"), "deliver");
    assertThat(load.step(), equalTo("load"));
    assertThat(load.exitCode(), equalTo(ExitCode.LOAD));
    assertThat(load.retryable(), equalTo(false));
  }

  /**
   * Exit 7 says what its hop means for the destination: a difference at the source or the files
   * publishes nothing; one at the warehouse, BigQuery or Databricks is found after the files were
   * published, and the headline says they stay.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SOURCE, deliver, nothing was published",
    "FILES, deliver, nothing was published",
    "WAREHOUSE, load, the files and manifest stay published",
    "DATABRICKS, databricks, the files (and any warehouse load) stay published"
  })
  void aDifferenceSaysPerHopWhatWasPublished(
      ReconciliationException.Hop hop, String step, String published) {
    RunFailure failure =
        Failures.classify(
            new RuntimeException(new ReconciliationException(hop, "Values differ")), "deliver");

    assertThat(failure.exitCode(), equalTo(ExitCode.RECONCILIATION));
    assertThat(failure.step(), equalTo(step));
    assertThat(failure.headline(), containsString(published));
    assertThat(ExitCode.RECONCILIATION.meaning(), not(containsString("nothing was published")));
  }
}
