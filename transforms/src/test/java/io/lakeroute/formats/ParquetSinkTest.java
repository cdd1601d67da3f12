package io.lakeroute.formats;

import static io.lakeroute.testing.TrickyRows.assertSameRows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.TrickyRows;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ParquetSinkTest {
  @TempDir Path dir;

  @Test
  void roundTripsTrickyRowsThroughFileIo() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.PARQUET);

    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    assertThat(file.getFileName().toString(), endsWith(".parquet"));
    assertSameRows(TrickyRows.rows(), FormatFiles.readParquet(file, TrickyRows.schema()));
  }

  static List<String> codecs() {
    return FileFormat.PARQUET.codecs();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void roundTripsWithEveryCodecAndRecordsItPerColumn(String codec) throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.PARQUET).withCodec(codec);
    Path file =
        FormatFiles.writeDirect(
            spec, TrickyRows.schema(), TrickyRows.rows(), dir.resolve("t.parquet"));

    assertSameRows(TrickyRows.rows(), FormatFiles.readParquet(file, TrickyRows.schema()));
    CompressionCodecName expected =
        codec.equals("none")
            ? CompressionCodecName.UNCOMPRESSED
            : CompressionCodecName.valueOf(codec.toUpperCase(java.util.Locale.ROOT));
    List<CompressionCodecName> used =
        FormatFiles.parquetFooter(file).getBlocks().stream()
            .flatMap(b -> b.getColumns().stream())
            .map(ColumnChunkMetaData::getCodec)
            .collect(Collectors.toList());
    assertThat(used, everyItem(equalTo(expected)));
  }

  @Test
  void declaresTheDocumentedPhysicalAndLogicalTypes() throws Exception {
    Path file =
        FormatFiles.writeDirect(
            FormatSpec.of(FileFormat.PARQUET),
            TrickyRows.schema(),
            TrickyRows.rows(),
            dir.resolve("t.parquet"));
    MessageType schema = FormatFiles.parquetFooter(file).getFileMetaData().getSchema();

    assertThat(schema.getName(), equalTo("lakeroute_row"));
    assertThat(
        schema.getFields().stream().map(Type::getName).collect(Collectors.toList()),
        equalTo(TrickyRows.schema().getFieldNames()));
    for (Type field : schema.getFields()) {
      assertThat(field.getName(), field.getRepetition(), equalTo(Type.Repetition.OPTIONAL));
    }
    assertColumn(schema, "id", PrimitiveTypeName.INT32, null);
    assertColumn(
        schema,
        "c_dec38",
        PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY,
        LogicalTypeAnnotation.decimalType(10, 38));
    assertThat(schema.getType("c_dec38").asPrimitiveType().getTypeLength(), equalTo(16));
    assertColumn(
        schema,
        "c_dec5",
        PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY,
        LogicalTypeAnnotation.decimalType(2, 5));
    assertThat(schema.getType("c_dec5").asPrimitiveType().getTypeLength(), equalTo(3));
    assertColumn(
        schema, "c_int2", PrimitiveTypeName.INT32, LogicalTypeAnnotation.intType(16, true));
    assertColumn(schema, "c_int4", PrimitiveTypeName.INT32, null);
    assertColumn(schema, "c_int8", PrimitiveTypeName.INT64, null);
    assertColumn(schema, "c_float4", PrimitiveTypeName.FLOAT, null);
    assertColumn(schema, "c_float8", PrimitiveTypeName.DOUBLE, null);
    assertColumn(schema, "c_bool", PrimitiveTypeName.BOOLEAN, null);
    assertColumn(schema, "c_text", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
    assertColumn(schema, "c_char", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
    assertColumn(schema, "c_bytea", PrimitiveTypeName.BINARY, null);
    assertColumn(schema, "c_date", PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType());
    // Spark and Databricks have no TIME type: it travels as text.
    assertColumn(schema, "c_time", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
    assertColumn(
        schema,
        "c_timestamp",
        PrimitiveTypeName.INT64,
        LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS));
    assertColumn(
        schema,
        "c_timestamptz",
        PrimitiveTypeName.INT64,
        LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
    assertColumn(schema, "c_uuid", PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType());
    assertThat(ParquetSink.parquetSchema(TrickyRows.schema()), equalTo(schema));
  }

  private static void assertColumn(
      MessageType schema, String name, PrimitiveTypeName physical, LogicalTypeAnnotation logical) {
    PrimitiveType type = schema.getType(name).asPrimitiveType();
    assertThat(name, type.getPrimitiveTypeName(), equalTo(physical));
    assertThat(
        name, type.getLogicalTypeAnnotation(), logical == null ? nullValue() : equalTo(logical));
  }

  @Test
  void emptyFileStillCarriesTheSchema() throws Exception {
    Path file =
        FormatFiles.writeDirect(
            FormatSpec.of(FileFormat.PARQUET),
            TrickyRows.schema(),
            List.of(),
            dir.resolve("empty.parquet"));

    ParquetMetadata footer = FormatFiles.parquetFooter(file);
    assertThat(
        footer.getFileMetaData().getSchema(),
        equalTo(ParquetSink.parquetSchema(TrickyRows.schema())));
    assertThat(
        footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum(), equalTo(0L));
    assertThat(FormatFiles.readParquet(file, TrickyRows.schema()), empty());
  }

  @Test
  void writesEveryDecimalPrecisionAtItsFixedWidth() throws Exception {
    // Each precision has its own FIXED length; the extremes of each must sign-extend correctly.
    for (int precision = 1; precision <= 38; precision++) {
      int scale = precision / 3;
      Schema schema =
          Schema.builder()
              .addNullableField(
                  "d", FieldType.logicalType(FixedPrecisionNumeric.of(precision, scale)))
              .build();
      BigDecimal max = BigDecimal.TEN.pow(precision).subtract(BigDecimal.ONE).movePointLeft(scale);
      BigDecimal tiny = BigDecimal.ONE.movePointLeft(scale);
      List<Row> rows =
          List.of(
              Row.withSchema(schema).attachValues(max),
              Row.withSchema(schema).attachValues(max.negate()),
              Row.withSchema(schema).attachValues(tiny),
              Row.withSchema(schema).attachValues(tiny.negate()),
              Row.withSchema(schema).attachValues(BigDecimal.ZERO.setScale(scale)));
      Path file =
          FormatFiles.writeDirect(
              FormatSpec.of(FileFormat.PARQUET), schema, rows, dir.resolve(precision + ".parquet"));

      List<Row> read = FormatFiles.readParquet(file, schema);
      assertThat(
          "precision " + precision,
          read.stream().map(r -> r.getDecimal("d")).collect(Collectors.toList()),
          equalTo(rows.stream().map(r -> r.getDecimal("d")).collect(Collectors.toList())));
    }
  }

  @Test
  void rejectsAnUnknownCodecNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ParquetSink(TrickyRows.schema(), "brotli"));
    assertThat(e.getMessage(), containsString("FormatSpec.withCodec(brotli)"));
  }
}
