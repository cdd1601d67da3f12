package io.lakeroute.pipelines.config;

import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.routes.Destinations;
import java.util.Properties;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.spark.SparkContext;

/**
 * The local paths a run may name when Spark runs it on machines of its own.
 *
 * <p>On a Spark master other than {@code local[N]} (spark://, yarn, k8s://, a Databricks cluster),
 * executors write the data files, the manifest and the done marker, each on its own machine: a
 * local {@code --destination} would scatter one run over their disks, so it is refused before
 * anything runs. {@code --summaryPath} is written by the driver once the run ends: on the
 * submitting machine in client deploy mode (spark-submit's default), but on a machine the cluster
 * picks in cluster deploy mode, where a local summary path is refused as well.
 */
public final class ClusterPaths {
  private ClusterPaths() {}

  /** Throws {@link IllegalArgumentException} for a local path the cluster would scatter or lose. */
  public static void check(RouteOptions options, String destination) {
    check(options, destination, System.getProperties());
  }

  static void check(RouteOptions options, String destination, Properties system) {
    String master = sparkMaster(options, system);
    if (master == null || master.startsWith("local")) {
      return;
    }
    if (isLocal(destination)) {
      throw new IllegalArgumentException(
          "--destination="
              + destination
              + " is a local path, but on Spark master "
              + master
              + " the executors write the files, each on its own machine, so the run would be"
              + " scattered over their disks. Deliver to a store every executor reaches (s3://,"
              + " gs://, azfs://), or write a local folder with --sparkMaster=local[N] or"
              + " --runner=DirectRunner.");
    }
    String summary = options.getSummaryPath();
    if (summary != null
        && isLocal(summary)
        && "cluster".equals(system.getProperty("spark.submit.deployMode"))) {
      throw new IllegalArgumentException(
          "--summaryPath="
              + summary
              + " is a local path, but in cluster deploy mode the driver, which writes the summary,"
              + " runs on a machine the cluster picks. Give a store URL (s3://…, gs://…, azfs://…),"
              + " or submit in client deploy mode, where it is written on the submitting machine.");
    }
  }

  /**
   * The master the run's Spark context has: a provided context's, else spark-submit's ({@code
   * spark.master}, which Beam's SparkContextFactory prefers to {@code --sparkMaster}); null when
   * the runner is not Spark.
   */
  static String sparkMaster(RouteOptions options, Properties system) {
    if (!options.getRunner().getName().startsWith("org.apache.beam.runners.spark.")) {
      return null;
    }
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    if (spark.getUsesProvidedSparkContext()) {
      // The context its host made (a Databricks cluster's), which Beam's runner then uses.
      return SparkContext.getOrCreate().master();
    }
    String submitted = system.getProperty("spark.master");
    return submitted != null ? submitted : spark.getSparkMaster();
  }

  private static boolean isLocal(String path) {
    return Destinations.schemeOf(path).equals("file");
  }
}
