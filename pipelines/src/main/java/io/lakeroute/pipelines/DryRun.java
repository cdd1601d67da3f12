package io.lakeroute.pipelines;

import io.lakeroute.databricks.DatabricksSql;
import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.delivery.Publish;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.query.QueryPartition;
import io.lakeroute.query.QueryPlan;
import io.lakeroute.warehouse.WarehouseConnection;
import io.lakeroute.warehouse.WarehouseStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --dryRun}: what a run would do, without doing it. The source is asked for its metadata and
 * counts (read-only, to plan the split); no store, warehouse or Databricks is contacted and nothing
 * is written. Secrets never appear: URLs are redacted and tokens travel outside the SQL.
 */
final class DryRun {
  private DryRun() {}

  static String describe(RouteOptions options) {
    Lakeroute.Prepared prepared = Lakeroute.prepare(options, System::getenv);
    RouteConfig config = prepared.config();
    Layout layout = prepared.layout();
    QueryPlan plan = Lakeroute.plan(config);
    List<Long> rows = new ArrayList<>();
    for (QueryPartition partition : plan.partitions()) {
      rows.add(partition.estimatedRows());
    }
    Manifest manifest = Publish.planned(layout, config.format(), plan.schema(), rows);
    StringBuilder text = new StringBuilder("lakeroute: DRY RUN (nothing was written)\n");
    line(text, "route", config.route().id() + " on " + options.getRunner().getSimpleName());
    line(
        text,
        "run id",
        config.runId()
            + " (logical date "
            + config.logicalDate()
            + ", from step "
            + config.fromStep().id()
            + ")");
    line(text, "source", config.source().redactedUrl());
    line(
        text,
        "rows",
        String.format(
            Locale.ROOT,
            "%,d returned by the query, in %d file(s)",
            plan.rowCount(),
            plan.partitions().size()));
    line(text, "staging", layout.stagingDirectory().toString());
    for (Manifest.FileEntry file : manifest.files()) {
      line(text, "file", file.uri() + String.format(Locale.ROOT, " (~%,d rows)", file.rows()));
    }
    line(text, "manifest", layout.manifest().toString());
    line(text, "marker", layout.doneMarker() + " (written last)");
    text.append("SQL on the source:\n");
    for (QueryPartition partition : plan.partitions()) {
      text.append("  -- ").append(partition).append('\n');
      text.append(indent(partition.sql())).append('\n');
    }
    if (config.warehouse() != null) {
      WarehouseConnection warehouse = config.warehouse().connection();
      text.append("SQL on ")
          .append(warehouse.dialect().id())
          .append(" (")
          .append(warehouse.url())
          .append(", secrets not shown):\n");
      for (String statement :
          WarehouseStep.planned(warehouse, config.warehouse().target(), manifest)) {
        text.append(indent(statement)).append(";\n");
      }
      if (config.databricksTarget() != null) {
        text.append("SQL on Databricks (")
            .append(config.databricks().url())
            .append(", token not shown):\n");
        for (String statement : Lakeroute.databricksReader(config).planned(manifest.runId())) {
          text.append(indent(statement)).append(";\n");
        }
      }
    } else if (config.databricksTarget() != null) {
      text.append("SQL on Databricks (")
          .append(config.databricks().url())
          .append(", token not shown):\n");
      DatabricksSql sql = new DatabricksSql(config.databricksTarget(), manifest);
      List<String> statements = new ArrayList<>();
      statements.add(DatabricksSql.describeSchema(config.databricksTarget().table()));
      statements.add(sql.createTable());
      statements.add(sql.describeTable());
      statements.addAll(sql.load());
      statements.add(sql.countRows());
      for (String statement : statements) {
        text.append(indent(statement)).append(";\n");
      }
    }
    return text.toString();
  }

  private static String indent(String sql) {
    return "  " + sql.strip().replace("\n", "\n  ");
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format(Locale.ROOT, "  %-10s %s%n", label, value));
  }
}
