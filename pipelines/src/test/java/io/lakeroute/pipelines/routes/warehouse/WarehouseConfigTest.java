package io.lakeroute.pipelines.routes.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.files.FilesRoute;
import io.lakeroute.warehouse.WarehouseConnection;
import io.lakeroute.warehouse.WarehouseDialect;
import io.lakeroute.warehouse.WarehouseTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warehouse flags: defaults, and one message naming the flag for each mistake. */
class WarehouseConfigTest {
  private static final Map<String, String> ENV =
      Map.of("LAKEROUTE_WAREHOUSE_PASSWORD", "pw", "LAKEROUTE_SYNAPSE_SAS_TOKEN", "?sv=1&sig=x");

  private static WarehouseConfig config(String route, String... args) {
    List<String> all = new ArrayList<>(List.of("--route=" + route, "--format=csv"));
    all.addAll(Arrays.asList(args));
    RouteOptions options = Lakeroute.parse(all.toArray(new String[0]));
    return WarehouseConfig.from(
        options, (WarehouseRoute) io.lakeroute.pipelines.routes.Routes.of(route), ENV::get);
  }

  private static String failure(String route, String... args) {
    return assertThrows(IllegalArgumentException.class, () -> config(route, args)).getMessage();
  }

  @Test
  void redshiftDefaultsAndItsRole() {
    WarehouseConfig config =
        config(
            "redshift",
            "--warehouseJdbcUrl=jdbc:redshift://h:5439/dev",
            "--warehouseTable=customers",
            "--redshiftIamRole=arn:aws:iam::1:role/r");
    assertThat(config.target().schema(), equalTo("public"));
    assertThat(config.target().disposition(), equalTo(WarehouseTarget.Disposition.APPEND));
    assertThat(config.connection().dialect(), equalTo(WarehouseDialect.REDSHIFT));
    assertThat(config.federation(), nullValue());
    assertThat(
        failure("redshift", "--warehouseJdbcUrl=jdbc:redshift://h/d", "--warehouseTable=t"),
        containsString("(withStorageCredential)"));
  }

  @Test
  void mistakesNameTheirFlag() {
    RouteOptions s3 =
        Lakeroute.parse(
            "--route=s3", "--jdbcUrl=jdbc:h2:mem:x", "--query=SELECT 1", "--destination=/tmp/x");
    s3.setWarehouseTable("t");
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> FilesRoute.S3.configure(s3, RunConfig.from(s3, ENV::get), ENV::get))
            .getMessage(),
        containsString("--route=redshift"));
    assertThat(
        failure("redshift", "--warehouseDialect=h2"), containsString("redshift or postgres"));
    assertThat(
        failure("synapse", "--warehouseJdbcUrl=jdbc:h2:mem:x"), containsString("--warehouseTable"));
    assertThat(
        failure(
            "redshift",
            "--warehouseDialect=postgres",
            "--warehouseJdbcUrl=jdbc:postgresql://h/d",
            "--warehouseTable=t",
            "--warehouseDisposition=merge"),
        containsString("merge keys (withMergeKeys)"));
    assertThat(
        failure(
            "redshift",
            "--warehouseDialect=postgres",
            "--warehouseJdbcUrl=jdbc:postgresql://h/d?password=secret",
            "--warehouseTable=t"),
        containsString("must not hold the password"));
    assertThat(
        failure(
            "synapse",
            "--warehouseJdbcUrl=jdbc:sqlserver://h;databaseName=d",
            "--warehouseTable=t",
            "--synapseCredential=sas",
            "--synapseSasTokenEnv=NOT_SET"),
        containsString("--synapseSasTokenFile"));
    assertThat(
        failure(
            "synapse",
            "--warehouseJdbcUrl=jdbc:sqlserver://h;databaseName=d",
            "--warehouseTable=t",
            "--warehouseDatabricksSecret=noslash"),
        containsString("<scope>/<key>"));
  }

  @Test
  void synapseReadsTheSasTokenWithoutItsQuestionMark() {
    WarehouseConfig config =
        config(
            "synapse",
            "--warehouseJdbcUrl=jdbc:sqlserver://h;databaseName=d",
            "--warehouseTable=Customers",
            "--synapseCredential=sas",
            "--warehouseDatabricksSecret=scope/key");
    assertThat(config.target().schema(), equalTo("dbo"));
    assertThat(config.connection().scrub("said sv=1&sig=x"), equalTo("said ***"));
    assertThat(config.federation().catalog(), equalTo("lakeroute_synapse"));
    assertThat(config.federation().type(), equalTo("sqldw"));
  }

  @Test
  void passwordsAreScrubbedAsGivenAndAsSqlLiteralsHoldThem() {
    WarehouseConnection connection =
        WarehouseConnection.of(WarehouseDialect.POSTGRES)
            .withJdbcUrl("jdbc:postgresql://h/d")
            .withUser("u")
            .withPassword("pa'ss\\w");
    assertThat(
        connection.scrub("OPTIONS ('password' 'pa\\'ss\\\\w') pa'ss\\w 'pa''ss\\w'"),
        equalTo("OPTIONS ('password' '***') *** '***'"));
  }

  @Test
  void theProductionDriversAreOnTheClasspath() throws Exception {
    assertThat(
        java.sql.DriverManager.getDriver("jdbc:sqlserver://h:1433").getClass().getName(),
        equalTo("com.microsoft.sqlserver.jdbc.SQLServerDriver"));
    assertThat(
        java.sql.DriverManager.getDriver("jdbc:postgresql://h:5439/dev").getClass().getName(),
        equalTo("org.postgresql.Driver"));
  }

  @Test
  void theStandInsStageWhereTheirWarehousesDo() {
    assertThrows(
        IllegalArgumentException.class,
        () -> WarehouseRoute.SYNAPSE.checkDestination("s3://b/p", WarehouseDialect.H2));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WarehouseRoute.SYNAPSE.checkDestination("s3://b/p", WarehouseDialect.SYNAPSE));
    assertThat(e.getMessage(), containsString("use azfs://…"));
    assertThrows(
        IllegalArgumentException.class,
        () -> WarehouseRoute.REDSHIFT.checkDestination("/tmp/x", WarehouseDialect.POSTGRES));
  }
}
