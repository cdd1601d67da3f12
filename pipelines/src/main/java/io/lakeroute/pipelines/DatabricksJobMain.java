package io.lakeroute.pipelines;

import io.lakeroute.pipelines.run.ExitCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The main class of a Databricks Jobs JAR task (runners-config/databricks-jobs): runs lakeroute on
 * the Spark context the cluster already has, and ends the way a JAR task must.
 *
 * <p>Databricks calls {@code main} inside the cluster's driver, whose SparkContext it owns: the run
 * must neither create nor stop one, nor call {@code System.exit}, which Databricks reports as a
 * failed run whatever the code. So the cluster's context is handed to Beam's Spark runner ({@code
 * --usesProvidedSparkContext}, which Beam then never stops), and a failure is thrown: the task
 * fails with lakeroute's message and exit code, and the job's retry policy applies.
 */
public final class DatabricksJobMain {
  private DatabricksJobMain() {}

  public static void main(String[] args) {
    SparkContextFactory.setProvidedSparkContext(
        JavaSparkContext.fromSparkContext(SparkContext.getOrCreate()));
    List<String> withContext = new ArrayList<>(List.of(args));
    withContext.add("--usesProvidedSparkContext=true");
    ExitCode exit = Lakeroute.launch(withContext.toArray(new String[0]), System.out, System.err);
    if (exit != ExitCode.OK) {
      throw new IllegalStateException(
          "lakeroute exited with "
              + exit.code()
              + " ("
              + exit.meaning()
              + "); see the lines above");
    }
  }
}
