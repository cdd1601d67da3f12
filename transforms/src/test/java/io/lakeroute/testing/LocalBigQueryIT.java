package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import io.lakeroute.bigquery.BigQueryClient;
import io.lakeroute.bigquery.BigQueryException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery stand-in driven by Google's BigQuery client, as route 5 drives it: load jobs of
 * objects in the GCS server under BigQuery's CSV rules, and GoogleSQL it runs or refuses loudly.
 */
class LocalBigQueryIT {
  private static final String BUCKET = "local-bigquery-it";
  private static final String DATASET = "standin";

  private static LocalGcs gcs;
  private static LocalBigQuery bigQuery;
  private static BigQueryClient client;

  @BeforeAll
  static void start() {
    gcs = LocalGcs.shared();
    gcs.createBucket(BUCKET);
    bigQuery = new LocalBigQuery(gcs);
    bigQuery.createDataset(DATASET);
    List<String> args = new ArrayList<>(Arrays.asList(gcs.beamArgs()));
    args.addAll(Arrays.asList(bigQuery.beamArgs()));
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
    client = BigQueryClient.of(options);
  }

  @AfterAll
  static void stop() {
    bigQuery.close();
  }

  private static TableFieldSchema field(String name, String type) {
    return new TableFieldSchema().setName(name).setType(type).setMode("NULLABLE");
  }

  private static TableReference ref(String table) {
    return new TableReference()
        .setProjectId(LocalBigQuery.PROJECT)
        .setDatasetId(DATASET)
        .setTableId(table);
  }

  /** Loads {@code content} as one object into a new table of {@code fields}. */
  private static Job load(
      String table, byte[] content, JobConfigurationLoad options, TableFieldSchema... fields)
      throws Exception {
    gcs.put(BUCKET, table + ".csv", content);
    TableSchema schema = new TableSchema().setFields(List.of(fields));
    client.createTable(new Table().setTableReference(ref(table)).setSchema(schema));
    return client.run(
        LocalBigQuery.PROJECT,
        "it_load",
        new JobConfiguration()
            .setLoad(
                options
                    .setSourceUris(List.of("gs://" + BUCKET + "/" + table + ".csv"))
                    .setSourceFormat("CSV")
                    .setSchema(schema)
                    .setDestinationTable(ref(table))
                    .setCreateDisposition("CREATE_NEVER")
                    .setWriteDisposition("WRITE_APPEND")));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyTypeIsParsedAsBigQueryReadsCsv() throws Exception {
    String table = LocalBigQuery.table("types");
    Job job =
        load(
            table,
            utf8(
                "i,f,n,b,s,y,d,t,dt,ts\n"
                    + "-9223372036854775808,-inf,-12345678901234567890.123456789,T,\"a,\"\"b\"\"\nc\",AAEC/w==,0001-01-01,23:59:59.999999,1582-10-10T01:02:03,2024-06-30 23:30:00.5+02:00\n"
                    + "7,NaN,0.5,no,\"\",,9999-12-31,00:00:00,2000-01-01 00:00:00,1969-12-31T23:59:59.999999Z\n"
                    + ",,,,,,,,,\n"),
            new JobConfigurationLoad().setSkipLeadingRows(1).setAllowQuotedNewlines(true),
            field("i", "INT64"),
            field("f", "FLOAT64"),
            field("n", "NUMERIC"),
            field("b", "BOOL"),
            field("s", "STRING"),
            field("y", "BYTES"),
            field("d", "DATE"),
            field("t", "TIME"),
            field("dt", "DATETIME"),
            field("ts", "TIMESTAMP"));

    assertThat(job.getStatistics().getLoad().getOutputRows(), equalTo(3L));
    List<Map<String, Object>> rows = bigQuery.rows(DATASET, table);
    Map<String, Object> first = rows.get(0);
    assertThat(first.get("i"), equalTo(Long.MIN_VALUE));
    assertThat(first.get("f"), equalTo(Double.NEGATIVE_INFINITY));
    assertThat(first.get("n"), equalTo(new BigDecimal("-12345678901234567890.123456789")));
    assertThat(first.get("b"), equalTo(true));
    assertThat(first.get("s"), equalTo("a,\"b\"\nc"));
    assertThat((byte[]) first.get("y"), equalTo(new byte[] {0, 1, 2, (byte) 0xFF}));
    assertThat(first.get("d"), equalTo(LocalDate.of(1, 1, 1)));
    assertThat(first.get("t"), equalTo(LocalTime.parse("23:59:59.999999")));
    assertThat(first.get("dt"), equalTo(LocalDateTime.parse("1582-10-10T01:02:03")));
    assertThat(first.get("ts"), equalTo(Instant.parse("2024-06-30T21:30:00.500Z")));
    Map<String, Object> second = rows.get(1);
    assertThat(((Double) second.get("f")).isNaN(), equalTo(true));
    assertThat(second.get("b"), equalTo(false));
    // A quoted empty field is an empty STRING; an unquoted one is NULL.
    assertThat(second.get("s"), equalTo(""));
    assertThat(second.get("y"), nullValue());
    assertThat(second.get("ts"), equalTo(Instant.parse("1969-12-31T23:59:59.999999Z")));
    assertThat(rows.get(2).values().stream().allMatch(v -> v == null), equalTo(true));
  }

  @Test
  void gzipObjectsAndACustomNullMarkerAreRead() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
      out.write(utf8("1|\\N\r\n2|\"\\N\"\r\n3|\r\n"));
    }
    String table = LocalBigQuery.table("gzip");
    load(
        table,
        zipped.toByteArray(),
        new JobConfigurationLoad().setFieldDelimiter("|").setNullMarker("\\N"),
        field("id", "INT64"),
        field("s", "STRING"));

