package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.pipelines.Lakeroute;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What the run's configuration takes from the runner it will have; no Spark context starts. */
class RunConfigTest {
  private static int workers(Properties system, String... args) {
    return RunConfig.workers(Lakeroute.parse(args), system);
  }

  @Test
  void theWorkersAreTheDirectRunnersThreadsOrALocalSparksCores() {
    Properties none = new Properties();
    assertThat(workers(none, "--runner=DirectRunner", "--targetParallelism=2"), equalTo(2));
    assertThat(workers(none, "--runner=SparkRunner", "--sparkMaster=local[3]"), equalTo(3));
    assertThat(workers(none, "--runner=SparkRunner", "--sparkMaster=local[2,4]"), equalTo(2));
    assertThat(workers(none, "--runner=SparkRunner", "--sparkMaster=local"), equalTo(1));
    assertThat(
        workers(none, "--runner=SparkRunner", "--sparkMaster=local[*]"),
        equalTo(Runtime.getRuntime().availableProcessors()));
    // A cluster's size is not known before the run: the planner's default applies.
    assertThat(workers(none, "--runner=SparkRunner", "--sparkMaster=spark://h:7077"), equalTo(0));
    Properties submitted = new Properties();
    submitted.setProperty("spark.master", "yarn");
    assertThat(workers(submitted, "--runner=SparkRunner", "--sparkMaster=local[2]"), equalTo(0));
  }
}
