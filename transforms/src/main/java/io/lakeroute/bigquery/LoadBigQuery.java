package io.lakeroute.bigquery;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.fingerprint.ValuesCheck;
import io.lakeroute.query.PartitionReader;
import io.lakeroute.validation.ReconciliationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The BigQuery step as a transform: once the manifest is published, ONE load job reads exactly the
 * manifest's CSV objects, in the dialect it records and with an explicit schema, into a staging
 * table of the run; one query job, a multi-statement transaction, then applies the disposition to
 * the table ({@link BigQueryJobs}). The schema is the manifest's columns ({@link BigQuerySchema}).
 * The step fails unless the load job's statistics and the table show exactly the manifest's rows.
 *
 * <pre>{@code
 * manifest.apply(
 *     LoadBigQuery.to(BigQueryTarget.parse("my-project:sales.customers", Disposition.APPEND)));
 * }</pre>
 *
 * <p>BigQuery is reached with the pipeline's Google credentials and Beam's {@code
 * --bigQueryEndpoint}, if set ({@link BigQueryClient}).
 */
public final class LoadBigQuery
    extends PTransform<PCollection<Manifest>, PCollection<LoadBigQuery.Outcome>> {
  /** Gauge of the run's rows in the table after the load. */
  public static final String ROWS_IN_BIGQUERY = "rows_in_bigquery";

  /** Gauge of the columns whose fingerprints BigQuery showed equal to the files'. */
  public static final String VALUES_IN_BIGQUERY = "values_in_bigquery";

  /** How long a staging table left by a failed run is kept before BigQuery drops it. */
  private static final Duration STAGING_EXPIRY = Duration.ofDays(1);

  private final BigQueryTarget target;

  /**
   * What the load did: the rows the load job read (-1 when not loaded by this run), the run's rows
   * in the table, and all of the table's rows.
   */
  public record Outcome(
      String table,
      String runId,
      long rowsLoaded,
      long rowsOfRun,
      long rowsInTable,
      ValuesCheck.Result values)
      implements Serializable {}

  private LoadBigQuery(BigQueryTarget target) {
    super("Load BigQuery");
    this.target = target;
  }

  public static LoadBigQuery to(BigQueryTarget target) {
    if (target == null) {
      throw new IllegalArgumentException("target is required");
    }
    return new LoadBigQuery(target);
  }

  @Override
  public PCollection<Outcome> expand(PCollection<Manifest> manifest) {
    return manifest
        .apply("Stage, load, apply, count", ParDo.of(new LoadFn(target)))
        .setCoder(SerializableCoder.of(Outcome.class));
  }

  /**
   * Checks that the dataset exists and that the table, if it exists, has the run's columns and
   * types and {@value BigQueryJobs#RUN_ID_COLUMN}. What the route calls before any data moves.
   */
  public static void check(PipelineOptions options, BigQueryTarget target, TableSchema run) {
    BigQueryJobs.checkMergeKeys(
        target, run.getFields().stream().map(TableFieldSchema::getName).toList());
    try {
      checkTable(BigQueryClient.of(options), target, BigQueryJobs.tableSchema(run));
    } catch (IOException e) {
      throw unreachable(target, e);
    }
  }

  /**
   * Loads {@code manifest} into the target with the schema of its columns, and reconciles; also
   * what a resumed run calls without a pipeline (Beam's FileSystems must then be set up for {@code
   * gs://}).
   */
  public static Outcome load(PipelineOptions options, BigQueryTarget target, Manifest manifest) {
    TableSchema run = BigQuerySchema.of(manifest.columns());
    BigQueryClient client = BigQueryClient.of(options);
    TableReference staging = BigQueryJobs.staging(target, manifest.runId());
    try {
      TableSchema tableSchema = BigQueryJobs.tableSchema(run);
      if (checkTable(client, target, tableSchema) == null) {
        client.createTable(
            new Table().setTableReference(target.reference()).setSchema(tableSchema));
      }
      checkObjects(manifest);
      // A staging table left by an earlier attempt may have other columns: start afresh. It
      // expires by itself should this attempt fail before dropping it.
      client.deleteTable(staging);
      client.createTable(
          new Table()
              .setTableReference(staging)
              .setSchema(run)
              .setExpirationTime(System.currentTimeMillis() + STAGING_EXPIRY.toMillis()));
      long loaded = 0;
      // A run without files leaves the staging table empty: BigQuery refuses a load without URIs.
      try {
        if (!manifest.files().isEmpty()) {
          Job load =
              client.run(
                  target.project(),
                  "lakeroute_load",
                  new JobConfiguration().setLoad(BigQueryJobs.load(manifest, run, staging)));
          loaded = load.getStatistics().getLoad().getOutputRows();
        }
      } catch (BigQueryException e) {
        throw new BigQueryException(
            "The BigQuery load of "
                + manifest.location()
                + " into "
                + target.spec()
                + " failed. "
                + e.getMessage()
                + "\nA failed load job changes nothing: the table keeps its previous rows, and the"
                + " delivered files and manifest are intact.",
            e);
      }
      if (loaded != manifest.rowCount()) {
        throw new ReconciliationException(
            ReconciliationException.Hop.WAREHOUSE,
            "The BigQuery load job read "
                + loaded
                + " rows from the files of "
                + manifest.location()
                + ", the manifest lists "
                + manifest.rowCount()
                + ". The table "
                + target.spec()
                + " was not changed.");
      }
      Optional<ValuesCheck.Rows> deletes = BigQueryJobs.stagedDeletes(target, manifest, staging);
      long deleted = 0;
      if (deletes.isPresent()) {
        deleted =
            Long.parseLong(
                client
                    .query(
                        target.project(),
                        "SELECT COUNT(*) FROM "
                            + deletes.get().from()
                            + " WHERE "
                            + deletes.get().where())
                    .get(0)
                    .get(0));
      }
      client.run(
          target.project(),
          "lakeroute_apply",
          new JobConfiguration()
              .setQuery(
                  new JobConfigurationQuery()
                      .setQuery(BigQueryJobs.apply(target, manifest, staging))
                      .setUseLegacySql(false)));
      Outcome outcome = count(client, target, manifest, loaded, staging, deleted);
      client.deleteTable(staging);
      return outcome;
    } catch (IOException e) {
      throw unreachable(target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BigQueryException("Interrupted while loading " + target.spec(), e);
    }
  }

  /**
   * Counts the table's rows and the run's, without loading: what a run resumed after the load
   * reads.
   */
  public static Outcome counted(PipelineOptions options, BigQueryTarget target, Manifest manifest) {
    try {
      return count(BigQueryClient.of(options), target, manifest, -1, null, -1);
    } catch (IOException e) {
      throw unreachable(target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BigQueryException("Interrupted while counting " + target.spec(), e);
    }
  }

  /**
   * Counts the run's rows in the table and proves their values; {@code staging}, when it still
   * holds the run's rows as loaded, narrows a difference down and holds the rows a soft-delete
   * merge kept out of the table ({@code deleted} of them; -1: unknown, when resumed without it).
   */
  private static Outcome count(
      BigQueryClient client,
      BigQueryTarget target,
      Manifest manifest,
      long loaded,
      TableReference staging,
      long deleted)
      throws IOException, InterruptedException {
    List<String> counts =
        client.query(target.project(), BigQueryJobs.count(target, manifest.runId())).get(0);
    long inTable = Long.parseLong(counts.get(0));
    long ofRun = Long.parseLong(counts.get(1));
    Metrics.gauge(PartitionReader.METRICS_NAMESPACE, ROWS_IN_BIGQUERY).set(ofRun);
    if (staging == null && target.softDeleteColumn() != null) {
      // The rows the merge deleted are known only from the staging table, gone once the load
      // committed, after proving the values: a resumed run reports the table as it is.
      return new Outcome(
          target.spec(),
          manifest.runId(),
          loaded,
          ofRun,
          inTable,
          ValuesCheck.Result.notChecked(FingerprintSql.bigQuery().engine()));
    }
    long kept = manifest.rowCount() - Math.max(deleted, 0);
    if (ofRun != kept) {
      throw new ReconciliationException(
          ReconciliationException.Hop.WAREHOUSE,
          "BigQuery table "
              + target.spec()
              + " holds "
              + ofRun
              + " rows of run "
              + manifest.runId()
              + ", the manifest at "
              + manifest.location()
              + " lists "
              + manifest.rowCount()
              + (deleted > 0
                  ? ", less " + deleted + " that delete their key by " + target.softDeleteColumn()
                  : "")
              + ". Another writer may have changed the table during the load.");
    }
    ValuesCheck check = BigQueryJobs.values(manifest);
    if (staging != null) {
      check =
          BigQueryJobs.stagedDeletes(target, manifest, staging).map(check::without).orElse(check);
    }
    ValuesCheck.Result values =
        check.verify(
            sql -> query(client, target, sql),
            manifest,
            ReconciliationException.Hop.WAREHOUSE,
            BigQueryJobs.runRows(target, manifest.runId()),
            staging == null ? null : BigQueryJobs.stagedRows(target, manifest, staging),
            target.mergeKeys(),
            "The table holds these values until the next run replaces them; the files and"
                + " manifest at "
                + manifest.location()
                + " are intact.");
    values.report("BigQuery", VALUES_IN_BIGQUERY);
    return new Outcome(target.spec(), manifest.runId(), loaded, ofRun, inTable, values);
  }

  /** A query of the values check; an interruption ends it as an I/O interruption. */
  private static List<List<String>> query(BigQueryClient client, BigQueryTarget target, String sql)
      throws IOException {
    try {
      return client.query(target.project(), sql);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while fingerprinting " + target.spec());
    }
  }

  /**
   * The table, after checking that the dataset exists and that an existing table has the wanted
   * columns; null when there is no table yet.
   */
  private static Table checkTable(BigQueryClient client, BigQueryTarget target, TableSchema wanted)
      throws IOException {
    if (!client.datasetExists(target.project(), target.dataset())) {
      throw new BigQueryException(
          "BigQuery dataset "
              + target.project()
              + ":"
              + target.dataset()
              + " cannot be used for the BigQuery table (withBigQueryTable) "
              + target.spec()
              + ": it does not exist. Create it (bq mk --dataset "
              + target.project()
              + ":"
              + target.dataset()
              + ") or check the project and credentials.",
          null);
    }
    Table table = client.table(target.reference());
    if (table == null) {
      return null;
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
    return table;
  }

  /**
   * BigQuery cannot check a SHA-256: an object whose size is not the manifest's changed after the
   * run published it, and is refused before the load job reads it.
   */
  private static void checkObjects(Manifest manifest) throws IOException {
    for (Manifest.FileEntry file : manifest.files()) {
      MatchResult.Metadata found = FileSystems.matchSingleFileSpec(file.uri());
      if (found.sizeBytes() != file.bytes()) {
        throw new BigQueryException(
            file.uri()
                + " has "
                + found.sizeBytes()
                + " bytes, the manifest at "
                + manifest.location()
                + " lists "
                + file.bytes()
                + ": it changed after the run published it. Run the route again.",
            null);
      }
    }
  }

  private static BigQueryException unreachable(BigQueryTarget target, IOException e) {
    String why =
        e instanceof GoogleJsonResponseException refused && refused.getDetails() != null
            ? refused.getStatusCode() + " " + refused.getDetails().getMessage()
            : firstLine(e);
    return new BigQueryException(
        "BigQuery refused or did not answer a request for " + target.spec() + ": " + why, e);
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static final class LoadFn extends DoFn<Manifest, Outcome> {
    private final BigQueryTarget target;

    LoadFn(BigQueryTarget target) {
      this.target = target;
    }

    @ProcessElement
    public void process(
        @Element Manifest manifest, PipelineOptions options, OutputReceiver<Outcome> out) {
      out.output(load(options, target, manifest));
    }
  }
}
