package io.lakeroute.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalAzurite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users run it, in a process of its own: {@code java -jar} on the Direct runner
 * (the README's demo command) and runners-config/spark-submit.sh with {@code local[2]}, from
 * PostgreSQL to S3Mock and to the GCS server. Proves that every filesystem, runner and driver
 * registers from the merged service files and that the password never reaches the command line.
 */
class ShadedJarIT {
  private static RouteFixture fixture;

  @TempDir Path temp;

  @BeforeAll
  static void startLocalCloud() throws Exception {
    fixture = RouteFixture.get();
  }

  private record Run(int exit, String output) {}

  private Run run(List<String> command, Path workDir) throws IOException, InterruptedException {
    return run(command, workDir, Map.of());
  }

  private Run run(List<String> command, Path workDir, Map<String, String> env, String... unset)
      throws IOException, InterruptedException {
    Path log = temp.resolve("process.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    for (String name : unset) {
      builder.environment().remove(name);
    }
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    assertThat("finished in time", process.waitFor(10, TimeUnit.MINUTES), equalTo(true));
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(
        String.join(" ", command),
        org.hamcrest.Matchers.not(containsString(fixture.postgres.password())));
    return new Run(process.exitValue(), output);
  }

  private static String jar() {
    return System.getProperty("lakeroute.jar");
  }

  @Test
  void demoRunsWithJavaJarAndNoArguments() throws Exception {
    Run run = run(List.of(javaBin(), "-Xmx1g", "-jar", jar(), "--format=csv"), temp);
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, containsString("lakeroute: OK"));
    assertThat(run.output, containsString("100,000 returned by the query = 100,000 in files"));
    try (var files = Files.walk(temp.resolve("lakeroute-demo"))) {
      assertThat(files.anyMatch(f -> f.getFileName().toString().equals("_SUCCESS")), equalTo(true));
    }
  }

  @Test
  void theDemoJobDeliversEveryRowThenOnlyTheNextDaysNewAndChangedOnes() throws Exception {
    List<String> command =
        List.of(
            javaBin(), "-Xmx1g", "-jar", jar(), "--job=" + repo("runners-config", "demo-job.yaml"));
    Run first = run(command, temp);
    assertThat(first.output, first.exit, equalTo(0));
    assertThat(first.output, containsString("Demo shop created under lakeroute-demo/source"));
    assertThat(first.output, containsString("20,000 returned by the query = 20,000 in files"));
    assertThat(first.output, containsString("60,000 returned by the query = 60,000 in files"));
    assertThat(first.output, containsString("updated_at: first run, every row"));

    Run second = run(command, temp);
    assertThat(second.output, second.exit, equalTo(0));
    assertThat(second.output, containsString("lived through business day 2026-01-02"));
    // 150 new and 80 changed customers, 1,200 new and 300 changed orders: nothing else.
    assertThat(second.output, containsString("230 returned by the query = 230 in files"));
    assertThat(second.output, containsString("1,500 returned by the query = 1,500 in files"));
    assertThat(
        second.output,
        containsString(
            "updated_at: incremental, rows past 2025-12-31T14:00 (the mark of run 2026-01-01)"));
    Path orders = temp.resolve("lakeroute-demo/daily/orders/2026-01-02/_manifest.json");
    Manifest manifest = Manifest.fromJson(Files.readString(orders, StandardCharsets.UTF_8));
    assertThat(manifest.cursor().from(), equalTo("2025-12-31T14:00"));
    assertThat(manifest.cursor().to(), equalTo("2026-01-02T21:40"));
  }

  @Test
  void sparkSubmitLocalDeliversToS3() throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(
        Path.of("..", "runners-config", "spark-submit.sh").toAbsolutePath().normalize().toString());
    for (String arg : fixture.args("SparkRunner")) {
      if (!arg.startsWith("--runner=") && !arg.startsWith("--sparkMaster=")) {
        command.add(arg);
      }
    }
    command.add("--query=SELECT * FROM customers");
    command.add("--partitionColumn=id");
    command.add("--format=parquet");
    command.add("--destination=s3://" + RouteFixture.BUCKET + "/spark-submit");
    command.add("--runId=submitted");
    Run run = run(command, temp);
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, containsString("on SparkRunner"));
    Manifest manifest =
        Manifest.fromJson(
            new String(
                fixture.s3.get(RouteFixture.BUCKET, "spark-submit/submitted/_manifest.json"),
                StandardCharsets.UTF_8));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
  }

  @Test
  void sparkSubmitLocalDeliversToGcsWithAKeyFile() throws Exception {
    // Spark's own jars come first on spark-submit's classpath: Beam's GCS client must still load,
    // register gs:// from the merged service files and build the key from the options on every
    // executor.
    var gcs = fixture.gcs();
    gcs.createPrivateBucket("lakeroute-gcs-it-submit");
    Path key = gcs.createServiceAccountKey("submit@demo-lakeroute.iam.gserviceaccount.com");
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(
        Path.of("..", "runners-config", "spark-submit.sh").toAbsolutePath().normalize().toString());
    for (String arg : fixture.sourceArgs("SparkRunner")) {
      if (!arg.startsWith("--runner=") && !arg.startsWith("--sparkMaster=")) {
        command.add(arg);
      }
    }
    command.addAll(List.of(gcs.endpointArgs()));
    command.add("--route=gcs");
    command.add("--gcsServiceAccountKeyFile=" + key);
    command.add("--query=SELECT * FROM customers");
    command.add("--partitionColumn=id");
    command.add("--format=csv");
    command.add("--destination=gs://lakeroute-gcs-it-submit/spark-submit");
    command.add("--runId=submitted");
    Run run = run(command, temp);
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, containsString("on SparkRunner"));
    Manifest manifest =
        Manifest.fromJson(
            new String(
                gcs.get("lakeroute-gcs-it-submit", "spark-submit/submitted/_manifest.json"),
                StandardCharsets.UTF_8));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
  }

  @Test
  void sparkSubmitLocalDeliversToAzureWithTheKeyInTheEnvironment() throws Exception {
    // Spark's Netty comes first on spark-submit's classpath: the Azure SDK's HTTP client must
    // still load, and azfs:// register from the merged service files.
    LocalAzurite azurite = LocalAzurite.shared();
    azurite.createContainer("lakeroute-azure-submit");
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(
        Path.of("..", "runners-config", "spark-submit.sh").toAbsolutePath().normalize().toString());
    for (String arg : fixture.sourceArgs("SparkRunner")) {
      if (!arg.startsWith("--runner=") && !arg.startsWith("--sparkMaster=")) {
        command.add(arg);
      }
    }
    command.addAll(List.of(azurite.endpointArgs()));
    command.add("--route=azure-blob");
    command.add("--query=SELECT * FROM customers");
    command.add("--partitionColumn=id");
    command.add("--format=avro");
    command.add("--destination=azfs://devstoreaccount1/lakeroute-azure-submit/spark-submit");
    command.add("--runId=submitted");
    Run run = run(command, temp, Map.of("AZURE_STORAGE_KEY", LocalAzurite.KEY));
    assertThat(run.output, run.exit, equalTo(0));
    assertThat(run.output, containsString("on SparkRunner"));
    assertThat(run.output, org.hamcrest.Matchers.not(containsString(LocalAzurite.KEY)));
    Manifest manifest =
        Manifest.fromJson(
            new String(
                azurite.get("lakeroute-azure-submit", "spark-submit/submitted/_manifest.json"),
                StandardCharsets.UTF_8));
    assertThat(manifest.rowCount(), equalTo(RouteFixture.CUSTOMER_ROWS));
  }

  @Test
  void s3WithoutCredentialsSaysWhereToGiveThemInOneMessage() throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    // Nowhere to find a key: no variables, no profile files, and no instance metadata service,
    // which would be a non-loopback address.
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("absent-credentials").toString());
    env.put("AWS_CONFIG_FILE", temp.resolve("absent-config").toString());
    List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", jar()));
    command.addAll(fixture.sourceArgs("DirectRunner"));
    command.addAll(
        List.of(
            "--awsRegion=us-east-1",
            "--endpoint=" + fixture.s3.endpoint(),
            "--s3PathStyle=true",
            "--query=SELECT 1 AS one",
            "--destination=s3://" + RouteFixture.BUCKET + "/no-credentials"));
    Run run = run(command, temp, env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(run.output, run.exit, equalTo(ExitCode.DELIVERY.code()));
    assertThat(run.output, containsString("no AWS credentials were found"));
    assertThat(run.output, containsString("AWS_ACCESS_KEY_ID"));
    // One message, not the SDK's account of every provider it tried.
    assertThat(run.output, org.hamcrest.Matchers.not(containsString("ProfileCredentialsProvider")));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "no-credentials/"), org.hamcrest.Matchers.empty());
  }

  @Test
  void failureExitsNonZeroWithOneMessage() throws Exception {
    Run run =
        run(
            List.of(
                javaBin(),
                "-jar",
                jar(),
                "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/x",
                "--query=SELECT 1",
                "--destination=" + temp.resolve("out")),
            temp);
    assertThat(run.output, run.exit, equalTo(ExitCode.SOURCE.code()));
    assertThat(run.output, containsString("Cannot connect to the source"));
  }

  @Test
  void theCronWrapperNeverOverlapsRunsAndRunsTheRouteWithTheDirectRunnerArgs() throws Exception {
    Path lock = temp.resolve("customers.lock");
    Path wrapper = repo("runners-config", "cron", "lakeroute-daily.sh");
    List<String> command = new ArrayList<>(List.of("bash", wrapper.toString()));
    command.add("@" + repo("runners-config", "direct.args"));
    for (String arg : fixture.args("DirectRunner")) {
      if (!arg.startsWith("--runner=")) {
        command.add(arg);
      }
    }
    command.add("--query=SELECT * FROM customers WHERE id <= 1000");
    command.add("--destination=s3://" + RouteFixture.BUCKET + "/cron");
    command.add("--logicalDate=2026-11-20");

    // A run still in progress holds the lock: the next one does not start.
    // -o: the lock belongs to flock itself, so killing it releases the lock.
    Process holder = new ProcessBuilder("flock", "-o", lock.toString(), "sleep", "300").start();
    try {
      awaitLocked(lock);
      Run refused = runWithEnv(command, lock);
      assertThat(refused.output, refused.exit, equalTo(ExitCode.TRANSIENT.code()));
      assertThat(refused.output, containsString("held by a run still in progress"));
    } finally {
      holder.descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Run ran = runWithEnv(command, lock);
    assertThat(ran.output, ran.exit, equalTo(0));
    assertThat(ran.output, containsString("on DirectRunner"));
    assertThat(
        fixture.s3.keys(RouteFixture.BUCKET, "cron/2026-11-20/"),
        org.hamcrest.Matchers.hasItem("cron/2026-11-20/_SUCCESS"));
  }

  private Run runWithEnv(List<String> command, Path lock) throws Exception {
    Path log = temp.resolve("wrapper.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("LAKEROUTE_JAR", jar());
    builder.environment().put("LAKEROUTE_LOCK", lock.toString());
    builder.environment().put("JAVA_OPTS", "-Xmx1g");
    builder.environment().put("PATH", Path.of(javaBin()).getParent() + ":" + System.getenv("PATH"));
    Process process = builder.start();
    assertThat("finished in time", process.waitFor(5, TimeUnit.MINUTES), equalTo(true));
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Waits until another process holds {@code lock}. */
  private static void awaitLocked(Path lock) throws Exception {
    for (int i = 0; i < 200; i++) {
      Process probe = new ProcessBuilder("flock", "-n", lock.toString(), "true").start();
      if (probe.waitFor() != 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(lock + " was never locked");
  }

  private static Path repo(String... parts) {
    return Path.of("..", parts).toAbsolutePath().normalize();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
