package io.lakeroute.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.warehouse.WarehouseTarget.Disposition;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests of every statement the Synapse load generates: for Synapse itself (text only: no TDS
 * server is reachable from the tests) and for its H2 stand-in (executed by SynapseRouteIT).
 */
class SynapseSqlTest {
  private static final String RUN = "azfs://acct/exports/customers/20260101T000000Z/";

  private static WarehouseTarget target(Disposition disposition) {
    return new WarehouseTarget(
            "dbo",
            "Customers",
            disposition,
            disposition == Disposition.MERGE ? List.of("id") : List.of())
        // The merges delete by a soft-delete column too: the fixtures' boolean column.
        .withSoftDeleteColumn(disposition == Disposition.MERGE ? "active" : null);
  }

  private static WarehouseSql synapse(WarehouseTarget target, Manifest manifest, String sas) {
    return new WarehouseSql(WarehouseDialect.SYNAPSE, target, manifest, sas);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "synapse-parquet-replace-managed-identity.sql, parquet, snappy, REPLACE, ",
    "synapse-csv-gzip-merge-sas.sql, csv, gzip, MERGE, sv=2022-11-02&sig=abc",
    "synapse-csv-append-managed-identity.sql, csv, none, APPEND, ",
  })
  void synapseMatchesGolden(
      String name, String format, String codec, Disposition disposition, String sas)
      throws IOException {
    WarehouseSql sql = synapse(target(disposition), Golden.manifest(format, codec, RUN), sas);
    Golden.check(getClass(), name, Golden.statements(sql, sql.load()));
  }

  @Test
  void h2StandInMatchesGolden() throws IOException {
    WarehouseSql sql =
        new WarehouseSql(
            WarehouseDialect.H2,
            target(Disposition.MERGE),
            Golden.manifest("csv", "none", RUN),
            null);
    Golden.check(getClass(), "h2-csv-merge.sql", Golden.statements(sql, sql.load()));
  }

  @Test
  void theStandInSpeaksForSynapse() {
    assertThat(WarehouseDialect.of("h2").warehouse(), equalTo(WarehouseDialect.SYNAPSE));
    assertThat(WarehouseDialect.SYNAPSE.warehouse(), equalTo(WarehouseDialect.SYNAPSE));
    assertThat(WarehouseDialect.H2.formats(), equalTo(Set.of("csv", "parquet")));
    assertThat(WarehouseDialect.SYNAPSE.formats(), equalTo(Set.of("csv", "parquet")));
    assertThat(WarehouseDialect.SYNAPSE.stagingSchemes(), equalTo(Set.of("azfs")));
    assertThat(WarehouseDialect.H2.stagingSchemes(), equalTo(Set.of("azfs")));
  }

  @Test
  void typesAreTsql() {
    Manifest parquet = Golden.manifest("parquet", "snappy", RUN);
    WarehouseSql sql = synapse(target(Disposition.APPEND), parquet, null);
    assertThat(type(sql, parquet, "amount"), equalTo("DECIMAL(38,10)"));
    assertThat(type(sql, parquet, "created"), equalTo("DATETIME2(6)"));
    assertThat(type(sql, parquet, "seen"), equalTo("DATETIMEOFFSET(6)"));
    assertThat(type(sql, parquet, "born"), equalTo("DATE"));
    assertThat(type(sql, parquet, "active"), equalTo("BIT"));
    assertThat(type(sql, parquet, "name"), equalTo("NVARCHAR(MAX)"));
    assertThat(type(sql, parquet, "payload"), equalTo("VARBINARY(MAX)"));
    assertThat(type(sql, parquet, "ratio"), equalTo("FLOAT"));
    assertThat(
        sql.addColumn(sql.column("seen")),
        equalTo("ALTER TABLE [dbo].[Customers] ADD [seen] DATETIMEOFFSET(6)"));
  }

  private static String type(WarehouseSql sql, Manifest manifest, String column) {
    return sql.columnType(
        manifest.columns().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow());
  }

  @Test
  void azfsBecomesTheBlobUrl() {
    assertThat(
        SynapseDialect.httpsUrl("azfs://acct/container/a/b.parquet"),
        equalTo("https://acct.blob.core.windows.net/container/a/b.parquet"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SynapseDialect.httpsUrl("s3://b/k"));
    assertThat(e.getMessage(), containsString("deliver to azfs://"));
  }

  @Test
  void refusesWhatCopyIntoCannotRead() {
    IllegalArgumentException avro =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                synapse(target(Disposition.APPEND), Golden.manifest("avro", "snappy", RUN), null));
    assertThat(
        avro.getMessage(),
        containsString(
            "Synapse's COPY INTO loads csv and parquet, not avro: deliver with the file format"
                + " (withFormat) csv or parquet"));
  }

  @Test
  void bracketsAndQuotesCannotBeEscaped() {
    WarehouseSql sql =
        synapse(
            new WarehouseTarget("d]bo", "t'x", Disposition.APPEND, List.of()),
            Golden.manifest("parquet", "snappy", RUN),
            null);
    assertThat(sql.table(), equalTo("[d]]bo].[t'x]"));
    assertThat(sql.describeColumns(), containsString("TABLE_NAME = N't''x'"));
  }
}
