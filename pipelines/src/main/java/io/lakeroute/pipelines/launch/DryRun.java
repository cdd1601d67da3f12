package io.lakeroute.pipelines.launch;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.Manifest;
import io.lakeroute.delivery.Publish;
import io.lakeroute.pipelines.config.Incremental;
import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.RoutePlan;
import io.lakeroute.pipelines.run.RouteRunner;
import io.lakeroute.pipelines.run.RunRecord;
import io.lakeroute.query.QueryPartition;
import io.lakeroute.query.QueryPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code --dryRun}: what a run would do, without doing it. The source is asked for its metadata and
 * counts (read-only, to plan the split); no store, warehouse or Databricks is contacted and nothing
 * is written. Secrets never appear: URLs are redacted and tokens travel outside the SQL.
 */
final class DryRun {
  private DryRun() {}

  static String describe(RouteOptions options, Function<String, String> env) {
    RunRecord record = new RunRecord();
    RouteRunner runner = RouteRunner.prepare(options, env, record);
    RunConfig config = runner.config();
    Layout layout = config.layout();
    QueryPlan plan = runner.planWithoutSnapshot();
    List<Long> rows = new ArrayList<>();
    for (QueryPartition partition : plan.partitions()) {
      rows.add(partition.estimatedRows());
    }
    Manifest manifest = Publish.planned(layout, config.format(), plan.schema(), rows);
    StringBuilder text = new StringBuilder("lakeroute: DRY RUN (nothing was written)\n");
    line(text, "route", runner.route().id() + " on " + options.getRunner().getSimpleName());
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
    String cursor = Incremental.describe(record.cursorStart(), plan.cursorRange());
    if (cursor != null) {
      line(text, "cursor", cursor);
    }
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
    for (RoutePlan.Statements statements : runner.plan().statements(manifest)) {
      text.append(statements.title()).append(":\n");
      for (String statement : statements.sql()) {
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
