package io.lakeroute.databricks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.databricks.DatabricksTarget.Dialect;
import io.lakeroute.databricks.DatabricksTarget.Disposition;
import io.lakeroute.databricks.DatabricksTarget.Mode;
import io.lakeroute.delivery.Manifest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checks of the step on what Databricks returns: the columns of an existing table (DESCRIBE
 * TABLE output) and the merge keys a run holds twice.
 */
class DatabricksStepTest {
  private static final DatabricksTarget TARGET =
      new DatabricksTarget(
          new DatabricksTable("main", "sales", "t"), Mode.DELTA, Disposition.APPEND, Dialect.SPARK);
  private static final List<Map.Entry<String, String>> EXPECTED =
      List.of(Map.entry("id", "bigint"), Map.entry("amount", "decimal(38,10)"));

  private static List<String> row(String... cells) {
    return Arrays.asList(cells);
  }

  @Test
  void acceptsTheSameColumnsAndIgnoresTheDetailSections() {
    DatabricksStep.checkColumns(
        TARGET,
        EXPECTED,
        List.of(
            row("id", "bigint", null),
            row("amount", "DECIMAL(38,10)", null),
            row("", "", ""),
            row("# Detailed Table Information", "", "")));
  }

  @Test
  void namesEveryDifferingColumn() {
    DatabricksException e =
        assertThrows(
            DatabricksException.class,
            () ->
                DatabricksStep.checkColumns(
                    TARGET,
                    EXPECTED,
                    List.of(
                        row("id", "int", null),
                        row("amount", "decimal(38,10)", null),
                        row("extra", "string", null))));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("main.sales.t does not match"),
            containsString("column 1 is id int, the run has id bigint"),
            containsString("table has extra column extra string")));
  }

  @Test
  void namesAMissingColumn() {
    DatabricksException e =
        assertThrows(
            DatabricksException.class,
            () ->
                DatabricksStep.checkColumns(TARGET, EXPECTED, List.of(row("id", "bigint", null))));
    assertThat(e.getMessage(), containsString("table lacks column amount decimal(38,10)"));
  }

  @Test
  void aKeyTwiceInTheRunIsRefusedNamingTheKeyColumnsAndAnExample() {
    DatabricksTarget merge =
        new DatabricksTarget(
            new DatabricksTable("main", "sales", "t"),
            Mode.DELTA,
            Disposition.MERGE,
            Dialect.SPARK,
            List.of("id", "region"),
            DatabricksTarget.Load.INSERT);
    Manifest manifest = DatabricksSqlTest.manifest("parquet", "s3://b/r/");
    DatabricksStep.checkUniqueKeys(merge, manifest, List.of());
    DatabricksException e =
        assertThrows(
            DatabricksException.class,
            () -> DatabricksStep.checkUniqueKeys(merge, manifest, List.of(row("7", null, "3"))));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("merge key (id, region) = ('7', NULL) in 3 rows"),
            containsString("merge keys (withDatabricksMergeKeys)"),
            containsString("Nothing was merged into main.sales.t")));
  }
}
