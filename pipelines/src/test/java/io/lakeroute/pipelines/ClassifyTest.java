package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.query.SourceReadException;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How failures inside a pipeline become exit codes, and which are worth a retry. */
class ClassifyTest {
  @Test
  void aSourceRestartedMidReadIsTransient() {
    SQLException terminated =
        new SQLException("terminating connection due to administrator command", "57P01");
    RunFailure failure =
        Lakeroute.classify(
            new RuntimeException(
                new SourceReadException("Reading partition 1/2 failed", terminated)));
    assertThat(failure.exitCode(), equalTo(ExitCode.TRANSIENT));
    assertThat(failure.getMessage(), containsString("Reading partition 1/2 failed"));
    assertThat(failure.getMessage(), containsString("Retry the run."));
  }

  @Test
  void aQueryTheSourceRefusesIsNotTransient() {
    SQLException divide = new SQLException("division by zero", "22012");
    RunFailure failure =
        Lakeroute.classify(new RuntimeException(new SourceReadException("Reading failed", divide)));
    assertThat(failure.exitCode(), equalTo(ExitCode.SOURCE));
  }

  @Test
  void aStoreThatStopsAnsweringIsTransientAndAFullOneIsNot() {
    IOException refused =
        new IOException("Unable to execute HTTP request", new ConnectException("refused"));
    assertThat(
        Lakeroute.classify(new RuntimeException(refused)).exitCode(), equalTo(ExitCode.TRANSIENT));
    assertThat(
        Lakeroute.classify(new DeliveryException("disk full", new IOException("No space")))
            .exitCode(),
        equalTo(ExitCode.DELIVERY));
  }

  @Test
  void databricksFailuresTellALostConnectionFromARefusal() {
    RunFailure lost =
        Lakeroute.classify(new RuntimeException(new DatabricksException("gone", null, true)));
    assertThat(lost.exitCode(), equalTo(ExitCode.TRANSIENT));
    assertThat(lost.step(), equalTo("databricks"));
    RunFailure refused = Lakeroute.classify(new DatabricksException("no such schema", null));
    assertThat(refused.exitCode(), equalTo(ExitCode.DATABRICKS));
  }

  @Test
  void aCountMismatchWinsOverEverythingElse() {
    RunFailure failure =
        Lakeroute.classify(
            new RuntimeException(
                "wrapped", new ReconciliationException("Row counts differ: 1000 ≠ 999")));
    assertThat(failure.exitCode(), equalTo(ExitCode.RECONCILIATION));
  }
}
