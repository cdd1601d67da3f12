package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.TrickyRows.ColumnMetadata;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dialect comes from the JDBC URL, and each maps what its driver reports (as MariaDB
 * Connector/J 3.5 reports it against MariaDB 10.11, seen in MariaDbValuesIT) to the type that holds
 * its values.
 */
class SourceDialectTest {

  @ParameterizedTest
  @CsvSource({
    "jdbc:postgresql://db:5432/shop, PostgreSQL, SHARED_SNAPSHOT",
    "jdbc:mariadb://db:3306/shop, MariaDB, ONE_READER",
    "jdbc:mysql://db:3306/shop, MariaDB, ONE_READER",
    "jdbc:h2:mem:demo, H2, PER_PARTITION",
    "jdbc:sqlserver://db;databaseName=shop, a JDBC database, PER_PARTITION"
  })
  void isChosenFromTheUrl(String url, String database, SourceDialect.Consistency consistency) {
    SourceDialect dialect = SourceDialect.forUrl(url);

    assertThat(dialect.database(), equalTo(database));
    assertThat(dialect.consistency(), equalTo(consistency));
  }

  @Test
  void mariaDbSetsItsSessionZoneAndTheBinaryProtocolOnEveryConnection() {
    SourceDialect mariadb = SourceDialect.forUrl("jdbc:mariadb://db/shop");

    assertThat(mariadb.sessionSql(), equalTo(List.of("SET time_zone = '+00:00'")));
    assertThat(
        mariadb.connectionProperties(java.time.Duration.ofSeconds(7)),
        equalTo("useServerPrepStmts=true;connectTimeout=7000"));
    assertThat(
        SourceDialect.forUrl("jdbc:postgresql://db/shop")
            .connectionProperties(java.time.Duration.ofSeconds(7)),
        equalTo("loginTimeout=7"));
    assertThat(SourceDialect.forUrl("jdbc:postgresql://db/shop").sessionSql(), equalTo(List.of()));
  }

  private static FieldType mariaDb(ColumnMetadata column) throws SQLException {
    Schema schema =
        SqlTypeMapping.schemaOf(
            TrickyRows.metadata(List.of(column)), SourceDialect.forUrl("jdbc:mariadb://db/shop"));
    return schema.getField(0).getType().withNullable(false);
  }

  @Test
  void mapsWhatMariaDbConnectorJReports() throws Exception {
    assertThat(
        mariaDb(new ColumnMetadata("flag", Types.BOOLEAN, "BOOLEAN", 1, 0, true)),
        equalTo(FieldType.BOOLEAN));
    assertThat(
        mariaDb(new ColumnMetadata("b1", Types.BOOLEAN, "BIT", 1, 0, false)),
        equalTo(FieldType.BOOLEAN));
    assertThat(
        mariaDb(new ColumnMetadata("b12", Types.BIT, "BIT", 12, 0, false)),
        equalTo(FieldType.INT64));
    assertThat(
        mariaDb(new ColumnMetadata("b64", Types.BIT, "BIT", 64, 0, false)),
        equalTo(FieldType.logicalType(FixedPrecisionNumeric.of(20, 0))));
    assertThat(
        mariaDb(new ColumnMetadata("y", Types.DATE, "YEAR", 4, 0, false)),
        equalTo(FieldType.INT16));
    assertThat(
        mariaDb(new ColumnMetadata("ts", Types.TIMESTAMP, "TIMESTAMP", 26, 6, false)),
        equalTo(FieldType.logicalType(SqlTypes.TIMESTAMP)));
    assertThat(
        mariaDb(new ColumnMetadata("dt", Types.TIMESTAMP, "DATETIME", 26, 6, true)),
        equalTo(FieldType.logicalType(SqlTypes.DATETIME)));
    assertThat(
        mariaDb(new ColumnMetadata("j", Types.LONGVARCHAR, "JSON", 0, 0, true)),
        equalTo(FieldType.STRING));
    assertThat(
        mariaDb(new ColumnMetadata("u", Types.OTHER, "uuid", 36, 0, false)),
        equalTo(FieldType.STRING));
    assertThat(
        mariaDb(new ColumnMetadata("u64", Types.BIGINT, "BIGINT UNSIGNED", 20, 0, false)),
        equalTo(FieldType.logicalType(FixedPrecisionNumeric.of(20, 0))));
  }

  @Test
  void refusesMariaDbDecimalsWiderThan38DigitsWithACastMariaDbRuns() {
    UnsupportedColumnTypeException e =
        assertThrows(
            UnsupportedColumnTypeException.class,
            () -> mariaDb(new ColumnMetadata("amount", Types.DECIMAL, "DECIMAL", 65, 30, true)));

    assertThat(e.column(), equalTo("amount"));
    assertThat(e.sqlType(), equalTo("DECIMAL(65,30)"));
  }

  @Test
  void leavesOtherDatabasesTypeNamesToTheJdbcStandard() {
    // An OTHER named json is text from PostgreSQL; from a database lakeroute does not know, the
    // name is no promise.
    SourceDialect standard = SourceDialect.forUrl("jdbc:sqlserver://db");
    assertThrows(
        UnsupportedColumnTypeException.class,
        () ->
            SqlTypeMapping.schemaOf(
                TrickyRows.metadata(
                    List.of(new ColumnMetadata("m", Types.OTHER, "json", 0, 0, false))),
                standard));
  }
}
