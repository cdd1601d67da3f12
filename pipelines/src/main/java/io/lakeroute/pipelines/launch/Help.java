package io.lakeroute.pipelines.launch;

import io.lakeroute.delivery.StallTimeoutOptions;
import io.lakeroute.pipelines.options.AzureStoreOptions;
import io.lakeroute.pipelines.options.BigQueryRouteOptions;
import io.lakeroute.pipelines.options.DatabricksOptions;
import io.lakeroute.pipelines.options.DeliveryOptions;
import io.lakeroute.pipelines.options.FormatOptions;
import io.lakeroute.pipelines.options.GcsStoreOptions;
import io.lakeroute.pipelines.options.JobOptions;
import io.lakeroute.pipelines.options.RedshiftOptions;
import io.lakeroute.pipelines.options.ReportingOptions;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.options.RunOptions;
import io.lakeroute.pipelines.options.S3StoreOptions;
import io.lakeroute.pipelines.options.SourceOptions;
import io.lakeroute.pipelines.options.SynapseOptions;
import io.lakeroute.pipelines.options.VerifyOptions;
import io.lakeroute.pipelines.options.WarehouseOptions;
import io.lakeroute.pipelines.routes.Routes;
import io.lakeroute.pipelines.run.ExitCode;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code --help}: every lakeroute option with its meaning and default, by concern. The sections are
 * also what {@link OptionsReference} renders as docs/options.md, so the two cannot drift apart.
 */
public final class Help {
  private Help() {}

  /**
   * One group of options: the getters of {@code options} that carry a {@link Description}, then
   * {@code notes} (one line each in {@code --help}). {@code inherited} also lists the getters of
   * the Beam interface {@code options} extends (Beam's S3 options), but never Beam's core options.
   */
  record Section(String title, Class<?> options, boolean inherited, List<String> notes) {
    /** The section's options, sorted by name. */
    List<Method> getters() {
      Method[] methods = inherited ? options.getMethods() : options.getDeclaredMethods();
      return Arrays.stream(methods)
          .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
          .filter(m -> m.getAnnotation(Description.class) != null)
          .filter(
              m ->
                  !inherited
                      || !m.getDeclaringClass().getName().startsWith("org.apache.beam.sdk.options"))
          .sorted(Comparator.comparing(Method::getName))
          .toList();
    }
  }

  static List<Section> sections() {
    return List.of(
        new Section(
            "Route",
            RouteOptions.class,
            false,
            Routes.all().stream()
                .map(r -> String.format(Locale.ROOT, "  %-11s %s", r.id(), r.description()))
                .toList()),
        new Section("Source", SourceOptions.class, false, List.of()),
        new Section("Values (fingerprints)", VerifyOptions.class, false, List.of()),
        new Section("Format", FormatOptions.class, false, List.of()),
        new Section("Delivery", DeliveryOptions.class, false, List.of()),
        new Section("Run identity and scheduling", RunOptions.class, false, List.of()),
        new Section("Timeouts", StallTimeoutOptions.class, false, List.of()),
        new Section("Job file (many tables)", JobOptions.class, false, List.of()),
        new Section("Amazon S3", S3StoreOptions.class, true, List.of()),
        new Section(
            "Google Cloud Storage",
            GcsStoreOptions.class,
            false,
            List.of(
                "and Beam's own: --project, --gcsEndpoint, --gcsUploadBufferSizeBytes,",
                "--impersonateServiceAccount, --credentialFactoryClass.")),
        new Section(
            "Azure Blob Storage",
            AzureStoreOptions.class,
            false,
            List.of(
                "and Beam's own: --blobServiceEndpoint, --accountName, --azureCredentialsProvider,",
                "--blobstoreClientFactoryClass. --accessKey, --sasToken and --azureConnectionString"
                    + " are",
                "refused: give the secret in a file or the environment.")),
        new Section(
            "Warehouse (routes redshift and synapse)", WarehouseOptions.class, false, List.of()),
        new Section("Redshift", RedshiftOptions.class, false, List.of()),
        new Section("Synapse", SynapseOptions.class, false, List.of()),
        new Section(
            "BigQuery (--route=bigquery)",
            BigQueryRouteOptions.class,
            false,
            List.of(
                "and Beam's own: --bigQueryEndpoint (another BigQuery endpoint than"
                    + " Google's).")),
        new Section("Databricks", DatabricksOptions.class, false, List.of()),
        new Section("Progress and lineage", ReportingOptions.class, false, List.of()));
  }

  static void print(PrintStream out) {
    out.println("lakeroute — deliver the result of a SQL query, validated at every hop.");
    out.println();
    out.println("Usage: java -jar lakeroute.jar --route=s3 --jdbcUrl=… --query=… --destination=…");
    out.println("       [--runner=DirectRunner|SparkRunner] [options]");
    out.println("       java -jar lakeroute.jar verify --destination=… --runId=… [store options]");
    out.println("       [--route=… and its warehouse, BigQuery or Databricks options]");
    out.println("       (re-checks a published run's files, and those hops' rows of the run,");
    out.println("       against its manifest; exit 0 or 7)");
    out.println("With no --jdbcUrl the demo runs on an embedded database and writes every format.");
    out.println();
    for (Section section : sections()) {
      out.println(section.title() + ":");
      for (Method m : section.getters()) {
        String value = defaultOf(m);
        out.printf("  --%s%s%n", flag(m), value == null ? "" : " (default: " + value + ")");
        out.printf("      %s%n", m.getAnnotation(Description.class).value());
      }
      for (String note : section.notes()) {
        out.println("  " + note);
      }
      out.println();
    }
    out.println("Runner (Beam): --runner=DirectRunner (default) | SparkRunner; SparkRunner takes");
    out.println("  --sparkMaster=local[2] | spark://… | yarn. Any other Beam option is accepted.");
    out.println();
    out.println("Exit codes:");
    for (ExitCode code : ExitCode.values()) {
      out.printf("  %-3d %s%n", code.code(), code.meaning());
    }
  }

  /**
   * The flag a getter stands for, named as Beam names the property (JavaBeans' decapitalize):
   * {@code getFetchSize} is {@code fetchSize}, but Beam's {@code getSSEAlgorithm} is {@code
   * SSEAlgorithm}.
   */
  static String flag(Method getter) {
    String property = getter.getName().substring(3);
    if (property.length() > 1 && Character.isUpperCase(property.charAt(1))) {
      return property;
    }
    return Character.toLowerCase(property.charAt(0)) + property.substring(1);
  }

  /** The getter's declared default as text, or null when it declares none. */
  static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    } else if (m.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    } else if (m.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    } else if (m.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }
}
