package io.lakeroute.pipelines.launch;

import io.lakeroute.pipelines.options.AzureStoreOptions;
import io.lakeroute.pipelines.options.BigQueryRouteOptions;
import io.lakeroute.pipelines.options.DeliveryOptions;
import io.lakeroute.pipelines.options.FormatOptions;
import io.lakeroute.pipelines.options.GcsStoreOptions;
import io.lakeroute.pipelines.options.RedshiftOptions;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.options.RunOptions;
import io.lakeroute.pipelines.options.S3StoreOptions;
import io.lakeroute.pipelines.options.SourceOptions;
import io.lakeroute.pipelines.options.SynapseOptions;
import io.lakeroute.pipelines.options.WarehouseOptions;
import io.lakeroute.pipelines.run.ExitCode;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** {@code --help}: every lakeroute option with its meaning and default, by concern. */
public final class Help {
  private Help() {}

  static void print(PrintStream out) {
    out.println("lakeroute — deliver the result of a SQL query, validated at every hop.");
    out.println();
    out.println("Usage: java -jar lakeroute.jar --route=s3 --jdbcUrl=… --query=… --destination=…");
    out.println("       [--runner=DirectRunner|SparkRunner] [options]");
    out.println("With no --jdbcUrl the demo runs on an embedded database and writes every format.");
    out.println();
    section(out, "Route", RouteOptions.class, false);
    section(out, "Source", SourceOptions.class, false);
    section(out, "Format", FormatOptions.class, false);
    section(out, "Delivery", DeliveryOptions.class, false);
    section(out, "Run identity and scheduling", RunOptions.class, false);
    section(out, "Amazon S3", S3StoreOptions.class, true);
    section(
        out,
        "Google Cloud Storage",
        GcsStoreOptions.class,
        false,
        "  and Beam's own: --project, --gcsEndpoint, --gcsUploadBufferSizeBytes,",
        "  --impersonateServiceAccount, --credentialFactoryClass.");
    section(
        out,
        "Azure Blob Storage",
        AzureStoreOptions.class,
        false,
        "  and Beam's own: --blobServiceEndpoint, --accountName, --azureCredentialsProvider,",
        "  --blobstoreClientFactoryClass. --accessKey, --sasToken and --azureConnectionString are",
        "  refused: give the secret in a file or the environment.");
    section(out, "Warehouse (routes redshift and synapse)", WarehouseOptions.class, false);
    section(out, "Redshift", RedshiftOptions.class, false);
    section(out, "Synapse", SynapseOptions.class, false);
    section(
        out,
        "BigQuery (--route=bigquery)",
        BigQueryRouteOptions.class,
        false,
        "  and Beam's own: --tempLocation (where BigQueryIO writes its load files), --bigQueryProject.");
    out.println("Runner (Beam): --runner=DirectRunner (default) | SparkRunner; SparkRunner takes");
    out.println("  --sparkMaster=local[2] | spark://… | yarn. Any other Beam option is accepted.");
    out.println();
    out.println("Exit codes:");
    for (ExitCode code : ExitCode.values()) {
      out.printf("  %-3d %s%n", code.code(), code.meaning());
    }
  }

  private static void section(
      PrintStream out, String title, Class<?> type, boolean inherited, String... notes) {
    out.println(title + ":");
    Method[] methods = inherited ? type.getMethods() : type.getDeclaredMethods();
    Arrays.stream(methods)
        .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
        .filter(m -> m.getAnnotation(Description.class) != null)
        .filter(
            m ->
                !inherited
                    || !m.getDeclaringClass().getName().startsWith("org.apache.beam.sdk.options"))
        .sorted(Comparator.comparing(Method::getName))
        .forEach(
            m -> {
              String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
              out.printf("  --%s%s%n", name, defaultOf(m));
              out.printf("      %s%n", m.getAnnotation(Description.class).value());
            });
    for (String note : notes) {
      out.println(note);
    }
    out.println();
  }

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return " (default: " + m.getAnnotation(Default.String.class).value() + ")";
    } else if (m.getAnnotation(Default.Integer.class) != null) {
      return " (default: " + m.getAnnotation(Default.Integer.class).value() + ")";
    } else if (m.getAnnotation(Default.Long.class) != null) {
      return " (default: " + m.getAnnotation(Default.Long.class).value() + ")";
    } else if (m.getAnnotation(Default.Boolean.class) != null) {
      return " (default: " + m.getAnnotation(Default.Boolean.class).value() + ")";
    }
    return "";
  }
}
