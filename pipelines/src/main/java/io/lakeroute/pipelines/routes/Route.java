package io.lakeroute.pipelines.routes;

import io.lakeroute.warehouse.WarehouseDialect;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routes {@code --route} names. Each delivers to one object store (a local folder is accepted
 * where no warehouse follows, to try a route out), and routes redshift and synapse then load a
 * warehouse; the route checks the destination's scheme so that a typo in a URI fails before
 * anything is read.
 */
public enum Route {
  S3("s3", "query → files → Amazon S3 → Databricks", "s3", true, null),
  AZURE_BLOB("azure-blob", "query → files → Azure Blob Storage → Databricks", "azfs", true, null),
  GCS("gcs", "query → files → Google Cloud Storage → Databricks", "gs", true, null),
  REDSHIFT(
      "redshift",
      "query → files → Amazon S3 → Redshift COPY → Databricks",
      "s3",
      false,
      WarehouseDialect.REDSHIFT),
  SYNAPSE(
      "synapse",
      "query → files → Azure Blob Storage → Synapse COPY INTO → Databricks",
      "azfs",
      false,
      WarehouseDialect.SYNAPSE),
  BIGQUERY(
      "bigquery",
      "query → CSV → Google Cloud Storage → BigQuery load job → Databricks (federation)",
      "gs",
      false,
      null);

  private final String id;
  private final String description;
  private final String scheme;
  private final boolean localAllowed;
  private final WarehouseDialect warehouse;

  Route(
      String id,
      String description,
      String scheme,
      boolean localAllowed,
      WarehouseDialect warehouse) {
    this.id = id;
    this.description = description;
    this.scheme = scheme;
    this.localAllowed = localAllowed;
    this.warehouse = warehouse;
  }

  /** The warehouse this route loads (its production dialect), or null for an object store. */
  public WarehouseDialect warehouse() {
    return warehouse;
  }

  /** The route {@code --route=id} names; the message lists every route otherwise. */
  public static Route of(String id) {
    String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(r -> r.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--route=" + id + " is not a route: use one of " + ids()));
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(Route::id).toList();
  }

  /**
   * Fails, naming the flag and what this route takes, when {@code destination} is not its store.
   */
  public void checkDestination(String destination) {
    checkDestination(destination, null);
  }

  /**
   * As {@link #checkDestination(String)}; the stores {@code dialect} loads from are accepted too
   * (e.g. Synapse's H2 stand-in reads the staged CSV through Beam's filesystems, so tests may stage
   * on S3 or a local folder).
   */
  public void checkDestination(String destination, WarehouseDialect dialect) {
    String given = schemeOf(destination);
    Set<String> allowed =
        new java.util.TreeSet<>(localAllowed ? Set.of(scheme, "file") : Set.of(scheme));
    if (dialect != null) {
      allowed.addAll(dialect.stagingSchemes());
    }
    if (!allowed.contains(given)) {
      throw new IllegalArgumentException(
          "--destination="
              + destination
              + " is not a location --route="
              + id
              + " delivers to: use "
              + allowed.stream()
                  .sorted()
                  .map(s -> s.equals("file") ? "a local path" : s + "://…")
                  .collect(Collectors.joining(" or ")));
    }
  }

  /** The URI scheme of {@code location}; a plain path is {@code file}. */
  public static String schemeOf(String location) {
    int colon = location.indexOf("://");
    return colon > 0 && location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
        ? location.substring(0, colon).toLowerCase(Locale.ROOT)
        : "file";
  }

  /**
   * Fails, naming {@code --format}, when this route cannot load files of {@code format}: BigQuery
   * is loaded from the delivered CSV.
   */
  public void checkFormat(String format) {
    if (this == BIGQUERY && !"csv".equals(format)) {
      throw new IllegalArgumentException(
          "--format="
              + format
              + " cannot be loaded by --route=bigquery, which loads the delivered CSV: use"
              + " --format=csv");
    }
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }
}
