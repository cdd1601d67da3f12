package io.lakeroute.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.warehouse.WarehouseTarget.Disposition;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests of every statement the Redshift load generates, for Redshift itself and for its
 * PostgreSQL stand-in, which differs in the binary type only. The statements are executed by
 * RedshiftCopyIT and RedshiftRouteIT (the COPY by the stand-in's driver); these tests pin the text.
 */
class RedshiftSqlTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/lakeroute-load";
  private static final String RUN = "s3://bucket/exports/customers/20260101T000000Z/";

  private static WarehouseTarget target(Disposition disposition) {
    return new WarehouseTarget(
            "sales",
            "customers",
            disposition,
            disposition == Disposition.MERGE ? List.of("id", "n") : List.of())
        // The merges delete by a soft-delete column too: the fixtures' boolean column.
        .withSoftDeleteColumn(disposition == Disposition.MERGE ? "active" : null);
  }

  private static WarehouseSql redshift(WarehouseTarget target, Manifest manifest, String role) {
    return new WarehouseSql(WarehouseDialect.REDSHIFT, target, manifest, role);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "redshift-parquet-replace.sql, parquet, snappy, REPLACE",
    "redshift-csv-gzip-append.sql, csv, gzip, APPEND",
    "redshift-json-merge.sql, json, none, MERGE",
    "redshift-avro-append.sql, avro, snappy, APPEND",
  })
  void redshiftMatchesGolden(String name, String format, String codec, Disposition disposition)
      throws IOException {
    WarehouseSql sql = redshift(target(disposition), Golden.manifest(format, codec, RUN), ROLE);
    Golden.check(getClass(), name, Golden.statements(sql, sql.load()));
  }

  @Test
  void postgresStandInMatchesGolden() throws IOException {
    WarehouseSql sql =
        new WarehouseSql(
            WarehouseDialect.POSTGRES,
            target(Disposition.MERGE),
            Golden.manifest("parquet", "snappy", RUN),
            ROLE);
    Golden.check(getClass(), "postgres-parquet-merge.sql", Golden.statements(sql, sql.load()));
  }

  @Test
  void theStandInSpeaksForRedshift() {
    assertThat(WarehouseDialect.of("postgres").warehouse(), equalTo(WarehouseDialect.REDSHIFT));
    assertThat(WarehouseDialect.of(" Redshift ").warehouse(), equalTo(WarehouseDialect.REDSHIFT));
    assertThat(WarehouseDialect.POSTGRES.defaultSchema(), equalTo("public"));
    // Workers get the same instance back, so a dialect compares by identity everywhere.
    assertThat(
        SerializableUtils.clone(WarehouseDialect.POSTGRES),
        sameInstance(WarehouseDialect.POSTGRES));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WarehouseDialect.of("oracle"));
    assertThat(e.getMessage(), containsString("use redshift, postgres, synapse, h2"));
  }

  @Test
  void manifestListsExactlyTheRunsFilesWithTheirLengths() throws IOException {
    Manifest manifest = Golden.manifest("parquet", "snappy", RUN);
    assertThat(RedshiftDialect.manifestUri(manifest), equalTo(RUN + "_redshift_manifest.json"));
    Golden.check(getClass(), "redshift-manifest.json", RedshiftDialect.manifestJson(manifest));
  }

  @Test
  void typesAreRedshiftsOwn() {
    Manifest parquet = Golden.manifest("parquet", "snappy", RUN);
    WarehouseSql sql = redshift(target(Disposition.APPEND), parquet, ROLE);
    assertThat(type(sql, parquet, "amount"), equalTo("DECIMAL(38,10)"));
    assertThat(type(sql, parquet, "created"), equalTo("TIMESTAMP"));
    assertThat(type(sql, parquet, "seen"), equalTo("TIMESTAMPTZ"));
    assertThat(type(sql, parquet, "born"), equalTo("DATE"));
    assertThat(type(sql, parquet, "active"), equalTo("BOOLEAN"));
    assertThat(type(sql, parquet, "name"), equalTo("VARCHAR(65535)"));
    assertThat(type(sql, parquet, "payload"), equalTo("VARBYTE(1024000)"));
    assertThat(
        sql.addColumn(sql.column("NAME")),
        equalTo("ALTER TABLE \"sales\".\"customers\" ADD COLUMN \"name\" VARCHAR(65535)"));
    Manifest csv = Golden.manifest("csv", "none", RUN);
    assertThat(
        type(redshift(target(Disposition.APPEND), csv, ROLE), csv, "payload"),
        equalTo("VARCHAR(65535)"));
  }

  private static String type(WarehouseSql sql, Manifest manifest, String column) {
    return sql.columnType(
        manifest.columns().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow());
  }

  @Test
  void identifiersAndLiteralsCannotBeEscaped() {
    WarehouseSql sql =
        redshift(
            new WarehouseTarget("s\"; drop table x; --", "t", Disposition.APPEND, List.of()),
            Golden.manifest("parquet", "snappy", "s3://b/it's/"),
            ROLE);
    assertThat(sql.table(), equalTo("\"s\"\"; drop table x; --\".\"t\""));
    assertThat(sql.load(), containsString("FROM 's3://b/it''s/_redshift_manifest.json'"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            redshift(
                    target(Disposition.APPEND),
                    Golden.manifest("parquet", "snappy", "s3://b/back\\slash/"),
                    ROLE)
                .load());
  }

  @Test
  void refusesWhatRedshiftCannotRead() {
    Manifest json = Golden.manifest("json", "none", RUN);
    IllegalArgumentException noRole =
        assertThrows(
            IllegalArgumentException.class,
            () -> redshift(target(Disposition.APPEND), json, null).load());
    assertThat(noRole.getMessage(), containsString("(withStorageCredential)"));
    IllegalArgumentException upper =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                redshift(
                    new WarehouseTarget("sales", "Customers", Disposition.APPEND, List.of()),
                    json,
                    ROLE));
    assertThat(upper.getMessage(), containsString("lower case"));
    IllegalArgumentException key =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                redshift(
                    new WarehouseTarget("sales", "t", Disposition.MERGE, List.of("nope")),
                    json,
                    ROLE));
    assertThat(key.getMessage(), containsString("(withMergeKeys) name nope"));
  }

  @Test
  void typeFamiliesMatchAcrossSpellings() {
    assertThat(WarehouseSql.family("character varying"), equalTo("text"));
    assertThat(WarehouseSql.family("NVARCHAR(MAX)"), equalTo("text"));
    assertThat(WarehouseSql.family("numeric"), equalTo("decimal"));
    assertThat(WarehouseSql.family("DECIMAL(38,10)"), equalTo("decimal"));
    assertThat(WarehouseSql.family("timestamp with time zone"), equalTo("timestamptz"));
    assertThat(WarehouseSql.family("DATETIMEOFFSET(6)"), equalTo("timestamptz"));
    assertThat(WarehouseSql.family("DATETIME2(6)"), equalTo("timestamp"));
    assertThat(WarehouseSql.family("BIT"), equalTo("boolean"));
    assertThat(WarehouseSql.family("double precision"), equalTo("double"));
    assertThat(WarehouseSql.family("FLOAT"), equalTo("double"));
  }
}
