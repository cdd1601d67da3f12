package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.Lakeroute;
import java.util.List;
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

  private static RunConfig config(String... flags) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--jdbcUrl=jdbc:h2:mem:config", "--query=SELECT 1", "--destination=/tmp/x"));
    args.addAll(List.of(flags));
    return RunConfig.from(Lakeroute.parse(args.toArray(String[]::new)), name -> null);
  }

  @Test
  void fingerprintsAreOnUnlessTurnedOffAndTheChecksThatCompareThemNeedThem() {
    assertThat(config().fingerprints(), equalTo(true));
    assertThat(config("--fingerprints=false").fingerprints(), equalTo(false));
    for (String flag : List.of("--verifySource", "--verifyStrict")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> config("--fingerprints=false", flag));
      assertThat(
          e.getMessage(),
          equalTo(
              flag
                  + " compares fingerprints, and --fingerprints=false takes none: leave one of"
                  + " them out"));
    }
  }
}
