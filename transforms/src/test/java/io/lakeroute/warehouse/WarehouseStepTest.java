package io.lakeroute.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.warehouse.WarehouseTarget.Disposition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The column check between an existing table and the run: by name, without case, by family. */
class WarehouseStepTest {
  private static final String RUN = "s3://bucket/exports/customers/20260101T000000Z/";

  private static WarehouseSql sql() {
    return new WarehouseSql(
        WarehouseDialect.POSTGRES,
        new WarehouseTarget("sales", "customers", Disposition.APPEND, List.of()),
        Golden.manifest("csv", "none", RUN),
        null);
  }

  /** The table as PostgreSQL's INFORMATION_SCHEMA describes the one lakeroute creates. */
  private static List<List<String>> created() {
    List<List<String>> rows = new ArrayList<>();
    for (var column : sql().expectedColumns()) {
      rows.add(
          List.of(column.getKey().toUpperCase(java.util.Locale.ROOT), spelled(column.getValue())));
    }
    return rows;
  }

  private static String spelled(String family) {
    switch (family) {
      case "text":
        return "character varying";
      case "double":
        return "double precision";
      case "decimal":
        return "numeric";
      case "timestamp":
        return "timestamp without time zone";
      case "timestamptz":
        return "timestamp with time zone";
      default:
        return family;
    }
  }

  @Test
  void theTableLakerouteCreatesMatchesInAnyCaseAndOrder() {
    List<List<String>> rows = created();
    java.util.Collections.reverse(rows);
    assertThat(WarehouseStep.checkColumns(sql(), rows, false), empty());
  }

  @Test
  void everyDifferenceIsNamed() {
    List<List<String>> rows = created();
    rows.set(0, List.of("id", "date"));
    rows.remove(1);
    rows.add(List.of("extra", "integer"));
    WarehouseException e =
        assertThrows(
            WarehouseException.class, () -> WarehouseStep.checkColumns(sql(), rows, false));
    assertThat(e.getMessage(), containsString("column id is date, the run has bigint"));
    assertThat(e.getMessage(), containsString("the table lacks column small (smallint)"));
    assertThat(
        e.getMessage(), containsString("the table has column extra integer, which the run lacks"));
    assertThat(e.getMessage(), containsString("(withAddColumns)"));
  }

  @Test
  void missingColumnsAreAddedOnlyWhenAsked() {
    List<List<String>> rows = created();
    rows.remove(1);
    assertThat(WarehouseStep.checkColumns(sql(), rows, true), equalTo(List.of("small")));
    List<List<String>> noRunId = created();
    noRunId.remove(noRunId.size() - 1);
    assertThrows(WarehouseException.class, () -> WarehouseStep.checkColumns(sql(), noRunId, true));
  }
}
