package io.lakeroute.databricks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.databricks.FederationSql.Secret;
import io.lakeroute.databricks.FederationSql.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden test of the Lakehouse Federation statements (Databricks-only: proven as text). Expected
 * text in src/test/resources/FederationSqlTest/; -Dgolden.update=true rewrites it for review.
 */
class FederationSqlTest {
  private static final Path GOLDEN = Path.of("src/test/resources/FederationSqlTest/federation.sql");

  @Test
  void matchesGolden() throws IOException {
    Secret password = new Secret("lakeroute", "warehouse-password");
    String actual =
        String.join(
                ";\n\n",
                List.of(
                    FederationSql.createConnection(
                        "redshift_sales",
                        Source.REDSHIFT,
                        "sales.abc123.eu-west-1.redshift.amazonaws.com",
                        null,
                        "loader",
                        password),
                    FederationSql.createForeignCatalog(
                        "redshift_sales", "redshift_sales", Source.REDSHIFT, "dev"),
                    FederationSql.createConnection(
                        "synapse_sales",
                        Source.SYNAPSE,
                        "sales.sql.azuresynapse.net",
                        1433,
                        "loader",
                        password),
                    FederationSql.createForeignCatalog(
                        "synapse_sales", "synapse_sales", Source.SYNAPSE, "salesdw"),
                    FederationSql.createBigQueryConnection(
                        "bigquery_sales", new Secret("lakeroute", "bigquery-key-json")),
                    FederationSql.createForeignCatalog(
                        "bigquery_sales", "bigquery_sales", Source.BIGQUERY, "my-project"),
                    FederationSql.countRows("redshift_sales", "public", "customers")))
            + ";\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual, equalTo(Files.readString(GOLDEN, StandardCharsets.UTF_8)));
  }

  @Test
  void namesAndLiteralsAreQuoted() {
    assertThat(
        FederationSql.createForeignCatalog("c`x", "conn", Source.REDSHIFT, "d'b"),
        equalTo(
            "CREATE FOREIGN CATALOG IF NOT EXISTS `c``x` USING CONNECTION `conn`"
                + " OPTIONS (database 'd\\'b')"));
    assertThrows(
        IllegalArgumentException.class,
        () -> FederationSql.createBigQueryConnection("a.b", new Secret("s", "k")));
  }
}
