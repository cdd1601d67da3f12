package io.lakeroute.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.bigquery.BigQueryTarget.Disposition;
import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.Federation;
import io.lakeroute.sql.SqlClient;
import io.lakeroute.validation.ReconciliationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * Route 5's Lakehouse Federation statements, proven as text only: no stand-in runs CREATE
 * CONNECTION. The golden file is src/test/resources/FederateBigQueryTest/route5.sql
 * (-Dgolden.update=true rewrites it); a recording DatabricksClient shows the order and the
 * reconciliation.
 */
class FederateBigQueryTest {
  private static final Path GOLDEN = Path.of("src/test/resources/FederateBigQueryTest");
  private static final BigQueryTarget TARGET =
      BigQueryTarget.parse("my-project:sales.customers", Disposition.REPLACE);
  private static final Federation FEDERATION =
      Federation.ofBigQuery(
          "lakeroute_bigquery",
          "bq_sales",
          TARGET.project(),
          new Federation.Secret("lakeroute", "bigquery-key-json"));

  @Test
  void theRoutesStatements() throws Exception {
    String actual = String.join(";\n\n", FederateBigQuery.statements(FEDERATION, TARGET)) + ";\n";
    Path golden = GOLDEN.resolve("route5.sql");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual, equalTo(Files.readString(golden, StandardCharsets.UTF_8)));
  }

  @Test
  void runsThemInOrderAndReconcilesTheCount() throws Exception {
    Recording client = new Recording("20000");
    assertThat(FederateBigQuery.run(client, FEDERATION, TARGET, 20_000), equalTo(20_000L));
    assertThat(client.sent, contains(FederateBigQuery.statements(FEDERATION, TARGET).toArray()));

    ReconciliationException e =
        assertThrows(
            ReconciliationException.class,
            () -> FederateBigQuery.run(new Recording("19999"), FEDERATION, TARGET, 20_000));
    assertThat(
        e.getMessage(),
        equalTo(
            "Databricks counts 19999 rows in bq_sales.sales.customers, BigQuery holds 20000 in"
                + " my-project:sales.customers"));
  }

  @Test
  void theTransformTravelsToWorkers() {
    SerializableUtils.ensureSerializable(
        FederateBigQuery.of(FEDERATION, TARGET)
            .using(DatabricksConnection.withUrl("jdbc:databricks://h:443/default", "token")));
  }

  @Test
  void aBadSecretOrNameIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Federation.Secret.parse("only-a-scope"));
    assertThat(e.getMessage(), containsString("'only-a-scope' is not a Databricks secret"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Federation.ofBigQuery(
                "lakeroute_bigquery", "bq.sales", "p", new Federation.Secret("lakeroute", "k")));
  }

  /** Records what is sent; every query answers {@code count}. */
  private static final class Recording implements SqlClient {
    final List<String> sent = new ArrayList<>();
    private final String count;

    Recording(String count) {
      this.count = count;
    }

    @Override
    public void execute(String sql) {
      sent.add(sql);
    }

    @Override
    public List<List<String>> query(String sql) {
      sent.add(sql);
      return List.of(List.of(count));
    }

    @Override
    public void close() {}
  }
}
