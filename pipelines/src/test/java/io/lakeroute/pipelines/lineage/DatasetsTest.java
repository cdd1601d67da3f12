package io.lakeroute.pipelines.lineage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class DatasetsTest {
  @Test
  void namespaceLeavesOutUserPasswordAndParameters() {
    assertThat(
        Datasets.namespace("jdbc:postgresql://reporting:s3cret@db.internal:5432/shop?ssl=true"),
        equalTo("postgres://db.internal:5432"));
    assertThat(
        Datasets.namespace("jdbc:mariadb://127.0.0.1:3306/shop?password=s3cret"),
        equalTo("mysql://127.0.0.1:3306"));
    assertThat(
        Datasets.namespace(
            "jdbc:sqlserver://syn.sql.azuresynapse.net:1433;databaseName=dw;password=x"),
        equalTo("sqlserver://syn.sql.azuresynapse.net:1433"));
    assertThat(Datasets.namespace("jdbc:h2:mem:demo;MODE=PostgreSQL"), equalTo("h2:mem:demo"));
  }

  @Test
  void aPlainTableReadIsTheTableAnyOtherQueryIsItself() {
    String url = "jdbc:postgresql://db:5432/shop";
    assertThat(
        Datasets.source(url, "SELECT * FROM public.customers"),
        equalTo(new Datasets.Name("postgres://db:5432", "shop.public.customers")));
    assertThat(
        Datasets.source(url, "select id, name\n  from \"customers\";"),
        equalTo(new Datasets.Name("postgres://db:5432", "shop.customers")));
    assertThat(
        Datasets.source(url, "SELECT c.id FROM customers c JOIN orders o ON o.c = c.id"),
        equalTo(
            new Datasets.Name(
                "postgres://db:5432", "SELECT c.id FROM customers c JOIN orders o ON o.c = c.id")));
    assertThat(
        Datasets.source(url, "SELECT * FROM customers WHERE id < 10"),
        equalTo(new Datasets.Name("postgres://db:5432", "SELECT * FROM customers WHERE id < 10")));
  }

  @Test
  void locationsAreBucketAndPathOrALocalPath() {
    assertThat(
        Datasets.location("s3://bucket/exports/customers/2026-12-07/"),
        equalTo(new Datasets.Name("s3://bucket", "exports/customers/2026-12-07")));
    assertThat(
        Datasets.location("/tmp/lake/customers/2026-12-07/"),
        equalTo(new Datasets.Name("file", "/tmp/lake/customers/2026-12-07")));
  }

  @Test
  void httpUrlWithAPathPostsThere() {
    assertThat(Lineage.http("http://marquez:5000").getEndpoint(), equalTo(null));
    assertThat(
        Lineage.http("http://127.0.0.1:8080/events/lineage").getEndpoint(),
        equalTo("/events/lineage"));
    assertThat(
        Lineage.http("http://127.0.0.1:8080/events/lineage").getUrl().toString(),
        equalTo("http://127.0.0.1:8080"));
  }
}
