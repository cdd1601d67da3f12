package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatFiles;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.testing.TrickyRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact values through the whole route: a PostgreSQL 15 table of tricky rows (DECIMAL(38,10),
 * timestamps with and without zone before 1970, unicode, NULL in every column, embedded quotes,
 * delimiters and line breaks) delivered to S3Mock in every format on both runners, downloaded and
 * read back by an independent reader, compared value by value with the source rows.
 */
class TypeFidelityIT {
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void createTrickyTable() throws Exception {
    fixture = RouteFixture.get();
    fixture.createTrickyTable();
  }

  static Stream<Arguments> runnersAndFormats() {
    List<Arguments> cases = new ArrayList<>();
    for (String runner : List.of("DirectRunner", "SparkRunner")) {
      for (FileFormat format : FileFormat.values()) {
        cases.add(Arguments.of(runner, format));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runnersAndFormats")
  void everyValueArrivesExactly(String runner, FileFormat format) throws Exception {
    String prefix = "fidelity/" + runner + "/" + format.id();
    RouteResult result =
        Lakeroute.run(
            Lakeroute.parse(
                RouteFixture.array(
                    fixture.args(
                        runner,
                        "--query=SELECT * FROM " + RouteFixture.TRICKY,
                        "--format=" + format.id(),
                        "--destination=s3://" + RouteFixture.BUCKET + "/" + prefix,
                        "--runId=r1"))));
    Manifest manifest = result.manifest();
    Schema schema = TrickyRows.schema();
    assertThat(
        manifest.columns().stream().map(Manifest.Column::type).toList(),
        equalTo(schema.getFields().stream().map(f -> Manifest.typeOf(f.getType())).toList()));

    FormatSpec spec = FormatSpec.of(format);
    List<Row> delivered = new ArrayList<>();
    for (Manifest.FileEntry entry : manifest.files()) {
      Path file = temp.resolve(entry.name());
      Files.write(file, fixture.s3.get(RouteFixture.BUCKET, prefix + "/r1/" + entry.name()));
      delivered.addAll(read(spec, file, schema));
    }
    TrickyRows.assertSameRows(TrickyRows.rows(), delivered);
  }

  private static List<Row> read(FormatSpec spec, Path file, Schema schema) throws Exception {
    switch (spec.format()) {
      case PARQUET:
        return FormatFiles.readParquet(file, schema);
      case AVRO:
        return FormatFiles.readAvro(file, schema);
      case CSV:
        return FormatFiles.readCsv(file, spec, schema);
      default:
        return FormatFiles.readJson(file, spec, schema);
    }
  }
}
