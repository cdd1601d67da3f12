package io.lakeroute.formats;

import static io.lakeroute.testing.TrickyRows.assertSameRows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.TrickyRows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema.Type;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSinkTest {
  @TempDir Path dir;

  @Test
  void roundTripsTrickyRowsThroughFileIo() throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.AVRO);

    Path file = FormatFiles.writeWithPipeline(spec, TrickyRows.schema(), TrickyRows.rows(), dir);

    assertThat(file.getFileName().toString(), endsWith(".avro"));
    assertSameRows(TrickyRows.rows(), FormatFiles.readAvro(file, TrickyRows.schema()));
  }

  static List<String> codecs() {
    return FileFormat.AVRO.codecs();
  }

  /** The name Avro records in the file header for each lakeroute codec. */
  private static final Map<String, String> AVRO_CODEC_NAMES =
      Map.of("snappy", "snappy", "none", "null", "deflate", "deflate", "zstd", "zstandard");

  @ParameterizedTest
  @MethodSource("codecs")
  void roundTripsWithEveryCodecAndRecordsItInTheHeader(String codec) throws Exception {
    FormatSpec spec = FormatSpec.of(FileFormat.AVRO).withCodec(codec);
    Path file =
        FormatFiles.writeDirect(
            spec, TrickyRows.schema(), TrickyRows.rows(), dir.resolve("t.avro"));

    assertSameRows(TrickyRows.rows(), FormatFiles.readAvro(file, TrickyRows.schema()));
    assertThat(FormatFiles.avroCodec(file), equalTo(AVRO_CODEC_NAMES.get(codec)));
  }

  @Test
  void declaresNullableFieldsWithLogicalTypesAndSourceTypesAsDoc() throws Exception {
    Path file =
        FormatFiles.writeDirect(
            FormatSpec.of(FileFormat.AVRO),
            TrickyRows.schema(),
            TrickyRows.rows(),
            dir.resolve("t.avro"));
    org.apache.avro.Schema schema = FormatFiles.avroFileSchema(file);

    assertThat(schema.getFullName(), equalTo("io.lakeroute.lakeroute_row"));
    assertThat(
        schema.getFields().stream()
            .map(org.apache.avro.Schema.Field::name)
            .collect(Collectors.toList()),
        equalTo(TrickyRows.schema().getFieldNames()));
    for (Schema.Field beam : TrickyRows.schema().getFields()) {
      org.apache.avro.Schema.Field field = schema.getField(beam.getName());
      List<org.apache.avro.Schema> union = field.schema().getTypes();
      assertThat(beam.getName(), union.size(), equalTo(2));
      assertThat(beam.getName(), union.get(0).getType(), equalTo(Type.NULL));
      assertThat(beam.getName(), field.defaultVal(), equalTo(JsonProperties.NULL_VALUE));
      assertThat(beam.getName(), field.doc(), equalTo(beam.getDescription()));
    }
    assertBranch(schema, "c_dec38", Type.BYTES, LogicalTypes.decimal(38, 10));
    assertBranch(schema, "c_dec5", Type.BYTES, LogicalTypes.decimal(5, 2));
    assertBranch(schema, "c_int2", Type.INT, null);
    assertBranch(schema, "c_int4", Type.INT, null);
    assertBranch(schema, "c_int8", Type.LONG, null);
    assertBranch(schema, "c_float4", Type.FLOAT, null);
    assertBranch(schema, "c_float8", Type.DOUBLE, null);
    assertBranch(schema, "c_bool", Type.BOOLEAN, null);
    assertBranch(schema, "c_text", Type.STRING, null);
    assertBranch(schema, "c_bytea", Type.BYTES, null);
    assertBranch(schema, "c_date", Type.INT, LogicalTypes.date());
    assertBranch(schema, "c_time", Type.STRING, null);
    assertBranch(schema, "c_timestamp", Type.LONG, LogicalTypes.localTimestampMicros());
    assertBranch(schema, "c_timestamptz", Type.LONG, LogicalTypes.timestampMicros());
    assertBranch(schema, "c_jsonb", Type.STRING, null);
    assertThat(AvroSink.avroSchema(TrickyRows.schema()), equalTo(schema));
  }

  private static void assertBranch(
      org.apache.avro.Schema record, String name, Type type, LogicalType logical) {
    org.apache.avro.Schema branch = record.getField(name).schema().getTypes().get(1);
    assertThat(name, branch.getType(), equalTo(type));
    assertThat(name, branch.getLogicalType(), logical == null ? nullValue() : equalTo(logical));
  }

  @Test
  void emptyFileStillCarriesTheSchema() throws Exception {
    Path file =
        FormatFiles.writeDirect(
            FormatSpec.of(FileFormat.AVRO), TrickyRows.schema(), List.of(), dir.resolve("e.avro"));

    assertThat(FormatFiles.avroFileSchema(file), equalTo(AvroSink.avroSchema(TrickyRows.schema())));
    assertThat(FormatFiles.readAvro(file, TrickyRows.schema()), empty());
  }

  @Test
  void rejectsColumnNamesAvroCannotHoldNamingTheColumn() {
    Schema schema = Schema.builder().addNullableField("order id", Schema.FieldType.STRING).build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new AvroSink(schema, null));
    assertThat(e.getMessage(), allOf(containsString("'order id'"), containsString("AS")));
  }

  @Test
  void rejectsAnUnknownCodecNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new AvroSink(TrickyRows.schema(), "gzip"));
    assertThat(e.getMessage(), containsString("FormatSpec.withCodec(gzip)"));
  }
}