    List<Map<String, Object>> rows = bigQuery.rows(DATASET, table);
    assertThat(rows.get(0).get("s"), nullValue());
    // As BigQuery documents it: the marker is NULL whether quoted or not.
    assertThat(rows.get(1).get("s"), nullValue());
    // With a custom marker, an empty STRING field is an empty string.
    assertThat(rows.get(2).get("s"), equalTo(""));
  }

  @Test
  void aRefusedRowFailsTheWholeLoadWithBigQuerysWording() throws Exception {
    String[][] cases = {
      {"1,\"a\nb\"\n", "Missing close double quote"},
      {"1,2,3\n", "Too many columns: expected 2 column(s) but got 3 column(s)"},
      {"1\n", "Too few columns: expected 2 column(s) but got 1 column(s)"},
      {"1,0000-01-01\n", "Could not parse '0000-01-01' as DATE for field d (position 1)"},
      {"1.5,2020-01-01\n", "Could not parse '1.5' as INT64 for field id (position 0)"},
      {"1,\"2020-01-01\"x\n", "Data between close double quote (\") and field separator"},
    };
    for (String[] c : cases) {
      String table = LocalBigQuery.table("refused");
      BigQueryException e =
          assertThrows(
              BigQueryException.class,
              () ->
                  load(
                      table,
                      utf8("0,2020-01-01\n" + c[0]),
                      new JobConfigurationLoad(),
                      field("id", "INT64"),
                      field("d", "DATE")));
      assertThat(e.getMessage(), containsString(c[1]));
      assertThat(c[0], bigQuery.rows(DATASET, table).size(), equalTo(0));
    }
  }

  @Test
  void decimalsBeyondTheDeclaredScaleOrPrecisionAreRefused() throws Exception {
    for (String value : new String[] {"1.234", "1000.5"}) {
      String table = LocalBigQuery.table("decimal");
      BigQueryException e =
          assertThrows(
              BigQueryException.class,
              () ->
                  load(
                      table,
                      utf8(value + "\n"),
                      new JobConfigurationLoad(),
                      field("n", "NUMERIC").setPrecision(5L).setScale(2L)));
      assertThat(e.getMessage(), containsString("Could not parse '" + value + "' as NUMERIC"));
    }
  }

  @Test
  void aTransactionCommitsAllOrNothingAndUnknownSyntaxFailsLoudly() throws Exception {
    String table = LocalBigQuery.table("tx");
    load(
        table,
        utf8("1,it's\n2,b\n"),
        new JobConfigurationLoad(),
        field("id", "INT64"),
        field("s", "STRING"));
    String name = "`" + LocalBigQuery.PROJECT + "." + DATASET + "." + table + "`";

    BigQueryException failed =
        assertThrows(
            BigQueryException.class,
            () ->
                client.query(
                    LocalBigQuery.PROJECT,
                    "BEGIN TRANSACTION;\nDELETE FROM "
                        + name
                        + " WHERE TRUE;\nINSERT INTO "
                        + name
                        + " (`id`, `s`) SELECT 'x', 'y';\nCOMMIT TRANSACTION;"));
    assertThat(failed.getMessage(), containsString("failed: "));
    assertThat(bigQuery.rows(DATASET, table).size(), equalTo(2));

    assertThat(
        client.query(
            LocalBigQuery.PROJECT,
            "SELECT COUNT(*), COUNT(CASE WHEN `s` = 'it\\'s' THEN 1 END) FROM " + name),
        equalTo(List.of(List.of("2", "1"))));

    for (String[] refused :
        new String[][] {
          {"UPDATE " + name + " SET `s` = 'z' WHERE TRUE", "a statement starting with UPDATE"},
          {"SELECT \"x\"", "a double-quoted string"},
          {"SELECT 1 # comment", "a # comment"},
          {"SELECT r'x'", "a raw or bytes literal"},
        }) {
      BigQueryException e =
          assertThrows(
              BigQueryException.class, () -> client.query(LocalBigQuery.PROJECT, refused[0]));
      assertThat(e.getMessage(), containsString("LocalBigQuery does not translate " + refused[1]));
    }
  }
}
