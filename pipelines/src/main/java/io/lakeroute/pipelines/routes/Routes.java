package io.lakeroute.pipelines.routes;

import io.lakeroute.pipelines.routes.bigquery.BigQueryRoute;
import io.lakeroute.pipelines.routes.files.FilesRoute;
import io.lakeroute.pipelines.routes.warehouse.WarehouseRoute;
import java.util.List;
import java.util.Locale;

/** Every route {@code --route} can name; a new route is one more line here. */
public final class Routes {
  private static final List<Route> ALL =
      List.of(
          FilesRoute.S3,
          FilesRoute.AZURE_BLOB,
          FilesRoute.GCS,
          WarehouseRoute.REDSHIFT,
          WarehouseRoute.SYNAPSE,
          BigQueryRoute.BIGQUERY);

  private Routes() {}

  public static List<Route> all() {
    return ALL;
  }

  /** The route {@code --route=id} names; the message lists every route otherwise. */
  public static Route of(String id) {
    String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    return ALL.stream()
        .filter(r -> r.id().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--route=" + id + " is not a route: use one of " + ids()));
  }

  public static List<String> ids() {
    return ALL.stream().map(Route::id).toList();
  }
}
