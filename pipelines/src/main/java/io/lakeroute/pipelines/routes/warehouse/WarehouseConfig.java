package io.lakeroute.pipelines.routes.warehouse;

import io.lakeroute.pipelines.config.Secrets;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.warehouse.ReadWarehouseInDatabricks;
import io.lakeroute.warehouse.WarehouseConnection;
import io.lakeroute.warehouse.WarehouseDialect;
import io.lakeroute.warehouse.WarehouseTarget;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The validated warehouse options of routes redshift and synapse: the table and how to reach the
 * warehouse. Secrets are read here, from the environment or a file, and never echoed.
 */
public record WarehouseConfig(
    WarehouseTarget target,
    WarehouseConnection connection,
    ReadWarehouseInDatabricks.Federation federation) {

  /** The warehouse {@code route} loads, as the options describe it. */
  static WarehouseConfig from(
      RouteOptions options, WarehouseRoute route, Function<String, String> env) {
    WarehouseDialect dialect =
        options.getWarehouseDialect() == null
            ? route.warehouse()
            : WarehouseDialect.of(options.getWarehouseDialect());
    if (dialect.redshift() != route.warehouse().redshift()) {
      throw new IllegalArgumentException(
          "--warehouseDialect="
              + dialect.id()
              + " is not a dialect of --route="
              + route.id()
              + ": use "
              + (route.warehouse().redshift() ? "redshift or postgres" : "synapse or h2"));
    }
    if (dialect.standIn() && !"csv".equalsIgnoreCase(String.valueOf(options.getFormat()))) {
      // PostgreSQL and H2 have no bulk load of Parquet, Avro or JSON.
      throw new IllegalArgumentException(
          "--warehouseDialect="
              + dialect.id()
              + " (the local stand-in of "
              + route.id()
              + ") loads CSV only: use --format=csv");
    }
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
            : dialect.redshift() ? "public" : "dbo";
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
            options.getWarehouseAddColumns());
    String password =
        options.getWarehousePasswordFile() != null
            ? Secrets.file(options.getWarehousePasswordFile(), "--warehousePasswordFile")
            : env.apply(options.getWarehousePasswordEnv());
    return new WarehouseConfig(
        target,
        new WarehouseConnection(
            dialect,
            options.getWarehouseJdbcUrl(),
            options.getWarehouseUser(),
            password,
            storageCredential(options, dialect, env)),
        federation(options, route));
  }

  /** Lakehouse Federation's catalog and secret, when given (real Databricks needs them). */
  private static ReadWarehouseInDatabricks.Federation federation(
      RouteOptions options, WarehouseRoute route) {
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
    return new ReadWarehouseInDatabricks.Federation(catalog, parts[0], parts[1]);
  }

  private static String storageCredential(
      RouteOptions options, WarehouseDialect dialect, Function<String, String> env) {
    if (dialect.redshift()) {
      String role = options.getRedshiftIamRole();
      if (dialect == WarehouseDialect.REDSHIFT
          && (role == null || !role.startsWith("arn:aws:iam::"))) {
        throw new IllegalArgumentException(
            "--route=redshift needs --redshiftIamRole=arn:aws:iam::<account>:role/<name>: the role"
                + " Redshift assumes to read the staged files");
      }
      return role;
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
