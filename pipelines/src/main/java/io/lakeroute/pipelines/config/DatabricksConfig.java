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
    return new DatabricksTarget(
        new DatabricksTable(
            options.getDatabricksCatalog(),
            options.getDatabricksSchema(),
            options.getDatabricksTable()),
        DatabricksTarget.mode(options.getDatabricksMode()),
        DatabricksTarget.disposition(options.getDatabricksDisposition()),
        DatabricksTarget.dialect(options.getDatabricksDialect()),
        DatabricksTarget.mergeKeys(options.getDatabricksMergeKeys()),
        DatabricksTarget.load(options.getDatabricksLoad()));
  }

  /** The workspace connection; the token from a file or the environment. */
  public static DatabricksConnection connection(
      RouteOptions options, Function<String, String> env) {
    String token =
        Secrets.fromFileOrEnv(
            options.getDatabricksTokenFile(),
            "--databricksTokenFile",
            options.getDatabricksTokenEnv(),
            env);
    if (options.getDatabricksJdbcUrl() != null) {
      return DatabricksConnection.withUrl(options.getDatabricksJdbcUrl(), token);
    }
    if (options.getDatabricksHost() == null) {
      throw new IllegalArgumentException(
          "--databricksTable needs the workspace: --databricksHost and --databricksHttpPath, or"
              + " --databricksJdbcUrl");
    }
    return DatabricksConnection.of(
        options.getDatabricksHost(), options.getDatabricksHttpPath(), token);
  }
}
