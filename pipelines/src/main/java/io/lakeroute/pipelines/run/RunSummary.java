package io.lakeroute.pipelines.run;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.options.RouteOptions;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The one-screen summary printed at the end of a run. Holds no secret: the URL is redacted. */
public final class RunSummary {
  private RunSummary() {}

  /**
   * The summary of a run that succeeded.
   *
   * @param lineage what became of its OpenLineage events (a line of its own), or null without
   */
  public static String format(RouteOptions options, RouteResult result, String lineage) {
    Manifest manifest = result.manifest();
    double seconds = result.seconds();
    long rowsRead = result.rowsRead();
    StringBuilder text = new StringBuilder();
    text.append("lakeroute: OK\n");
    line(text, "route", options.getRoute() + " on " + options.getRunner().getSimpleName());
    line(
        text,
        "run id",
        manifest.runId()
            + (options.getFromStep().equals(Step.QUERY.id())
                ? ""
                : " (resumed from its manifest at step " + options.getFromStep() + ")"));
    line(text, "format", manifest.format() + " (" + manifest.codec() + ")");
    line(
        text,
        "rows",
        String.format(
            Locale.ROOT,
            "%s%,d in files%s",
            result.queryRows() >= 0
                ? String.format(Locale.ROOT, "%,d returned by the query = ", result.queryRows())
                : "",
            manifest.rowCount(),
            rowsRead >= 0 ? String.format(Locale.ROOT, " (%,d streamed)", rowsRead) : ""));
    if (result.consistency() != null) {
      line(text, "source", result.consistency());
    }
    if (result.cursor() != null) {
      line(text, "cursor", result.cursor());
    }
    line(
        text,
        "files",
        String.format(Locale.ROOT, "%d, %s", manifest.fileCount(), bytes(manifest.totalBytes())));
    line(
        text,
        "time",
        String.format(
            Locale.ROOT,
            "%.1f s, %,.0f rows/s",
            seconds,
            seconds > 0 ? manifest.rowCount() / seconds : 0.0));
    if (manifest.fingerprint() != null && options.getFromStep().equals(Step.QUERY.id())) {
      int columns = manifest.fingerprint().columns().size();
      StringBuilder values =
          new StringBuilder(
              "rows "
                  + hops(
                      result.valuesInSource(),
                      result.valuesInWarehouse(),
                      result.valuesInDatabricks())
                  + ": fingerprints of "
                  + columns
                  + " columns equal");
      if (!result.valuesLeftOut().isEmpty()) {
        values
            .append("; the warehouse left out ")
            .append(
                result.valuesLeftOut().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")))
            .append(", which --verifyStrict refuses");
      } else {
        leftOut(values, "warehouse", result.valuesInWarehouse(), columns);
      }
      leftOut(values, "databricks", result.valuesInDatabricks(), columns);
      line(text, "values", values.append(" (docs/fingerprints.md)").toString());
    } else if (!options.getFingerprints()) {
      line(
          text,
          "values",
          "not fingerprinted (--fingerprints=false): rows checked by counts, files by counts and"
              + " SHA-256");
    }
    line(text, "location", manifest.location());
    if (options.getWarehouseTable() != null) {
      line(
          text,
          "warehouse",
          String.format(
              Locale.ROOT,
              "%,d rows of this run in %s (%s)",
              result.rowsInWarehouse(),
              options.getWarehouseTable(),
              options.getWarehouseDisposition()));
    }
    if (options.getBigQueryTable() != null) {
      line(
          text,
          "bigquery",
          String.format(
              Locale.ROOT,
              "%,d rows %s %s",
              result.rowsInWarehouse(),
              options.getBigQueryDisposition().equalsIgnoreCase("append") ? "added to" : "in",
              options.getBigQueryTable()));
    }
    if (options.getDatabricksTable() != null) {
      line(
          text,
          "databricks",
          String.format(
              Locale.ROOT,
              "%,d rows in %s.%s.%s (%s, %s)",
              result.rowsInDatabricks(),
              options.getDatabricksCatalog(),
              options.getDatabricksSchema(),
              options.getDatabricksTable(),
              options.getDatabricksMode(),
              options.getDatabricksDisposition()));
    }
    if (lineage != null) {
      line(text, "lineage", lineage);
    }
    return text.toString();
  }

  /** The hops whose values were compared, e.g. {@code source = read = files = warehouse}. */
  static String hops(long valuesInSource, long valuesInWarehouse, long valuesInDatabricks) {
    return (valuesInSource >= 0 ? "source = " : "")
        + "read = files"
        + (valuesInWarehouse >= 0 ? " = warehouse" : "")
        + (valuesInDatabricks >= 0 ? " = databricks" : "");
  }

  /** Says how many columns a hop left out (its engine has no canonical form for them). */
  private static void leftOut(StringBuilder values, String hop, long compared, int columns) {
    if (compared >= 0 && compared < columns) {
      values
          .append("; ")
          .append(hop)
          .append(" compared ")
          .append(compared)
          .append(", left out ")
          .append(columns - compared)
          .append(" it cannot render canonically (named in the log)");
    }
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format(Locale.ROOT, "  %-10s %s%n", label, value));
  }

  private static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
