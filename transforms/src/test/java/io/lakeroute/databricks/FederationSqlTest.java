package io.lakeroute.databricks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.databricks.Federation.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden test of the Lakehouse Federation statements (Databricks-only: proven as text), one model
 * for Redshift, Synapse and BigQuery. Expected text in src/test/resources/FederationSqlTest/;
 * -Dgolden.update=true rewrites it for review.
 */
class FederationSqlTest {
  private static final Path GOLDEN = Path.of("src/test/resources/FederationSqlTest/federation.sql");
  private static final Secret PASSWORD = new Secret("lakeroute", "warehouse-password");

  @Test
  void matchesGolden() throws IOException {
    Federation redshift =
        Federation.ofDatabase(
            "redshift_sales",
            "redshift_sales",
            "redshift",
            "sales.abc123.eu-west-1.redshift.amazonaws.com",
            "5439",
            "loader",
            PASSWORD,
            "dev");
    Federation synapse =
        Federation.ofDatabase(
            "synapse_sales",
            "synapse_sales",
            "sqldw",
            "sales.sql.azuresynapse.net",
            "1433",
            "loader",
            PASSWORD,
            "salesdw");
    Federation bigQuery =
        Federation.ofBigQuery(
            "bigquery_sales",
            "bigquery_sales",
            "my-project",
            new Secret("lakeroute", "bigquery-key-json"));
    List<String> statements = new ArrayList<>();
    statements.addAll(FederationSql.statements(redshift));
    statements.addAll(FederationSql.statements(synapse));
    statements.addAll(FederationSql.statements(bigQuery));
    statements.add(FederationSql.countRows(redshift, "public", "customers"));
    String actual = String.join(";\n\n", statements) + ";\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual, equalTo(Files.readString(GOLDEN, StandardCharsets.UTF_8)));
  }

  @Test
  void namesAndLiteralsAreQuoted() {
    assertThat(
        FederationSql.createForeignCatalog(
            Federation.ofDatabase("conn", "c`x", "redshift", "h", "5439", "u", PASSWORD, "d'b")),
        equalTo(
            "CREATE FOREIGN CATALOG IF NOT EXISTS `c``x` USING CONNECTION `conn`"
                + " OPTIONS (database 'd\\'b')"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Federation.ofBigQuery("a.b", "c", "p", new Secret("s", "k")));
  }

  @Test
  void aSecretIsScopeAndKey() {
    assertThat(Secret.parse("lakeroute/key"), equalTo(new Secret("lakeroute", "key")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Secret.parse("only-a-scope"));
    assertThat(e.getMessage(), containsString("'only-a-scope' is not a Databricks secret"));
  }
}
