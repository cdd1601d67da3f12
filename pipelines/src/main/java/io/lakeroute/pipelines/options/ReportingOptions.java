package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What a run tells while it runs and who else hears of it: progress and OpenLineage events. */
public interface ReportingOptions extends PipelineOptions {
  @Description(
      "Progress while a run runs, on stderr: auto (one line updated in place on a terminal, else a"
          + " line every --progressSeconds), line or log.")
  @Default.String("auto")
  String getProgress();

  void setProgress(String value);

  @Description("Seconds between progress lines when they go to a log (not a terminal).")
  @Default.Integer(10)
  int getProgressSeconds();

  void setProgressSeconds(int value);

  @Description("No progress lines; the summary and errors are still printed.")
  @Default.Boolean(false)
  boolean getQuiet();

  void setQuiet(boolean value);

  @Description(
      "Send OpenLineage run events (START, then COMPLETE or FAIL) to this lineage server, e.g."
          + " http://marquez:5000 (posts to /api/v1/lineage) or a full endpoint URL. A server that"
          + " is down never fails the run: a warning, and the summary says so.")
  String getOpenLineageUrl();

  void setOpenLineageUrl(String value);

  @Description("Append the OpenLineage run events to this local file, one JSON event per line.")
  String getOpenLineageFile();

  void setOpenLineageFile(String value);

  @Description(
      "Print the OpenLineage run events too, one JSON event per log line on stderr (never stdout,"
          + " which holds the run summary scripts read).")
  @Default.Boolean(false)
  boolean getOpenLineageConsole();

  void setOpenLineageConsole(boolean value);

  @Description("OpenLineage namespace of the job.")
  @Default.String("lakeroute")
  String getOpenLineageNamespace();

  void setOpenLineageNamespace(String value);

  @Description(
      "OpenLineage job name (default: <route>:<Databricks table, warehouse table or"
          + " --destination>, the same for every run of a route).")
  String getOpenLineageJobName();

  void setOpenLineageJobName(String value);
}
