package io.lakeroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * JDK 17 flags, as a distribution's script does. Master and workers are {@link LocalServer}s that
 * bind 127.0.0.1, their web UIs too ({@code SPARK_LOCAL_IP}); submit with {@link
 * #submitEnvironment()} so that the driver does as well.
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
  private static final String LOOPBACK = "127.0.0.1";

  private final Path home;
  private final Path sparkHome;
  private final String opens;
  private final SparkDaemon master;
  private final List<SparkDaemon> workers = new ArrayList<>();

  private LocalSparkCluster(Path dist) throws IOException {
    home = Files.createTempDirectory("lakeroute-spark-");
    sparkHome = home.resolve("spark-home");
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
    master =
        new SparkDaemon(
            "Spark master", "org.apache.spark.deploy.master.Master", "I have been elected leader");
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
      cluster.master.start();
      for (int i = 0; i < workerCount; i++) {
        SparkDaemon worker =
            cluster
            .new SparkDaemon(
                "Spark worker " + i,
                "org.apache.spark.deploy.worker.Worker",
                "Successfully registered with master");
        cluster.workers.add(worker);
        worker.start();
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    LOG.info(
        "Spark master {} and {} workers started in {} ms ({})",
        cluster.masterUrl(),
        workerCount,
        (System.nanoTime() - started) / 1_000_000,
        cluster.home);
    return cluster;
  }

  /** {@code spark://127.0.0.1:port}. */
  public String masterUrl() {
    return "spark://" + LOOPBACK + ":" + master.port();
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
    return workers
        .get(worker)
        .processHandle()
        .map(p -> Stream.concat(Stream.of(p), p.descendants()).toList())
        .orElse(List.of());
  }

  /** True while the worker runs an executor (a child JVM). */
  public boolean hasExecutor(int worker) {
    return workers
        .get(worker)
        .processHandle()
        .map(p -> p.descendants().anyMatch(ProcessHandle::isAlive))
        .orElse(false);
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
    master.processHandle().ifPresent(all::add);
    for (int i = 0; i < workers.size(); i++) {
      all.addAll(workerProcesses(i));
    }
    return all;
  }

  /** The master's and workers' logs and the executors' stderr, for a failing test's message. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (SparkDaemon daemon : daemons()) {
      out.append("--- ").append(daemon.logFile()).append(" ---\n").append(daemon.log());
    }
    for (SparkDaemon worker : workers) {
      try (Stream<Path> files = Files.walk(worker.workDir())) {
        for (Path stderr : files.filter(f -> f.endsWith("stderr")).sorted().toList()) {
          out.append("--- ").append(stderr).append(" ---\n").append(Files.readString(stderr));
        }
      } catch (IOException | UncheckedIOException e) {
        out.append("(cannot read ").append(worker.workDir()).append(": ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  /** Stops workers, then the master, and deletes the Spark home and the logs. */
  @Override
  public synchronized void close() {
    List<SparkDaemon> all = daemons();
    java.util.Collections.reverse(all);
    all.forEach(SparkDaemon::close);
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot delete {}: {}", home, e.toString());
    }
  }

  private List<SparkDaemon> daemons() {
    List<SparkDaemon> all = new ArrayList<>();
    all.add(master);
    all.addAll(workers);
    return all;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A Spark daemon, master or worker, from the Spark home's jars: its port and web UI port on
   * loopback. Its web UI binds {@code SPARK_LOCAL_IP}, and a worker needs {@code
   * SPARK_SCALA_VERSION} to build executors' classpaths from a Spark home without a RELEASE file.
   */
  private final class SparkDaemon extends LocalServer {
    private final String mainClass;
    private final String readyLine;

    SparkDaemon(String name, String mainClass, String readyLine) {
      super(name, Duration.ofSeconds(120), Duration.ofSeconds(10), 0, 0);
      this.mainClass = mainClass;
      this.readyLine = readyLine;
    }

    Path workDir() {
      return dir().resolve("work");
    }

    @Override
    protected List<String> command() {
      List<String> cmd = new ArrayList<>();
      cmd.add(javaBin());
      cmd.addAll(List.of(opens.split(" ")));
      cmd.addAll(List.of("-Xmx256m", "-cp", sparkHome.resolve("jars") + "/*", mainClass));
      cmd.addAll(
          List.of(
              "--host",
              LOOPBACK,
              "--port",
              String.valueOf(port(0)),
              "--webui-port",
              String.valueOf(port(1))));
      if (this != master) {
        cmd.addAll(
            List.of(
                "--cores", "1", "--memory", "1g", "--work-dir", workDir().toString(), masterUrl()));
      }
      return cmd;
    }

    @Override
    protected boolean ready() {
      return logSinceLaunch().contains(readyLine);
    }

    @Override
    protected void environment(Map<String, String> env) {
      env.keySet().removeIf(k -> k.startsWith("SPARK_"));
      env.put("SPARK_HOME", sparkHome.toString());
      env.put("SPARK_LOCAL_IP", LOOPBACK);
      env.put("SPARK_SCALA_VERSION", "2.12");
    }
  }
}
