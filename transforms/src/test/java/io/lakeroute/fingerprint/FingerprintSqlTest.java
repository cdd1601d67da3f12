package io.lakeroute.fingerprint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.warehouse.Golden;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden text of the fingerprint query of every engine, over a column of every type. PostgreSQL, H2
 * and Spark's are also executed (FingerprintSqlIT); Redshift's, BigQuery's and SQL Server's can
 * only be read here.
 */
class FingerprintSqlTest {
  private static FingerprintSql engine(String name) {
    switch (name) {
      case "postgres":
        return FingerprintSql.postgres();
      case "redshift":
        return FingerprintSql.redshift();
      case "spark":
        return FingerprintSql.spark();
      case "bigquery":
        return FingerprintSql.bigQuery();
      case "sqlserver":
        return FingerprintSql.sqlServer();
      case "h2":
        return FingerprintSql.h2();
      case "postgres-source":
        return FingerprintSql.postgresSource();
      case "h2-source":
        return FingerprintSql.h2Source();
      case "mariadb-source":
        return FingerprintSql.mariaDbSource(false);
      case "mariadb-source-zero-dates-as-null":
        return FingerprintSql.mariaDbSource(true);
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /** The golden manifest's columns as a table over {@code format} files holds them. */
  static List<FingerprintColumn> columns(String format) {
    Manifest manifest = Golden.manifest(format, "none", "s3://bucket/run/");
    return manifest.columns().stream().map(c -> FingerprintColumn.inTable(c, format)).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "postgres",
    "redshift",
    "spark",
    "bigquery",
    "sqlserver",
    "h2",
    "postgres-source",
    "h2-source",
    "mariadb-source",
    "mariadb-source-zero-dates-as-null"
  })
  void queryMatchesGolden(String name) throws IOException {
    FingerprintSql sql = engine(name);
    String query =
        sql.query(
            sql.quote("sales") + "." + sql.quote("orders"),
            columns("parquet"),
            sql.quote("id") + " BETWEEN 1 AND 1000");
    Golden.check(getClass(), name + ".sql", query + "\n");
  }

  /** The rows of a table that a staging table lacks, as each engine lists them. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"postgres", "redshift", "spark", "bigquery", "sqlserver", "h2"})
  void rowsNotInMatchGolden(String name) throws IOException {
    FingerprintSql sql = engine(name);
    List<FingerprintColumn> columns = columns("parquet");
    String query =
        sql.rowsNotIn(
            sql.quote("sales") + "." + sql.quote("orders"),
            sql.quote("_lakeroute_run_id") + " = 'r1'",
            sql.quote("orders_stage"),
            null,
            List.of(columns.get(0), columns.get(2)),
            5);
    Golden.check(getClass(), name + "-rows.sql", query + "\n");
  }

  /**
   * Bisection's queries: the fingerprints per key bucket of 3 digits within two of 2 digits, and
   * the rows of two buckets, as each engine runs them (executed in FingerprintSqlIT and the step
   * ITs).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"postgres", "redshift", "spark", "bigquery", "sqlserver", "h2"})
  void bucketQueriesMatchGolden(String name) throws IOException {
    FingerprintSql sql = engine(name);
    List<FingerprintColumn> columns = columns("parquet");
    String table = sql.quote("sales") + "." + sql.quote("orders");
    String where = sql.quote("_lakeroute_run_id") + " = 'r1'";
    List<FingerprintColumn> keys = List.of(columns.get(0), columns.get(2));
    String query =
        sql.bucketQuery(table, columns.subList(0, 3), where, keys, 3, List.of("0a", "f3"))
            + ";\n\n"
            + sql.bucketQuery(table, columns.subList(0, 3), null, keys, 1, List.of())
            + ";\n\n"
            + sql.bucketRows(
                table, where, keys, 4, List.of("0a1b", "f3c4"), columns.subList(0, 3), 101);
    Golden.check(getClass(), name + "-buckets.sql", query + ";\n");
  }

  @Test
  void aBucketThatIsNotHexIsRefused() {
    FingerprintSql sql = FingerprintSql.postgres();
    List<FingerprintColumn> columns = columns("parquet");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                sql.bucketQuery(
                    "t", columns, null, columns.subList(0, 1), 2, List.of("a' OR '1' = '1")));
    assertThat(e.getMessage(), containsString("A key bucket is hex digits"));
  }

  @Test
  void base64BinaryIsDecodedWhereTheEngineCan() {
    FingerprintColumn payload = columns("csv").get(8);
    assertThat(payload.asText(), equalTo(true));
    assertThat(FingerprintSql.spark().unsupported(payload), equalTo(Optional.empty()));
    assertThat(FingerprintSql.postgres().unsupported(payload), equalTo(Optional.empty()));
    assertThat(
        FingerprintSql.redshift().unsupported(payload).orElseThrow(),
        equalTo("Redshift cannot render a bytes held as text canonically"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FingerprintSql.sqlServer().query("t", List.of(payload), null));
    assertThat(e.getMessage(), containsString("SQL Server cannot render a bytes"));
  }

  @Test
  void identifiersAreQuoted() {
    String odd = "odd \"name]'`";
    assertThat(FingerprintSql.postgres().quote(odd), equalTo("\"odd \"\"name]'`\""));
    assertThat(FingerprintSql.sqlServer().quote(odd), equalTo("[odd \"name]]'`]"));
    assertThat(FingerprintSql.spark().quote(odd), equalTo("`odd \"name]'```"));
    assertThat(FingerprintSql.bigQuery().quote(odd), equalTo("`odd \"name]'\\``"));
    assertThat(FingerprintSql.mariaDbSource(false).quote(odd), equalTo("`odd \"name]'```"));
  }
}
