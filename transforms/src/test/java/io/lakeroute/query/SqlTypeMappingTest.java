package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.TrickyRows;
import io.lakeroute.testing.TrickyRows.ColumnMetadata;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlTypeMappingTest {
  private static Connection h2;

  @BeforeAll
  static void connect() throws SQLException {
    h2 = DriverManager.getConnection("jdbc:h2:mem:sql_type_mapping");
  }

  @AfterAll
  static void disconnect() throws SQLException {
    h2.close();
  }

  private static void execute(String sql) throws SQLException {
    try (Statement statement = h2.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Schema schemaOf(String query) throws SQLException {
    try (Statement statement = h2.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      return SqlTypeMapping.schemaOf(result.getMetaData(), SourceDialect.forUrl("jdbc:h2:mem:"));
    }
  }

  private static Schema.Field field(String name, FieldType type, String sourceType) {
    return Schema.Field.nullable(name, type).withDescription(sourceType);
  }

  private static FieldType decimal(int precision, int scale) {
    return FieldType.logicalType(FixedPrecisionNumeric.of(precision, scale));
  }

  @Test
  void mapsEverySupportedH2TypeToANullableFieldDescribedByTheSourceType() throws Exception {
    execute(
        "CREATE TABLE supported ("
            + "t_tinyint TINYINT, t_smallint SMALLINT, t_int INTEGER NOT NULL PRIMARY KEY,"
            + " t_bigint BIGINT, t_dec38 DECIMAL(38,10), t_num5 NUMERIC(5,2), t_num10 NUMERIC(10),"
            + " t_real REAL, t_float FLOAT, t_double DOUBLE PRECISION, t_bool BOOLEAN,"
            + " t_char CHAR(3), t_varchar VARCHAR(50), t_clob CLOB, t_binary BINARY(4),"
            + " t_varbinary VARBINARY(10), t_blob BLOB, t_date DATE, t_time TIME(6),"
            + " t_timestamp TIMESTAMP, t_timestamptz TIMESTAMP WITH TIME ZONE, t_json JSON,"
            + " t_uuid UUID)");

    Schema schema = schemaOf("SELECT * FROM supported");

    Schema expected =
        Schema.builder()
            .addField(field("T_TINYINT", FieldType.INT16, "TINYINT"))
            .addField(field("T_SMALLINT", FieldType.INT16, "SMALLINT"))
            // NOT NULL in the table, yet nullable: a query's result can hold NULL anywhere.
            .addField(field("T_INT", FieldType.INT32, "INTEGER"))
            .addField(field("T_BIGINT", FieldType.INT64, "BIGINT"))
            .addField(field("T_DEC38", decimal(38, 10), "DECIMAL"))
            .addField(field("T_NUM5", decimal(5, 2), "NUMERIC"))
            .addField(field("T_NUM10", decimal(10, 0), "NUMERIC"))
            .addField(field("T_REAL", FieldType.FLOAT, "REAL"))
            .addField(field("T_FLOAT", FieldType.DOUBLE, "DOUBLE PRECISION"))
            .addField(field("T_DOUBLE", FieldType.DOUBLE, "DOUBLE PRECISION"))
            .addField(field("T_BOOL", FieldType.BOOLEAN, "BOOLEAN"))
            .addField(field("T_CHAR", FieldType.STRING, "CHARACTER"))
            .addField(field("T_VARCHAR", FieldType.STRING, "CHARACTER VARYING"))
            .addField(field("T_CLOB", FieldType.STRING, "CHARACTER LARGE OBJECT"))
            .addField(field("T_BINARY", FieldType.BYTES, "BINARY"))
            .addField(field("T_VARBINARY", FieldType.BYTES, "BINARY VARYING"))
            .addField(field("T_BLOB", FieldType.BYTES, "BINARY LARGE OBJECT"))
            .addField(field("T_DATE", FieldType.logicalType(SqlTypes.DATE), "DATE"))
            .addField(field("T_TIME", FieldType.logicalType(SqlTypes.TIME), "TIME"))
            .addField(field("T_TIMESTAMP", FieldType.logicalType(SqlTypes.DATETIME), "TIMESTAMP"))
            .addField(
                field(
                    "T_TIMESTAMPTZ",
                    FieldType.logicalType(SqlTypes.TIMESTAMP),
                    "TIMESTAMP WITH TIME ZONE"))
            .addField(field("T_JSON", FieldType.STRING, "JSON"))
            // H2 reports UUID as BINARY; it is text, as from PostgreSQL.
            .addField(field("T_UUID", FieldType.STRING, "UUID"))
            .build();
    assertThat(schema, equalTo(expected));
  }

  @Test
  void namesFieldsByTheirLabel() throws Exception {
    Schema schema = schemaOf("SELECT 1 AS \"answer\", CAST(NULL AS DATE) AS \"Day Of\"");

    assertThat(schema.getFieldNames(), equalTo(List.of("answer", "Day Of")));
  }

  @Test
  void rejectsTwoColumnsWhoseNamesDifferOnlyInCase() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> schemaOf("SELECT 1 AS \"a\", 2 AS \"A\""));

    assertThat(e.getMessage(), allOf(containsString("'A'"), containsString("AS")));
  }

  /** H2 reports the precision of NUMERIC without one as its maximum, 100000. */
  @ParameterizedTest
  @CsvSource({
    "NUMERIC, 'NUMERIC(100000,0)'",
    "DECIMAL, 'DECIMAL(100000,0)'",
    "DECFLOAT, 'DECFLOAT(100000,0)'",
    "'NUMERIC(39,2)', 'NUMERIC(39,2)'"
  })
  void rejectsDecimalsWiderThan38DigitsAdvisingACast(String declared, String reported)
      throws Exception {
    UnsupportedColumnTypeException e =
        assertThrows(
            UnsupportedColumnTypeException.class,
            () -> schemaOf("SELECT CAST(NULL AS " + declared + ") AS amount"));

    assertThat(e.column(), equalTo("AMOUNT"));
    assertThat(e.sqlType(), equalTo(reported));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("Column 'AMOUNT'"),
            containsString(reported),
            containsString("CAST(AMOUNT AS DECIMAL(38,")));
  }

  @ParameterizedTest
  @CsvSource({
    "INTEGER ARRAY, INTEGER ARRAY",
    "INTERVAL DAY, INTERVAL DAY",
    "INTERVAL YEAR TO MONTH, INTERVAL YEAR TO MONTH",
    "TIME WITH TIME ZONE, TIME WITH TIME ZONE",
    "'ROW(a INT)', 'ROW(\"A\" INTEGER)'",
    "JAVA_OBJECT, JAVA_OBJECT",
    "GEOMETRY, GEOMETRY",
    "'ENUM(''x'', ''y'')', 'ENUM(''x'', ''y'')'"
  })
  void rejectsTypesItCannotCarryNamingColumnAndType(String declared, String reported)
      throws Exception {
    String table = "unsupported_" + Math.abs(declared.hashCode());
    execute("CREATE TABLE " + table + " (id INT, odd " + declared + ")");

    UnsupportedColumnTypeException e =
        assertThrows(
            UnsupportedColumnTypeException.class, () -> schemaOf("SELECT * FROM " + table));

    assertThat(e.column(), equalTo("ODD"));
    assertThat(e.sqlType(), equalTo(reported));
    assertThat(
        e.getMessage(), allOf(containsString("Column 'ODD'"), containsString("type " + reported)));
  }

  // ---------------------------------------------------------------- drivers not at hand

  private static final SourceDialect POSTGRES = SourceDialect.forUrl("jdbc:postgresql://h/d");
  private static final SourceDialect MARIADB = SourceDialect.forUrl("jdbc:mariadb://h/d");

  private static Schema schemaOf(SourceDialect dialect, ColumnMetadata... columns)
      throws SQLException {
    return SqlTypeMapping.schemaOf(TrickyRows.metadata(List.of(columns)), dialect);
  }

  private static FieldType typeOf(SourceDialect dialect, ColumnMetadata column)
      throws SQLException {
    return schemaOf(dialect, column).getField(0).getType();
  }

  @Test
  void widensUnsignedMySqlIntegersSoThatEveryValueFits() throws Exception {
    // MariaDB Connector/J reports UNSIGNED types with the JDBC type of the signed ones.
    assertThat(
        typeOf(MARIADB, new ColumnMetadata("u8", Types.TINYINT, "TINYINT UNSIGNED", 3, 0, false)),
        equalTo(FieldType.INT16.withNullable(true)));
    assertThat(
        typeOf(
            MARIADB, new ColumnMetadata("u16", Types.SMALLINT, "SMALLINT UNSIGNED", 5, 0, false)),
        equalTo(FieldType.INT32.withNullable(true)));
    assertThat(
        typeOf(MARIADB, new ColumnMetadata("u32", Types.INTEGER, "INT UNSIGNED", 10, 0, false)),
        equalTo(FieldType.INT64.withNullable(true)));
    assertThat(
        typeOf(MARIADB, new ColumnMetadata("u64", Types.BIGINT, "BIGINT UNSIGNED", 20, 0, false)),
        equalTo(decimal(20, 0).withNullable(true)));
  }

  @Test
  void mapsPostgresSpecificReports() throws Exception {
    // Unconstrained numeric: pgjdbc reports precision 0.
    assertThat(
        typeOf(POSTGRES, new ColumnMetadata("n", Types.NUMERIC, "numeric", 0, 0, true)),
        equalTo(
            decimal(SqlTypeMapping.MAX_DECIMAL_PRECISION, SqlTypeMapping.UNBOUNDED_DECIMAL_SCALE)
                .withNullable(true)));
    assertThat(
        typeOf(POSTGRES, new ColumnMetadata("b", Types.BIT, "bool", 1, 0, false)),
        equalTo(FieldType.BOOLEAN.withNullable(true)));
    assertThat(
        typeOf(POSTGRES, new ColumnMetadata("tz", Types.TIMESTAMP, "timestamptz", 35, 6, false)),
        equalTo(FieldType.logicalType(SqlTypes.TIMESTAMP).withNullable(true)));
    assertThat(
        typeOf(POSTGRES, new ColumnMetadata("j", Types.OTHER, "json", Integer.MAX_VALUE, 0, false)),
        equalTo(FieldType.STRING.withNullable(true)));
  }

  @ParameterizedTest
  @CsvSource({
    "-7, bit, 8",
    "8, money, 17",
    "92, timetz, 21",
    "1111, interval, 49",
    "2003, _int4, 10",
    "1111, inet, 2147483647"
  })
  void rejectsPostgresTypesItCannotCarry(int jdbcType, String typeName, int precision) {
    UnsupportedColumnTypeException e =
        assertThrows(
            UnsupportedColumnTypeException.class,
            () ->
                schemaOf(
                    POSTGRES, new ColumnMetadata("c", jdbcType, typeName, precision, 0, false)));

    assertThat(e.column(), equalTo("c"));
    assertThat(e.sqlType(), equalTo(typeName));
  }
}
