package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.options.RouteOptions;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Local paths against the Spark master a run will have; no Spark context is started. */
class ClusterPathsTest {
  private static final Properties NOT_SUBMITTED = new Properties();

  private static RouteOptions options(String... args) {
    return Lakeroute.parse(args);
  }

  private static Properties submitted(String master, String deployMode) {
    Properties system = new Properties();
    system.setProperty("spark.master", master);
    system.setProperty("spark.submit.deployMode", deployMode);
    return system;
  }

  @Test
  void aLocalDestinationOnAClusterIsRefusedSayingWhyAndWhatInstead() {
    RouteOptions options = options("--runner=SparkRunner", "--sparkMaster=spark://h:7077");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterPaths.check(options, "/data/out", NOT_SUBMITTED));
    assertThat(e.getMessage(), containsString("--destination=/data/out is a local path"));
    assertThat(e.getMessage(), containsString("on Spark master spark://h:7077"));
    assertThat(e.getMessage(), containsString("each on its own machine"));
    assertThat(e.getMessage(), containsString("s3://, gs://, azfs://"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClusterPaths.check(options, "file:///data/out", NOT_SUBMITTED));
    ClusterPaths.check(options, "s3://bucket/out", NOT_SUBMITTED);
  }

  @Test
  void spark_submitsMasterWinsOverTheFlagAsInBeamsContextFactory() {
    // --sparkMaster defaults to local[4]; under spark-submit, Beam takes spark.master instead.
    RouteOptions options = options("--runner=SparkRunner");
    ClusterPaths.check(options, "/data/out", NOT_SUBMITTED);
    assertThat(ClusterPaths.sparkMaster(options, submitted("yarn", "client")), equalTo("yarn"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClusterPaths.check(options, "/data/out", submitted("yarn", "client")));
    ClusterPaths.check(options, "/data/out", submitted("local[2]", "client"));
  }

  @Test
  void localRunnersTakeLocalPaths() {
    ClusterPaths.check(options("--runner=DirectRunner"), "/data/out", NOT_SUBMITTED);
    assertThat(
        ClusterPaths.sparkMaster(options("--runner=DirectRunner"), NOT_SUBMITTED), nullValue());
    ClusterPaths.check(
        options("--runner=SparkRunner", "--sparkMaster=local[2]"), "/data/out", NOT_SUBMITTED);
  }

  @Test
  void aLocalSummaryIsRefusedOnlyWhereTheDriverRunsOnTheCluster() {
    RouteOptions options =
        options("--runner=SparkRunner", "--summaryPath=/var/log/lakeroute/run.json");
    // Client deploy mode: the driver, which writes the summary, is the submitting machine.
    ClusterPaths.check(options, "s3://bucket/out", submitted("spark://h:7077", "client"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterPaths.check(
                    options, "s3://bucket/out", submitted("spark://h:7077", "cluster")));
    assertThat(e.getMessage(), containsString("--summaryPath=/var/log/lakeroute/run.json"));
    assertThat(e.getMessage(), containsString("cluster deploy mode"));
    ClusterPaths.check(
        options("--runner=SparkRunner", "--summaryPath=s3://bucket/runs/run.json"),
        "s3://bucket/out",
        submitted("spark://h:7077", "cluster"));
  }
}
