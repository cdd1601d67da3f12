package io.lakeroute.pipelines.config;

import io.lakeroute.databricks.DatabricksConnection;
import io.lakeroute.databricks.DatabricksTable;
import io.lakeroute.databricks.DatabricksTarget;
import io.lakeroute.pipelines.options.RouteOptions;
import java.util.function.Function;

/**
 * The Databricks options every route may end with: the workspace it connects to and the table the
 * run makes visible there. How the table is filled (files, a warehouse through federation) is the
 * route's business.
 */
public final class DatabricksConfig {
  private DatabricksConfig() {}

  /** The Databricks table the run makes visible, or null without {@code --databricksTable}. */
  public static DatabricksTarget target(RouteOptions options) {
    if (options.getDatabricksTable() == null) {
      return null;
    }
    DatabricksTarget target =
        new DatabricksTarget(
            new DatabricksTable(
                options.getDatabricksCatalog(),
                options.getDatabricksSchema(),
                options.getDatabricksTable()),
            DatabricksTarget.mode(options.getDatabricksMode()),
            DatabricksTarget.disposition(options.getDatabricksDisposition()),
            DatabricksTarget.dialect(options.getDatabricksDialect()),
            DatabricksTarget.mergeKeys(options.getDatabricksMergeKeys()),
            DatabricksTarget.load(options.getDatabricksLoad()));
    // A Databricks table that reads a warehouse's (routes 2, 4 and 5) sees the warehouse's merge,
    // soft deletes included; only a table merging the files deletes by the column itself.
    return target.disposition() == DatabricksTarget.Disposition.MERGE
        ? target.withDatabricksSoftDeleteColumn(options.getSoftDeleteColumn())
        : target;
  }

  /** The variable a service principal's client id is read from without --databricksClientId. */
  static final String CLIENT_ID_VARIABLE = "DATABRICKS_CLIENT_ID";

  /**
   * The workspace connection: as a service principal (OAuth machine-to-machine) when a client id is
   * given, else with a personal access token; secrets from a file or the environment.
   */
  public static DatabricksConnection connection(
      RouteOptions options, Function<String, String> env) {
    DatabricksConnection workspace;
    if (options.getDatabricksJdbcUrl() != null) {
      workspace = DatabricksConnection.atUrl(options.getDatabricksJdbcUrl());
    } else if (options.getDatabricksHost() == null) {
      throw new IllegalArgumentException(
          "--databricksTable needs the workspace: --databricksHost and --databricksHttpPath, or"
              + " --databricksJdbcUrl");
    } else {
      workspace =
          DatabricksConnection.at(options.getDatabricksHost(), options.getDatabricksHttpPath());
    }
    String clientId =
        options.getDatabricksClientId() != null
            ? options.getDatabricksClientId()
            : env.apply(CLIENT_ID_VARIABLE);
    if (clientId == null || clientId.isBlank()) {
      return workspace.withToken(
          Secrets.fromFileOrEnv(
              options.getDatabricksTokenFile(),
              "--databricksTokenFile",
              options.getDatabricksTokenEnv(),
              env));
    }
    String secret =
        Secrets.fromFileOrEnv(
            options.getDatabricksClientSecretFile(),
            "--databricksClientSecretFile",
            options.getDatabricksClientSecretEnv(),
            env);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(
          "Service principal "
              + clientId
              + (options.getDatabricksClientId() != null
                  ? " (--databricksClientId)"
                  : " (the variable " + CLIENT_ID_VARIABLE + ")")
              + " needs its OAuth secret: the variable "
              + options.getDatabricksClientSecretEnv()
              + " (--databricksClientSecretEnv) is not set and there is no"
              + " --databricksClientSecretFile");
    }
    return workspace.withServicePrincipal(clientId, secret);
  }
}
