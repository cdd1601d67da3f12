package io.lakeroute.bigquery;

import com.google.api.services.bigquery.model.TableReference;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BigQuery table a run is loaded into, {@code project:dataset.table}, and what happens to the
 * rows it already holds.
 */
public record BigQueryTarget(String project, String dataset, String table, Disposition disposition)
    implements Serializable {

  /** What a load does to the table's existing rows. */
  public enum Disposition {
    /** The run's rows are added ({@code WRITE_APPEND}). */
    APPEND,
    /** The table becomes exactly the run's rows, in one load job ({@code WRITE_TRUNCATE}). */
    REPLACE
  }

  // Project ids may carry a domain ("example.com:p"); datasets are letters, digits and
  // underscores; table names also allow dashes and spaces, which we refuse to keep URIs simple.
  private static final Pattern SPEC =
      Pattern.compile(
          "((?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,61}[a-z0-9])[:.]([A-Za-z0-9_]{1,1024})\\.([\\p{L}\\p{N}_-]{1,1024})");

  public BigQueryTarget {
    if (disposition == null) {
      throw new IllegalArgumentException("disposition is required");
    }
    String spec = project + ":" + dataset + "." + table;
    if (!SPEC.matcher(spec).matches()) {
      throw new IllegalArgumentException(
          "The BigQuery table (withBigQueryTable) "
              + spec
              + " is not a table: use project:dataset.table");
    }
  }

  /** Parses {@code project:dataset.table} (or {@code project.dataset.table}). */
  public static BigQueryTarget parse(String spec, Disposition disposition) {
    Matcher m = spec == null ? null : SPEC.matcher(spec.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "The BigQuery table (withBigQueryTable) "
              + spec
              + " is not a table: use project:dataset.table, e.g. my-project:sales.customers");
    }
    return new BigQueryTarget(m.group(1), m.group(2), m.group(3), disposition);
  }

  /** {@code append} or {@code replace}; the message names the setting otherwise. */
  public static Disposition disposition(String value) {
    String wanted = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (Disposition d : Disposition.values()) {
      if (d.name().equals(wanted)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "The BigQuery disposition (withBigQueryDisposition) "
            + value
            + " is not a disposition: use append or replace");
  }

  public TableReference reference() {
    return new TableReference().setProjectId(project).setDatasetId(dataset).setTableId(table);
  }

  /** {@code project:dataset.table}, as BigQuery's tools write it. */
  public String spec() {
    return project + ":" + dataset + "." + table;
  }

  @Override
  public String toString() {
    return spec();
  }
}
