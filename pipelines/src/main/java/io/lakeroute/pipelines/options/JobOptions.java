package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Many tables in one command: a job file and which of its tables to run. */
public interface JobOptions extends PipelineOptions {
  @Description(
      "A job file (YAML): 'defaults' and a list of 'tables', each key an option without its"
          + " dashes; each table is one run. Flags on the command line apply to every table and"
          + " win over the file. See docs/jobs.md.")
  String getJob();

  void setJob(String value);

  @Description("With --job: the names of the tables to run, comma-separated (default: all).")
  String getOnly();

  void setOnly(String value);

  @Description(
      "With --job: run again the tables whose run for this logical date already completed every"
          + " step (by default a re-run of a job redoes only the tables that did not).")
  @Default.Boolean(false)
  boolean getRedoComplete();

  void setRedoComplete(boolean value);

  @Description(
      "With --job: how many tables run at once (1 to 32), each in a JVM of its own started with"
          + " this one's Java options; 1 runs them one after the other in this JVM.")
  @Default.Integer(1)
  int getTableParallelism();

  void setTableParallelism(int value);

  @Description(
      "Set by a job for each table it runs in a JVM of its own: the table's name, for its summary"
          + " and for skipping a run that completed before. Not for the command line.")
  String getJobTable();

  void setJobTable(String value);
}
