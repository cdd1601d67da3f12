package io.lakeroute.pipelines.routes.warehouse;

import io.lakeroute.databricks.Federation;
import io.lakeroute.pipelines.config.Secrets;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.warehouse.WarehouseConnection;
import io.lakeroute.warehouse.WarehouseDialect;
import io.lakeroute.warehouse.WarehouseTarget;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The validated warehouse options of routes redshift and synapse: the table and how to reach the
 * warehouse. Secrets are read here, from the environment or a file, and never echoed.
 */
public record WarehouseConfig(
    WarehouseTarget target, WarehouseConnection connection, Federation federation) {

  /** The warehouse {@code route} loads, as the options describe it. */
  static WarehouseConfig from(
      RouteOptions options, WarehouseRoute route, Function<String, String> env) {
    WarehouseDialect dialect = dialect(options, route);
    String format =
        options.getFormat() == null ? "parquet" : options.getFormat().toLowerCase(Locale.ROOT);
    if (!dialect.formats().contains(format)) {
      // e.g. Synapse's COPY INTO (and so its H2 stand-in) reads no Avro or JSON.
      throw new IllegalArgumentException(
          "--warehouseDialect="
              + dialect.id()
              + " loads "
              + dialect.formats().stream()
                  .sorted()
                  .map(f -> f.toUpperCase(Locale.ROOT))
                  .collect(Collectors.joining(" and "))
              + " only: use --format="
              + dialect.formats().stream().sorted().collect(Collectors.joining(" or --format=")));
    }
    WarehouseConfig table = table(options, route, dialect, env);
    WarehouseConnection connection =
        table.connection().withStorageCredential(storageCredential(options, dialect, env));
    return new WarehouseConfig(table.target(), connection, federation(options, route, connection));
  }

  /**
   * The table of a run published earlier and the connection to its warehouse, without what only a
   * load needs (the storage credential, Lakehouse Federation): what {@code lakeroute verify} reads
   * the table with. The run's format is the manifest's, checked when the table's SQL is built.
   */
  static WarehouseConfig published(
      RouteOptions options, WarehouseRoute route, Function<String, String> env) {
    return table(options, route, dialect(options, route), env);
  }

  private static WarehouseDialect dialect(RouteOptions options, WarehouseRoute route) {
    WarehouseDialect dialect =
        options.getWarehouseDialect() == null
            ? route.warehouse()
            : WarehouseDialect.of(options.getWarehouseDialect());
    if (!dialect.warehouse().equals(route.warehouse())) {
      throw new IllegalArgumentException(
          "--warehouseDialect="
              + dialect.id()
              + " is not a dialect of --route="
              + route.id()
              + ": use "
              + WarehouseDialect.all().stream()
                  .filter(d -> d.warehouse().equals(route.warehouse()))
                  .map(WarehouseDialect::id)
                  .collect(Collectors.joining(" or ")));
    }
    return dialect;
  }

  /** The table and a connection to its warehouse without a storage credential. */
  private static WarehouseConfig table(
      RouteOptions options,
      WarehouseRoute route,
      WarehouseDialect dialect,
      Function<String, String> env) {
    if (options.getWarehouseTable() == null) {
      throw new IllegalArgumentException(
          "--route=" + route.id() + " needs --warehouseTable: the table the run is loaded into");
    }
    if (options.getWarehouseJdbcUrl() == null) {
      throw new IllegalArgumentException(
          "--route=" + route.id() + " needs --warehouseJdbcUrl: the warehouse to load into");
    }
    String schema =
        options.getWarehouseSchema() != null
            ? options.getWarehouseSchema()
            : dialect.defaultSchema();
    List<String> keys =
        options.getWarehouseMergeKeys() == null
            ? List.of()
            : Arrays.stream(options.getWarehouseMergeKeys().split(","))
                .map(String::strip)
                .filter(k -> !k.isEmpty())
                .toList();
    WarehouseTarget target =
        new WarehouseTarget(
                schema,
                options.getWarehouseTable(),
                WarehouseTarget.disposition(options.getWarehouseDisposition()),
                keys,
                options.getWarehouseAddColumns())
            .withSoftDeleteColumn(options.getSoftDeleteColumn());
    String password =
        options.getWarehousePasswordFile() != null
            ? Secrets.file(options.getWarehousePasswordFile(), "--warehousePasswordFile")
            : env.apply(options.getWarehousePasswordEnv());
    WarehouseConnection connection =
        WarehouseConnection.of(dialect)
            .withJdbcUrl(options.getWarehouseJdbcUrl())
            .withUser(options.getWarehouseUser())
            .withPassword(password);
    return new WarehouseConfig(target, connection, null);
  }

  /** Lakehouse Federation's catalog and secret, when given (real Databricks needs them). */
  private static Federation federation(
      RouteOptions options, WarehouseRoute route, WarehouseConnection connection) {
    String secret = options.getWarehouseDatabricksSecret();
    if (secret == null) {
      return null;
    }
    String[] parts = secret.split("/", 2);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "--warehouseDatabricksSecret=" + secret + " must be <scope>/<key>");
    }
    String catalog =
        options.getWarehouseForeignCatalog() != null
            ? options.getWarehouseForeignCatalog()
            : "lakeroute_" + route.id();
    return connection.federation(catalog, new Federation.Secret(parts[0], parts[1]));
  }

  private static String storageCredential(
      RouteOptions options, WarehouseDialect dialect, Function<String, String> env) {
    if (dialect.warehouse().equals(WarehouseDialect.REDSHIFT)) {
      // Checked by the dialect: Redshift and its stand-in need the role.
      return options.getRedshiftIamRole();
    }
    switch (options.getSynapseCredential().strip().toLowerCase(Locale.ROOT)) {
      case "managed-identity":
        return null;
      case "sas":
        String token =
            options.getSynapseSasTokenFile() != null
                ? Secrets.file(options.getSynapseSasTokenFile(), "--synapseSasTokenFile")
                : env.apply(options.getSynapseSasTokenEnv());
        if (token == null || token.isBlank()) {
          throw new IllegalArgumentException(
              "--synapseCredential=sas needs the token: set the environment variable named by"
                  + " --synapseSasTokenEnv or give --synapseSasTokenFile");
        }
        return token.startsWith("?") ? token.substring(1) : token;
      default:
        throw new IllegalArgumentException(
            "--synapseCredential="
                + options.getSynapseCredential()
                + " is not valid: use managed-identity or sas");
    }
  }
}
