package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.testing.LocalPostgres;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against PostgreSQL 15 on loopback: values PostgreSQL has and no file format holds fail the read
 * with the column, the value and what to change in the query, not as a precision problem; a column
 * name Avro cannot hold fails at planning.
 */
class PostgresValuesIT {
  private static JdbcSource source;

  @BeforeAll
  static void start() {
    LocalPostgres postgres = LocalPostgres.shared();
    source = JdbcSource.of(postgres.jdbcUrl(), null, postgres.user(), postgres.password());
  }

  private static List<Row> read(String query) throws Exception {
    QueryPlan plan = QueryPlanner.plan(source, query, Partitioning.none());
    List<Row> rows = new ArrayList<>();
    plan.reader().read(plan.partitions().get(0), rows::add);
    return rows;
  }

  private static String readFailure(String query) {
    return assertThrows(IllegalArgumentException.class, () -> read(query)).getMessage();
  }

  @Test
  void infiniteDatesAndTimestampsNameTheColumnAndTheFix() {
    for (String type : List.of("date", "timestamp", "timestamptz")) {
      for (String value : List.of("infinity", "-infinity")) {
        String message = readFailure("SELECT 1 AS id, '" + value + "'::" + type + " AS closed_at");
        assertThat(
            type + " " + value,
            message,
            allOf(
                containsString("Column 'closed_at' holds " + value + ","),
                containsString("isfinite(closed_at)"),
                not(containsString("microseconds"))));
      }
    }
  }

  @Test
  void midnightAtTheEndOfTheDayNamesTheColumnAndTheFix() {
    String message = readFailure("SELECT '24:00:00'::time AS shift_end");
    assertThat(
        message,
        allOf(
            containsString("Column 'shift_end' holds 24:00:00"),
            containsString("CASE WHEN shift_end = '24:00'"),
            not(containsString("microseconds"))));
  }

  @Test
  void notANumberAndInfiniteNumericsNameTheColumnAndTheFix() {
    for (String value : List.of("NaN", "Infinity", "-Infinity")) {
      String message = readFailure("SELECT 1 AS id, '" + value + "'::numeric AS ratio");
      assertThat(
          value,
          message,
          allOf(
              containsString("Column 'ratio' holds " + value + ","),
              containsString("NULLIF(ratio, '" + value + "')"),
              not(containsString("decimal places"))));
    }
  }

  @Test
  void anUnnamedExpressionFailsAvroAtPlanningNamingTheColumn() {
    QueryPlan plan = QueryPlanner.plan(source, "SELECT 1 AS id, 1 + 1", Partitioning.none());
    FormatSpec avro = FormatSpec.of(FileFormat.AVRO);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> avro.check(plan.schema()));
    assertThat(
        e.getMessage(),
        allOf(containsString("Column '?column?'"), containsString("with AS in the query")));
    FormatSpec.of(FileFormat.PARQUET).check(plan.schema());
  }

  @Test
  void finiteExtremesStillRead() throws Exception {
    List<Row> rows =
        read(
            "SELECT '23:59:59.999999'::time AS t, '9999-12-31'::date AS d,"
                + " '0001-01-01 00:00:00'::timestamp AS ts, 1.5::numeric AS n");
    assertThat(rows.size(), equalTo(1));
    assertThat(rows.get(0).getValue("t").toString(), equalTo("23:59:59.999999"));
  }
}
