package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.run.ExitCode;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jobs entry point on a context that exists before it, as a Databricks cluster's does: a failed
 * run throws (this JVM lives on) and the context stays up. SparkClusterIT runs it to success on a
 * standalone cluster with the Jobs JSON's parameters.
 */
class DatabricksJobMainTest {
  @TempDir java.nio.file.Path temp;

  @Test
  void aFailedRunThrowsItsExitCodeAndLeavesTheHostsContextRunning() {
    SparkContext host =
        new SparkContext(new SparkConf().setMaster("local[1]").setAppName("databricks-host"));
    try {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  DatabricksJobMain.main(
                      new String[] {
                        "--runner=SparkRunner",
                        "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/shop",
                        "--query=SELECT 1",
                        "--destination=" + temp.resolve("out")
                      }));
      assertThat(e.getMessage(), containsString("lakeroute exited with " + ExitCode.SOURCE.code()));
      assertThat(host.isStopped(), is(false));
    } finally {
      SparkContextFactory.clearProvidedSparkContext();
      host.stop();
    }
  }
}
