package io.lakeroute.pipelines.options;

import io.lakeroute.delivery.StallTimeoutOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Which slice of data a run owns, where it starts, and what it reports: the scheduler's view. */
public interface RunOptions extends StallTimeoutOptions {
  @Description(
      "The date the run's data belongs to, yyyy-MM-dd (default: today, UTC). A range"
          + " yyyy-MM-dd..yyyy-MM-dd backfills: one run per date, in order, stopping at the first"
          + " failure. Re-running a date replaces that date's data everywhere.")
  String getLogicalDate();

  void setLogicalDate(String value);

  @Description(
      "Run id: the folder of the run under --destination and the key that replaces its data in"
          + " Databricks and the warehouse (default: the logical date). Letters, digits and . _ = -."
          + " Not allowed with a date range.")
  String getRunId();

  void setRunId(String value);

  @Description(
      "Step to start from: query (default: everything), load (the warehouse load, then"
          + " Databricks) or databricks. load and databricks re-use the published manifest of"
          + " --runId without querying again, and refuse when it is missing or another run's.")
  @Default.String("query")
  String getFromStep();

  void setFromStep(String value);

  @Description(
      "Write the run summary as JSON to this path (local, or any store URI), also when the run"
          + " fails. Schema: docs/operations.md, \"Run summary\"; while the command runs it says \"running\", so a path that cannot be written fails before any data moves.")
  String getSummaryPath();

  void setSummaryPath(String value);

  @Description(
      "Print the plan (paths, every SQL statement, secrets redacted) and stop. Reads the source's"
          + " metadata and counts to plan the split; writes nothing anywhere.")
  @Default.Boolean(false)
  boolean getDryRun();

  void setDryRun(boolean value);

  @Description(
      "Staging folders of other runs untouched for this many hours are leftovers of crashed runs"
          + " and are deleted at the start of a run. Younger ones may belong to a run in progress.")
  @Default.Integer(24)
  int getStagingRetentionHours();

  void setStagingRetentionHours(int value);

  @Description(
      "A run holds a lease on its run id at --destination (_lakeroute_leases/<runId>.json) for"
          + " this many minutes, renewed while it runs, so that a second run of the same run id"
          + " exits 75 instead of overlapping it. A run that was killed blocks the next one until"
          + " its lease expires, unless it ran on the same machine.")
  @Default.Integer(10)
  int getLeaseMinutes();

  void setLeaseMinutes(int value);
}
