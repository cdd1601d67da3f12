package io.lakeroute.pipelines.job;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobFileTest {
  private static final Set<String> OPTIONS =
      Set.of(
          "route",
          "jdbcUrl",
          "jdbcUser",
          "format",
          "destination",
          "databricksTable",
          "partitionColumn",
          "query",
          "queryFile");

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(JobFileTest.class.getResource("/JobFileTest/" + name).toURI());
  }

  private static JobFile read(String name) throws URISyntaxException {
    return JobFile.read(
        fixture(name),
        (key, value) ->
            key.equals("jdbcPassword")
                ? "--jdbcPassword is a secret"
                : OPTIONS.contains(key) ? null : "'" + key + "' is not an option");
  }

  private static String refusal(String name) {
    RunFailure failure = assertThrows(RunFailure.class, () -> read(name));
    assertThat(failure.exitCode(), equalTo(ExitCode.USAGE));
    return failure.getMessage();
  }

  @Test
  void eachTableIsTheDefaultsWithItsOwnKeysOverThem() throws Exception {
    JobFile job = read("daily.yaml");
    assertThat(job.tables().size(), equalTo(2));
    JobFile.Table customers = job.tables().get(0);
    assertThat(customers.name(), equalTo("public.customers"));
    assertThat(customers.line(), equalTo(10));
    assertThat(
        customers.args(),
        contains(
            "--route=s3",
            "--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/shop",
            "--jdbcUser=loader",
            "--format=parquet",
            "--destination=s3://lake/shop/public.customers",
            "--databricksTable=main.shop.public.customers",
            "--partitionColumn=id",
            "--query=SELECT * FROM \"public\".\"customers\""));
    JobFile.Table orders = job.tables().get(1);
    assertThat(orders.name(), equalTo("big_orders"));
    assertThat(orders.args(), org.hamcrest.Matchers.hasItem("--format=csv"));
    assertThat(orders.args(), not(org.hamcrest.Matchers.hasItem("--format=parquet")));
    // The launcher fills in each run's date.
    assertThat(
        orders.args(),
        org.hamcrest.Matchers.hasItem(
            "--query=SELECT * FROM orders WHERE day = DATE '{logical_date}'"));
  }

  @Test
  void aTableNameIsQuotedPartByPart() {
    assertThat(JobFile.selectAll("a\"b.c"), equalTo("SELECT * FROM \"a\"\"b\".\"c\""));
  }

  @Test
  void anUnknownKeyNamesTheFileTheLineAndTheKey() {
    String message = refusal("unknown-key.yaml");
    assertThat(message, containsString("unknown-key.yaml, line 5: 'destinaton' is not an option"));
  }

  @Test
  void aSecretInTheFileIsRefusedWithoutRepeatingIt() {
    String message = refusal("secret.yaml");
    assertThat(message, containsString("secret.yaml, line 3: --jdbcPassword is a secret"));
    assertThat(message, not(containsString("hunter2")));
  }

  @Test
  void aTableAndAQueryTogetherAreRefused() {
    assertThat(refusal("both.yaml"), containsString("line 2: give 'table' or 'query'"));
  }

  @Test
  void twoTablesOfOneNameAreRefused() {
    assertThat(
        refusal("twice.yaml"), containsString("line 5: a second table is named 'customers'"));
  }

  @Test
  void aListWhereOneValueBelongsIsRefused() {
    assertThat(
        refusal("list-value.yaml"),
        containsString("line 3: 'partitionColumn' takes one value, not a list or mapping"));
  }

  @Test
  void aTableWithoutTableOrQueryIsRefused() {
    assertThat(
        refusal("no-query.yaml"),
        containsString("line 2: table 'orders' has no 'table', 'query' or 'queryFile'"));
  }

  @Test
  void invalidYamlSaysSo() throws Exception {
    Path broken = java.nio.file.Files.createTempFile("job", ".yaml");
    java.nio.file.Files.writeString(broken, "tables:\n  - table: [unclosed\n");
    RunFailure failure = assertThrows(RunFailure.class, () -> JobFile.read(broken, (k, v) -> null));
    assertThat(failure.getMessage(), containsString("is not valid YAML"));
    assertThat(List.of(failure.exitCode()), contains(ExitCode.USAGE));
  }
}
