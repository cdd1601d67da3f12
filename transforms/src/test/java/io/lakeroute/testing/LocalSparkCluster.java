package io.lakeroute.testing;

import static io.lakeroute.testing.LocalProcesses.LOOPBACK;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and workers of one core each, every one a JVM
 * of its own, and each executor a JVM that its worker starts. For tests that must see what one
 * Spark process hides: classpath conflicts with the distribution's jars, serialization, and files
 * written on the executors' machines.
 *
 * <p>{@link #sparkHome()} is a temp folder shaped like a Spark distribution: {@code jars/} links to
 * the jar set that runners-config/spark-dist resolves (its target folder is system property {@value
 * #DIST_PROPERTY}), and {@code bin/spark-submit} runs Spark's SparkSubmit from those jars with the
 * JDK 17 flags, as a distribution's script does. Master and workers bind 127.0.0.1, their web UIs
 * too ({@code SPARK_LOCAL_IP}); submit with {@link #submitEnvironment()} so that the driver does as
 * well.
 *
 * <pre>{@code
 * try (LocalSparkCluster cluster = LocalSparkCluster.start(2)) {
 *   // SPARK_MASTER=cluster.masterUrl() runners-config/spark-submit.sh …
 * }
 * }</pre>
 */
public final class LocalSparkCluster implements AutoCloseable {
  public static final String DIST_PROPERTY = "lakeroute.spark.dist";

  private static final Logger LOG = LoggerFactory.getLogger(LocalSparkCluster.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Pattern MASTER_URL =
      Pattern.compile("Starting Spark master at (spark://\\S+)");

  /** Forks every JVM from one long-lived thread: the parent-death signal follows that thread. */
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lakeroute-local-spark-launcher");
            t.setDaemon(true);
            return t;
          });

  private final Path baseDir;
  private final Path sparkHome;
  private final String opens;
  private final List<Process> workers = new ArrayList<>();
  private final Thread exitHook;
  private Process master;
  private String masterUrl;

  private LocalSparkCluster(Path dist) throws IOException {
    baseDir = Files.createTempDirectory("lakeroute-spark-");
    sparkHome = baseDir.resolve("spark-home");
    opens = Files.readString(dist.resolve("jvm-opens.txt")).strip();
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (String jar : Files.readString(dist.resolve("spark.classpath")).strip().split(":")) {
      Path target = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(target.getFileName()), target);
    }
    Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
    Files.writeString(
        submit,
        "#!/usr/bin/env bash\nexec \""
            + javaBin()
            + "\" "
            + opens
            + " -cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    exitHook = LocalProcesses.onExit("LocalSparkCluster", this::close);
  }

  /** Starts a master and {@code workerCount} single-core workers; returns once all registered. */
  public static LocalSparkCluster start(int workerCount) {
    String dist = System.getProperty(DIST_PROPERTY);
    if (dist == null || !Files.isRegularFile(Path.of(dist, "spark.classpath"))) {
      throw new IllegalStateException(
          "Spark's jar set not found (system property "
              + DIST_PROPERTY
              + " = "
              + dist
              + "); run `mvn -pl runners-config/spark-dist package`");
    }
    long started = System.nanoTime();
    LocalSparkCluster cluster;
    try {
      cluster = new LocalSparkCluster(Path.of(dist));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a Spark home", e);
    }
    try {
      cluster.startMaster();
      for (int i = 0; i < workerCount; i++) {
        cluster.startWorker(i);
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    LOG.info(
        "Spark master {} and {} workers started in {} ms ({})",
        cluster.masterUrl,
        workerCount,
        (System.nanoTime() - started) / 1_000_000,
        cluster.baseDir);
    return cluster;
  }

  /** {@code spark://127.0.0.1:port}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** A folder shaped like a Spark distribution: {@code jars/} and {@code bin/spark-submit}. */
  public Path sparkHome() {
    return sparkHome;
  }

  /** Environment for spark-submit: this Spark, and a driver that binds 127.0.0.1. */
  public Map<String, String> submitEnvironment() {
    return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", LOOPBACK);
  }

  /** The worker's JVM and the executor JVMs it started. */
  public List<ProcessHandle> workerProcesses(int worker) {
    Process process = workers.get(worker);
    return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
  }

  /** True while the worker runs an executor (a child JVM). */
  public boolean hasExecutor(int worker) {
    return workers.get(worker).descendants().anyMatch(ProcessHandle::isAlive);
  }

  /** Kills the worker and its executors with SIGKILL, as a machine lost would. */
  public void killWorker(int worker) {
    List<ProcessHandle> processes = workerProcesses(worker);
    processes.forEach(ProcessHandle::destroyForcibly);
    processes.forEach(p -> p.onExit().join());
    LOG.info("killed worker {} and its executors: {}", worker, processes);
  }

  /** Every process of the cluster, master first: for checks on what they listen on. */
  public List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(master.toHandle());
    for (int i = 0; i < workers.size(); i++) {
      all.addAll(workerProcesses(i));
    }
    return all;
  }

  /** The tails of the master, worker and executor logs, for a failing test's message. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(baseDir)) {
      files
          .filter(f -> f.toString().endsWith(".log") || f.getFileName().toString().equals("stderr"))
          .sorted()
          .forEach(
              f ->
                  out.append("--- tail of ")
                      .append(f)
                      .append(" ---\n")
                      .append(LocalProcesses.tail(f, 30))
                      .append('\n'));
    } catch (IOException | UncheckedIOException e) {
      out.append("(cannot list ").append(baseDir).append(": ").append(e).append(")\n");
    }
    return out.toString();
  }

  /** Stops workers, then the master, and deletes the Spark home and the logs. */
  @Override
  public synchronized void close() {
    workers.forEach(w -> LocalProcesses.terminate(w, STOP_GRACE));
    LocalProcesses.terminate(master, STOP_GRACE);
    LocalProcesses.removeExitHook(exitHook);
    LocalProcesses.deleteRecursively(baseDir);
  }

  private void startMaster() {
    Path log = baseDir.resolve("master.log");
    master =
        launch(
            log,
            "org.apache.spark.deploy.master.Master",
            "--host",
            LOOPBACK,
            "--port",
            String.valueOf(LocalProcesses.freePort()),
            "--webui-port",
            String.valueOf(LocalProcesses.freePort()));
    await(master, log, "I have been elected leader");
    Matcher url = MASTER_URL.matcher(readLog(log));
    if (!url.find()) {
      throw failure("the master did not say its URL", log);
    }
    masterUrl = url.group(1);
  }

  private void startWorker(int index) {
    Path log = baseDir.resolve("worker-" + index + ".log");
    Process worker =
        launch(
            log,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            LOOPBACK,
            "--port",
            String.valueOf(LocalProcesses.freePort()),
            "--webui-port",
            String.valueOf(LocalProcesses.freePort()),
            "--cores",
            "1",
            "--memory",
            "1g",
            "--work-dir",
            baseDir.resolve("worker-" + index).toString(),
            masterUrl);
    workers.add(worker);
    await(worker, log, "Successfully registered with master");
  }

  /**
   * Starts a Spark daemon; Spark moves to the next port itself when one is taken. Its web UI binds
   * {@code SPARK_LOCAL_IP}, and the worker needs {@code SPARK_SCALA_VERSION} to build executors'
   * classpaths from a Spark home that has no RELEASE file.
   */
  private Process launch(Path log, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (Files.isExecutable(setpriv)) {
      // Dies with this JVM even when a kill -9 skips the shutdown hook.
      cmd.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--"));
    }
    cmd.add(javaBin());
    cmd.addAll(List.of(opens.split(" ")));
    cmd.addAll(List.of("-Xmx256m", "-cp", sparkHome.resolve("jars") + "/*", mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(baseDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("SPARK_"));
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_LOCAL_IP", LOOPBACK);
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    try {
      Process started = LAUNCHER.submit(builder::start).get();
      started.getOutputStream().close();
      return started;
    } catch (ExecutionException | IOException e) {
      throw new IllegalStateException("cannot start " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + mainClass, e);
    }
  }

  private void await(Process process, Path log, String text) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (!LocalProcesses.logContains(log, text)) {
      if (!process.isAlive()) {
        throw failure("exited with " + process.exitValue() + " before \"" + text + "\"", log);
      }
      if (System.nanoTime() > deadline) {
        throw failure("no \"" + text + "\" within " + STARTUP_TIMEOUT.toSeconds() + " s", log);
      }
      LocalProcesses.sleep(Duration.ofMillis(200));
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private IllegalStateException failure(String message, Path log) {
    return new IllegalStateException(
        "Spark "
            + log.getFileName()
            + ": "
            + message
            + "\n--- tail of "
            + log
            + " ---\n"
            + LocalProcesses.tail(log, 40));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
