package io.lakeroute.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.query.JdbcSource;
import io.lakeroute.query.Partitioning;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.query.QueryPlanner;
import io.lakeroute.testing.TestPipelineExtension;
import io.lakeroute.validation.Reconcile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination given as a plain local path (how Layout keeps every local destination): a run
 * leaves nothing under {@code _lakeroute_staging}, whether it succeeds or fails.
 */
@ExtendWith(TestPipelineExtension.class)
class StagingLocalTest {
  private static final String URL = "jdbc:h2:mem:staging_local;DB_CLOSE_DELAY=-1";
  private static Connection keepAlive;

  @TempDir Path dir;

  @BeforeAll
  static void createTable() throws Exception {
    keepAlive = DriverManager.getConnection(URL);
    try (Statement statement = keepAlive.createStatement()) {
      statement.execute("CREATE TABLE items (id INT, name VARCHAR(20))");
      statement.execute("INSERT INTO items SELECT x, 'item ' || x FROM SYSTEM_RANGE(1, 100)");
    }
  }

  @AfterAll
  static void close() throws Exception {
    keepAlive.close();
  }

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).toList();
    }
  }

  @Test
  void cleanRemovesHiddenDirectoriesAndTheEmptyStagingRoot() throws Exception {
    Layout layout = Layout.of(dir.toString(), "r1");
    Path staging = dir.resolve("_lakeroute_staging").resolve("r1");
    Files.createDirectories(staging.resolve(".temp").resolve(".temp-beam-123"));
    Files.writeString(staging.resolve(".temp").resolve(".temp-beam-123").resolve("x"), "x");
    Files.createDirectories(staging.resolve(".temp").resolve(".temp-beam-456"));
    Files.writeString(staging.resolve("part-00000-of-00001.csv"), "id\n1\n");

    Staging.clean(layout);

    assertThat(tree(dir), equalTo(List.of()));
  }

  @Test
  void cleanLeavesTheStagingOfOtherRuns() throws Exception {
    Files.createDirectories(dir.resolve("_lakeroute_staging").resolve("r1").resolve(".temp"));
    Files.createDirectories(dir.resolve("_lakeroute_staging").resolve("r2"));
    Files.writeString(dir.resolve("_lakeroute_staging").resolve("r2").resolve("f"), "f");

    Staging.clean(Layout.of(dir.toString(), "r1"));

    assertThat(
        tree(dir),
        containsInAnyOrder(
            "_lakeroute_staging", "_lakeroute_staging/r2", "_lakeroute_staging/r2/f"));
  }

  /**
   * Adds route 1's data path to {@code pipeline}: the items to CSV under {@code layout}, published
   * only when the files hold the planned rows plus {@code surplusExpected}.
   */
  private static void deliver(TestPipeline pipeline, Layout layout, long surplusExpected) {
    QueryPlan plan =
        QueryPlanner.plan(
            JdbcSource.of(URL, null, null, null),
            "SELECT * FROM items",
            Partitioning.onColumn("id").withPartitions(2));
    FormatSpec format = FormatSpec.of(FileFormat.CSV);
    pipeline
        .apply(WriteQueryFiles.of(plan).withFormat(format).to(layout))
        .apply(Reconcile.expecting(plan.rowCount() + surplusExpected))
        .apply(
            Publish.to(layout)
                .withFormat(format)
                .withSchema(plan.schema())
                .withPartitionColumn("id"));
  }

  @Test
  void aSuccessfulRunLeavesOnlyItsPublishedFiles(TestPipeline pipeline) throws Exception {
    deliver(pipeline, Layout.of(dir.toString(), "r1"), 0);

    pipeline.run().waitUntilFinish();

    assertThat(
        tree(dir),
        containsInAnyOrder(
            "r1",
            "r1/part-00000-of-00002.csv",
            "r1/part-00001-of-00002.csv",
            "r1/" + Layout.MANIFEST,
            "r1/" + Layout.DONE_MARKER));
    // Recorded as the schema spells it (H2 folds unquoted names up), the key later hops name by.
    Manifest manifest =
        Manifest.fromJson(Files.readString(dir.resolve("r1").resolve(Layout.MANIFEST)));
    assertThat(manifest.partitionColumn(), equalTo(manifest.columns().get(0).name()));
    assertThat(manifest.partitionColumn(), equalTo("ID"));
  }

  @Test
  void aFailedRunCleanedUpLeavesNothing(TestPipeline pipeline) throws Exception {
    Layout layout = Layout.of(dir.toString(), "r1");
    // One row more than the query returns: reconciliation fails, as the launcher sees it.
    deliver(pipeline, layout, 1);

    RuntimeException failure =
        assertThrows(RuntimeException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(String.valueOf(failure.getMessage()), containsString("Row counts differ"));
    Staging.clean(layout);

    assertThat(tree(dir), equalTo(List.of()));
  }
}
