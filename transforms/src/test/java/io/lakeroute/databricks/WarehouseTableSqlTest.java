package io.lakeroute.databricks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of how Databricks reads a warehouse route's table: Lakehouse Federation for Redshift
 * and Synapse (text only: Databricks-only statements) and the stand-in's JDBC table (executed
 * against PostgreSQL by RedshiftRouteIT). Regenerate with -Dgolden.update=true.
 */
class WarehouseTableSqlTest {
  private static final Path GOLDEN = Path.of("src/test/resources/WarehouseTableSqlTest");
  private static final DatabricksTable VIEW = new DatabricksTable("main", "sales", "customers");
  private static final DatabricksTable STAND_IN =
      new DatabricksTable("spark_catalog", "sales", "customers");
  private static final Federation.Secret SECRET =
      new Federation.Secret("lakeroute", "warehouse-password");

  private static void check(String name, List<String> statements) throws IOException {
    String actual = String.join(";\n\n", statements) + ";\n";
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(name, actual, equalTo(Files.readString(golden, StandardCharsets.UTF_8)));
  }

  private static List<String> withCount(List<String> statements) {
    return withCount(statements, VIEW);
  }

  private static List<String> withCount(List<String> statements, DatabricksTable table) {
    List<String> all = new ArrayList<>(statements);
    all.add(WarehouseTableSql.countRun(table, "_lakeroute_run_id", "20260101T000000Z"));
    return all;
  }

  @Test
  void redshiftThroughFederation() throws IOException {
    check(
        "databricks-federation-redshift.sql",
        withCount(
            WarehouseTableSql.federated(
                VIEW,
                Federation.ofDatabase(
                    "lakeroute_redshift_connection",
                    "lakeroute_redshift",
                    "redshift",
                    "cluster.abc.eu-west-1.redshift.amazonaws.com",
                    "5439",
                    "loader",
                    SECRET,
                    "dev"),
                "sales",
                "customers")));
  }

  @Test
  void synapseThroughFederation() throws IOException {
    check(
        "databricks-federation-synapse.sql",
        withCount(
            WarehouseTableSql.federated(
                VIEW,
                Federation.ofDatabase(
                    "lakeroute_synapse_connection",
                    "lakeroute_synapse",
                    "sqldw",
                    "ws.sql.azuresynapse.net",
                    "1433",
                    "loader",
                    SECRET,
                    "pool1"),
                "dbo",
                "Customers")));
  }

  @Test
  void standInThroughAJdbcTable() throws IOException {
    check(
        "spark-jdbc-table-postgres.sql",
        withCount(
            List.of(
                WarehouseTableSql.jdbcTable(
                    STAND_IN,
                    "jdbc:postgresql://127.0.0.1:5432/redshift",
                    "\"sales\".\"customers\"",
                    "loader",
                    "pa'ss")),
            STAND_IN));
  }

  @Test
  void endpointsComeFromTheJdbcUrl() {
    assertThat(
        WarehouseTableSql.Endpoint.parse("jdbc:postgresql://h/db?ssl=true"),
        equalTo(new WarehouseTableSql.Endpoint("h", null, "db")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WarehouseTableSql.Endpoint.parse("jdbc:sqlserver://h:1433"));
    assertThat(e.getMessage(), containsString("(withJdbcUrl)"));
  }
}
