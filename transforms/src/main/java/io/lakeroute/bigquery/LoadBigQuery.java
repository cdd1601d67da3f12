package io.lakeroute.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;

/**
 * The BigQuery step as a transform: once the manifest is published, reads exactly the manifest's
 * CSV files back (each checked against its SHA-256 and row count), loads their rows with
 * BigQueryIO's {@code FILE_LOADS} (BigQuery load jobs, explicit schema, append or truncate) and
 * fails the pipeline unless the table then holds exactly the manifest's rows.
 *
 * <pre>{@code
 * manifest.apply(
 *     LoadBigQuery.to(BigQueryTarget.parse("my-project:sales.customers", Disposition.APPEND))
 *         .withSchema(plan.schema()));
 * }</pre>
 *
 * <p>The load goes through Beam's {@link BigQueryServices}: Google's by default, or those given to
 * {@link #withServices} (Beam's {@code FakeBigQueryServices} in the tests).
 */
public final class LoadBigQuery
    extends PTransform<PCollection<Manifest>, PCollection<LoadBigQuery.Outcome>> {
  /** Gauge of the rows the run added to (or, replacing, left in) the table. */
  public static final String ROWS_IN_BIGQUERY = "rows_in_bigquery";

  private final BigQueryTarget target;
  private final Schema schema;
  private final BigQueryServices services;
  private final String tempLocation;

  /** What the table held before and after the load. */
  public record Outcome(String table, long rowsBefore, long rowsAfter, long rowsLoaded)
      implements Serializable {}

  /** The manifest and the table's row count before the load. */
  record Prepared(Manifest manifest, long rowsBefore) implements Serializable {}

  /** One file of a run. */
  record Part(Manifest manifest, int file) implements Serializable {}

  private LoadBigQuery(
      BigQueryTarget target, Schema schema, BigQueryServices services, String tempLocation) {
    super("Load BigQuery");
    this.target = target;
    this.schema = schema;
    this.services = services;
    this.tempLocation = tempLocation;
  }

  public static LoadBigQuery to(BigQueryTarget target) {
    if (target == null) {
      throw new IllegalArgumentException("target is required");
    }
    return new LoadBigQuery(target, null, null, null);
  }

  /** The run's schema (the query's), from which the table's is derived. */
  public LoadBigQuery withSchema(Schema schema) {
    if (schema == null) {
      throw new IllegalArgumentException("schema is required");
    }
    BigQuerySchema.of(schema);
    return new LoadBigQuery(target, schema, services, tempLocation);
  }

  /** BigQuery's services to use instead of Google's (tests pass Beam's fakes). */
  public LoadBigQuery withServices(BigQueryServices services) {
    if (services == null) {
      throw new IllegalArgumentException("services is required");
    }
    return new LoadBigQuery(target, schema, services, tempLocation);
  }

  /**
   * Where BigQueryIO writes the files its load jobs read (gs:// for Google's BigQuery); without it,
   * Beam's {@code --tempLocation}.
   */
  public LoadBigQuery withTempLocation(String tempLocation) {
    if (tempLocation == null || tempLocation.isBlank()) {
      throw new IllegalArgumentException("the temp location (withTempLocation) must not be empty");
    }
    return new LoadBigQuery(target, schema, services, tempLocation);
  }

  @Override
  public PCollection<Outcome> expand(PCollection<Manifest> manifest) {
    if (schema == null) {
      throw new IllegalStateException("LoadBigQuery needs withSchema(schema)");
    }
    TableSchema tableSchema = BigQuerySchema.of(schema);
    String schemaJson = BigQueryHelpers.toJsonString(tableSchema);
    PCollection<Prepared> prepared =
        manifest
            .apply(
                "Check the dataset and table", ParDo.of(new CheckFn(target, services, schemaJson)))
            .setCoder(SerializableCoder.of(Prepared.class));
    PCollection<TableRow> rows =
        prepared
            .apply("List the manifest's files", ParDo.of(new PartsFn()))
            .setCoder(SerializableCoder.of(Part.class))
            .apply("Spread the files", Reshuffle.viaRandomKey())
            .apply("Read the delivered CSV", ParDo.of(new ReadFn(BigQueryRows.of(schema))))
            .setCoder(TableRowJsonCoder.of());
    BigQueryIO.Write<TableRow> write =
        BigQueryIO.writeTableRows()
            .to(target.reference())
            .withSchema(tableSchema)
            .withMethod(Method.FILE_LOADS)
            .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
            .withWriteDisposition(
                target.disposition() == BigQueryTarget.Disposition.REPLACE
                    ? WriteDisposition.WRITE_TRUNCATE
                    : WriteDisposition.WRITE_APPEND)
            .withLoadJobProjectId(target.project());
    if (tempLocation != null) {
      write = write.withCustomGcsTempLocation(StaticValueProvider.of(tempLocation));
    }
    if (services != null) {
      write = write.withTestServices(services);
    }
    WriteResult written = rows.apply("Load job", write);
    return prepared
        .apply("Once loaded", Wait.on(written.getSuccessfulTableLoads()))
        .apply("Count and reconcile", ParDo.of(new CountFn(target, services)))
        .setCoder(SerializableCoder.of(Outcome.class));
  }

  /**
   * Checks that the dataset exists and that the table, if it exists, has the run's columns and
   * types; returns its row count. Also what the route calls before any data moves.
   */
  public static long check(
      BigQueryServices services,
      PipelineOptions options,
      BigQueryTarget target,
      TableSchema wanted) {
    try (DatasetService datasets = datasets(services, options)) {
      try {
        datasets.getDataset(target.project(), target.dataset());
      } catch (IOException e) {
        throw new BigQueryException(
            "BigQuery dataset "
                + target.project()
                + ":"
                + target.dataset()
                + " cannot be used for the BigQuery table (withBigQueryTable) "
                + target.spec()
                + ": "
                + firstLine(e)
                + ". Create it (bq mk --dataset "
                + target.project()
                + ":"
                + target.dataset()
                + ") or check the project and credentials.",
            e);
      }
      Table table = datasets.getTable(target.reference());
      if (table == null) {
        return 0;
      }
      List<String> drift = BigQuerySchema.drift(table.getSchema(), wanted);
      if (!drift.isEmpty()) {
        throw new BigQueryException(
            "BigQuery table "
                + target.spec()
                + " does not have the run's columns:\n  "
                + String.join("\n  ", drift)
                + "\nChange the query, or load into another BigQuery table (withBigQueryTable)."
                + " Nothing was loaded.",
            null);
      }
      return numRows(table, target);
    } catch (IOException | InterruptedException e) {
      throw new BigQueryException(
          "Cannot read BigQuery table " + target.spec() + ": " + firstLine(e), e);
    } catch (BigQueryException e) {
      throw e;
    } catch (Exception e) {
      throw new BigQueryException("BigQuery: " + firstLine(e), e);
    }
  }

  /**
   * The message of a failure raised inside BigQueryIO (a load job BigQuery refused), or null when
   * {@code failure} did not come from there.
   */
  public static String loadFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith(BigQueryIO.class.getPackageName() + ".")) {
          return "The BigQuery load failed: "
              + jobErrors(String.valueOf(t.getMessage()))
              + "\nA failed load job changes nothing: the table keeps its previous rows, and the"
              + " delivered files and manifest are intact.";
        }
      }
    }
    return null;
  }

  /**
   * BigQueryIO ends with "…, last failed job: {the job as JSON}"; the job's id and BigQuery's own
   * error texts are what a reader needs, not its whole configuration.
   */
  static String jobErrors(String message) {
    int at = message.indexOf(LAST_FAILED_JOB);
    if (at < 0) {
      return message;
    }
    try {
      JsonNode job =
          new ObjectMapper()
              .readTree(
                  message.substring(at + LAST_FAILED_JOB.length(), message.lastIndexOf('}') + 1));
      List<String> errors = new ArrayList<>();
      JsonNode status = job.path("status");
      errors.add(status.path("errorResult").path("message").asText());
      for (JsonNode error : status.path("errors")) {
        String text = error.path("message").asText();
        if (!errors.contains(text) && errors.size() < 6) {
          errors.add(text);
        }
      }
      return "job "
          + job.path("jobReference").path("jobId").asText()
          + ": "
          + String.join("; ", errors);
    } catch (IOException | RuntimeException e) {
      return message;
    }
  }

  private static final String LAST_FAILED_JOB = "last failed job: ";

  private static DatasetService datasets(BigQueryServices services, PipelineOptions options) {
    BigQueryServices used = services != null ? services : new BigQueryServicesImpl();
    return used.getDatasetService(options.as(BigQueryOptions.class));
  }

  private static long numRows(Table table, BigQueryTarget target) {
    BigInteger rows = table.getNumRows();
    if (rows == null) {
      throw new BigQueryException(
          "BigQuery did not report the row count of " + target.spec() + " (numRows)", null);
    }
    return rows.longValueExact();
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static final class CheckFn extends DoFn<Manifest, Prepared> {
    private final BigQueryTarget target;
    private final BigQueryServices services;
    private final String schemaJson;

    CheckFn(BigQueryTarget target, BigQueryServices services, String schemaJson) {
      this.target = target;
      this.services = services;
      this.schemaJson = schemaJson;
    }

    @ProcessElement
    public void process(
        @Element Manifest manifest, PipelineOptions options, OutputReceiver<Prepared> out) {
      TableSchema wanted = BigQueryHelpers.fromJsonString(schemaJson, TableSchema.class);
      List<String> columns = manifest.columns().stream().map(Manifest.Column::name).toList();
      List<String> expected = wanted.getFields().stream().map(f -> f.getName()).toList();
      if (!columns.equals(expected)) {
        throw new BigQueryException(
            "The manifest at "
                + manifest.location()
                + " has columns "
                + columns
                + ", not "
                + expected,
            null);
      }
      out.output(new Prepared(manifest, check(services, options, target, wanted)));
    }
  }

  private static final class PartsFn extends DoFn<Prepared, Part> {
    @ProcessElement
    public void process(@Element Prepared prepared, OutputReceiver<Part> out) {
      for (int i = 0; i < prepared.manifest().files().size(); i++) {
        out.output(new Part(prepared.manifest(), i));
      }
    }
  }

  private static final class ReadFn extends DoFn<Part, TableRow> {
    private final BigQueryRows rows;

    ReadFn(BigQueryRows rows) {
      this.rows = rows;
    }

    @ProcessElement
    public void process(@Element Part part, OutputReceiver<TableRow> out) throws IOException {
      Manifest manifest = part.manifest();
      DeliveredCsv.read(
          manifest,
          manifest.files().get(part.file()),
          record -> out.output(rows.toTableRow(record)));
    }
  }

  private static final class CountFn extends DoFn<Prepared, Outcome> {
    private final BigQueryTarget target;
    private final BigQueryServices services;

    CountFn(BigQueryTarget target, BigQueryServices services) {
      this.target = target;
      this.services = services;
    }

    @ProcessElement
    public void process(
        @Element Prepared prepared, PipelineOptions options, OutputReceiver<Outcome> out)
        throws Exception {
      long after;
      try (DatasetService datasets = datasets(services, options)) {
        Table table = datasets.getTable(target.reference());
        after = table == null ? 0 : numRows(table, target);
      }
      boolean replace = target.disposition() == BigQueryTarget.Disposition.REPLACE;
      long loaded = replace ? after : after - prepared.rowsBefore();
      Metrics.gauge(PartitionReader.METRICS_NAMESPACE, ROWS_IN_BIGQUERY).set(loaded);
      long expected = prepared.manifest().rowCount();
      if (loaded != expected) {
        throw new ReconciliationException(
            ReconciliationException.Hop.WAREHOUSE,
            "BigQuery table "
                + target.spec()
                + (replace ? " holds " : " gained ")
                + loaded
                + " rows, the manifest at "
                + prepared.manifest().location()
                + " lists "
                + expected
                + (replace ? "" : " (" + prepared.rowsBefore() + " before, " + after + " after)")
                + ". Another writer may have changed the table during the load.");
      }
      out.output(new Outcome(target.spec(), prepared.rowsBefore(), after, loaded));
    }
  }
}
