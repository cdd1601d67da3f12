package io.lakeroute.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.pipelines.demo.CustomerTable;
import io.lakeroute.testing.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * Speed and memory of lakeroute as users run it, against Spark's own JDBC export, on one PostgreSQL
 * 15 table of the 20-column customer shape ({@code runners-config/benchmark.sh}).
 *
 * <p>Every system is a process of its own, timed from start to exit, with the same heap:
 *
 * <ul>
 *   <li>{@code jdbc}: a plain JDBC read of every column (autocommit off, fetch size 10 000), the
 *       baseline every rate is divided by;
 *   <li>{@code pgcopy}: PostgreSQL's own {@code COPY (SELECT *) TO STDOUT (FORMAT csv)} into a
 *       file, the ceiling of a CSV export from this source;
 *   <li>{@code spark}: Spark 3.5's {@code read.jdbc(partitionColumn=id) → write.<format>},
 *       local[2];
 *   <li>{@code direct}: {@code java -jar lakeroute.jar @runners-config/direct.args …};
 *   <li>{@code direct-counts}: the same with {@code --fingerprints=false}, which checks counts and
 *       SHA-256 only: what fingerprints cost;
 *   <li>{@code sparkrunner}: {@code runners-config/spark-submit.sh --driver-memory <heap> -- …}.
 * </ul>
 *
 * Rounds are interleaved (each round runs every system once), so a slow minute of a noisy machine
 * falls on all of them. Per run it records wall time, the JVM's CPU (user + system, {@code
 * /usr/bin/time}), the CPU of the PostgreSQL server's processes, and peak resident memory (the
 * largest VmHWM among the process and its children). It prints a table, and writes {@code
 * results.csv}, {@code results.md} and {@code benchmark.png} to the output directory.
 */
public final class Benchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      Children.run(args);
      return;
    }
    if (args.length > 0 && args[0].equals("--fingerprintCost")) {
      FingerprintCost.run();
      return;
    }
    Settings settings = Settings.parse(args);
    if (settings.reportOnly) {
      // The table and the plot again, from the runs an earlier invocation recorded.
      Report.write(settings, Report.read(settings.out.resolve("results.csv")));
      return;
    }
    Files.createDirectories(settings.out);
    LocalPostgres postgres = LocalPostgres.shared();
    Path secret = settings.out.resolve("source.secret");
    Files.writeString(secret, postgres.password());
    List<Run> results = new ArrayList<>();
    try {
      for (long rows : settings.rows) {
        String table = load(postgres, rows);
        for (int round = 1; round <= settings.rounds; round++) {
          for (String system : settings.systems) {
            for (String format : formatsOf(system, settings.formats)) {
              Run run = run(settings, postgres, secret, table, rows, round, system, format);
              results.add(run);
              System.out.println(run.line());
            }
          }
        }
      }
    } finally {
      Report.write(settings, results);
      postgres.close();
    }
  }

  /** The baselines read the table once whatever the format; the others run once per format. */
  private static List<String> formatsOf(String system, List<String> formats) {
    return system.equals("jdbc") || system.equals("pgcopy") ? List.of("-") : formats;
  }

  private static String load(LocalPostgres postgres, long rows) throws Exception {
    String table = "bench_customers_" + rows;
    try (Connection connection = postgres.connect()) {
      long start = System.nanoTime();
      connection.createStatement().execute("DROP TABLE IF EXISTS " + table);
      CustomerTable.createWithCopy(connection, table, rows);
      connection.createStatement().execute("VACUUM ANALYZE " + table);
      System.out.printf(
          Locale.ROOT,
          "Loaded %,d rows into PostgreSQL table %s in %.1f s%n",
          rows,
          table,
          (System.nanoTime() - start) / 1e9);
    }
    return table;
  }

  private static Run run(
      Settings settings,
      LocalPostgres postgres,
      Path secret,
      String table,
      long rows,
      int round,
      String system,
      String format)
      throws Exception {
    Path dir = settings.out.resolve("runs").resolve(system + "-" + format);
    deleteTree(dir);
    Files.createDirectories(dir);
    Path summary = dir.resolve("summary.json");
    Path timing = settings.out.resolve("time.txt");
    Path log =
        settings
            .out
            .resolve("logs")
            .resolve(rows + "-" + round + "-" + system + "-" + format + ".log");
    Files.createDirectories(log.getParent());
    List<String> command =
        new ArrayList<>(List.of("/usr/bin/time", "-o", timing.toString(), "-f", "%e %U %S %M"));
    String heap = "-Xmx" + settings.heap;
    List<String> lakeroute =
        List.of(
            "--jdbcUrl=" + postgres.jdbcUrl(),
            "--jdbcUser=" + postgres.user(),
            "--jdbcPasswordFile=" + secret,
            "--query=SELECT * FROM " + table,
            "--partitionColumn=id",
            "--format=" + format,
            "--destination=" + dir.resolve("out").toUri(),
            "--runId=bench",
            "--summaryPath=" + summary);
    List<String> extra = settings.lakerouteArgs;
    switch (system) {
      case "direct":
      case "direct-counts":
        command.addAll(List.of("java", heap));
        if (settings.profile) {
          command.add(
              "-XX:StartFlightRecording=filename="
                  + dir.resolve("profile.jfr")
                  + ",settings=profile");
        }
        command.addAll(List.of("-jar", settings.jar.toString(), "@runners-config/direct.args"));
        command.addAll(lakeroute);
        if (system.equals("direct-counts")) {
          command.add("--fingerprints=false");
        }
        command.addAll(extra);
        break;
      case "sparkrunner":
        command.addAll(
            List.of("runners-config/spark-submit.sh", "--driver-memory", settings.heap, "--"));
        command.addAll(lakeroute);
        command.addAll(extra);
        break;
      case "jdbc":
      case "pgcopy":
      case "spark":
        command.addAll(List.of("java", heap));
        command.addAll(List.of(System.getProperty("lakeroute.jdk17.opens", "").split(" ")));
        command.removeIf(String::isBlank);
        command.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Benchmark.class.getName(),
                "--child",
                system,
                format,
                postgres.jdbcUrl(),
                postgres.user(),
                secret.toString(),
                table,
                String.valueOf(settings.sparkPartitions),
                dir.resolve("out").toString()));
        break;
      default:
        throw new IllegalArgumentException("unknown system " + system);
    }
    long cpuBefore = PostgresCpu.ticks(postgres.port());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    long postgresTicks = PostgresCpu.ticks(postgres.port()) - cpuBefore;
    if (exit != 0) {
      throw new IllegalStateException(
          system + " " + format + " failed with exit code " + exit + ": see " + log);
    }
    String[] t = Files.readString(timing).trim().split("\\s+");
    long delivered = delivered(system, summary, log);
    if (delivered != rows) {
      throw new IllegalStateException(
          system
              + " "
              + format
              + " delivered "
              + delivered
              + " rows, not "
              + rows
              + ": see "
              + log);
    }
    return new Run(
        rows,
        round,
        system,
        format,
        Double.parseDouble(t[0]),
        Double.parseDouble(t[1]) + Double.parseDouble(t[2]),
        postgresTicks / (double) PostgresCpu.TICKS_PER_SECOND,
        Long.parseLong(t[3]) * 1024);
  }

  /** The rows the system says it delivered: lakeroute's run summary, the children's last line. */
  private static long delivered(String system, Path summary, Path log) throws IOException {
    if (system.startsWith("direct") || system.equals("sparkrunner")) {
      JsonNode run = JSON.readTree(summary.toFile()).path("runs").path(0);
      return run.path("counts").path("files").asLong(-1);
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("ROWS ")) {
        return Long.parseLong(lines.get(i).substring(5).trim());
      }
    }
    return -1;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One system's run. */
  record Run(
      long rows,
      int round,
      String system,
      String format,
      double seconds,
      double jvmCpu,
      double postgresCpu,
      long peakRss) {
    double rowsPerSecond() {
      return rows / seconds;
    }

    String label() {
      return format.equals("-") ? system : system + " " + format;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "  %,d rows, round %d, %-18s %7.1f s %,10.0f rows/s  cpu: jvm %6.1f s, postgres %5.1f s"
              + "  peak RSS %.2f GB",
          rows,
          round,
          label(),
          seconds,
          rowsPerSecond(),
          jvmCpu,
          postgresCpu,
          peakRss / (1024.0 * 1024 * 1024));
    }
  }

  /** What to run, from {@code --name=value} arguments. */
  static final class Settings {
    List<Long> rows = List.of(4_000_000L);
    List<String> formats = List.of("parquet", "csv", "json", "avro");
    List<String> systems = List.of("jdbc", "pgcopy", "spark", "direct", "sparkrunner");
    int rounds = 2;
    String heap = "1g";
    int sparkPartitions = Runtime.getRuntime().availableProcessors();
    Path out = Path.of("target", "benchmark");
    Path jar = Path.of("pipelines", "target", "lakeroute.jar");
    boolean profile;
    boolean reportOnly;
    List<String> lakerouteArgs = List.of();

    static Settings parse(String[] args) {
      Settings s = new Settings();
      for (String arg : args) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? "" : arg.substring(eq + 1);
        switch (name) {
          case "--rows":
            s.rows = Stream.of(value.split(",")).map(Long::parseLong).toList();
            break;
          case "--formats":
            s.formats = List.of(value.split(","));
            break;
          case "--systems":
            s.systems = List.of(value.split(","));
            break;
          case "--rounds":
            s.rounds = Integer.parseInt(value);
            break;
          case "--heap":
            s.heap = value;
            break;
          case "--sparkPartitions":
            s.sparkPartitions = Integer.parseInt(value);
            break;
          case "--out":
            s.out = Path.of(value);
            break;
          case "--profile":
            s.profile = true;
            break;
          case "--reportOnly":
            s.reportOnly = true;
            break;
          case "--lakeroute":
            s.lakerouteArgs = List.of(value.split(" "));
            break;
          default:
            throw new IllegalArgumentException(
                "Unknown argument "
                    + arg
                    + "; use --rows=4000000,10000000 --formats=parquet,csv,json,avro"
                    + " --systems=jdbc,pgcopy,spark,direct,direct-counts,sparkrunner --rounds=2"
                    + " --heap=1g"
                    + " --sparkPartitions=N --out=DIR --profile --lakeroute='--flag=value …'"
                    + " --reportOnly");
        }
      }
      return s;
    }

    Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("rows", rows.toString());
      d.put("formats", String.join(",", formats));
      d.put("systems", String.join(",", systems));
      d.put("rounds", String.valueOf(rounds));
      d.put("heap", heap);
      d.put("Spark partitions", String.valueOf(sparkPartitions));
      d.put("lakeroute flags", String.join(" ", lakerouteArgs));
      return d;
    }
  }

  /**
   * The CPU time of the benchmark's PostgreSQL server: its postmaster (found by its port), with the
   * backends it has reaped, and its live processes.
   */
  static final class PostgresCpu {
    static final long TICKS_PER_SECOND = 100;

    private PostgresCpu() {}

    static long ticks(int port) throws IOException {
      Map<Long, String[]> stats = new LinkedHashMap<>();
      long postmaster = -1;
      String portArgument = "\0-p\0" + port + "\0";
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path proc : procs.toList()) {
          String name = proc.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(proc.resolve("stat"));
            // After "pid (comm) ": state, ppid, …; utime, stime, cutime, cstime are 11-14.
            stats.put(Long.parseLong(name), stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            String command = Files.readString(proc.resolve("cmdline"));
            if (command.contains("postgres") && (command + "\0").contains(portArgument)) {
              postmaster = Long.parseLong(name);
            }
          } catch (IOException gone) {
            // the process ended while listed
          }
        }
      }
      long total = 0;
      for (Map.Entry<Long, String[]> e : stats.entrySet()) {
        String[] f = e.getValue();
        if (e.getKey() == postmaster) {
          total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          total += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } else if (Long.parseLong(f[1]) == postmaster) {
          total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
      return total;
    }
  }

  /** The systems that are not lakeroute, each run as {@code Benchmark --child <system> …}. */
  static final class Children {
    private Children() {}

    static void run(String[] args) throws Exception {
      String system = args[1];
      String format = args[2];
      String url = args[3];
      Properties properties = new Properties();
      properties.setProperty("user", args[4]);
      properties.setProperty("password", Files.readString(Path.of(args[5])));
      String table = args[6];
      int partitions = Integer.parseInt(args[7]);
      Path out = Path.of(args[8]);
      long rows;
      switch (system) {
        case "jdbc":
          rows = plainJdbc(url, properties, table);
          break;
        case "pgcopy":
          rows = pgCopy(url, properties, table, out);
          break;
        case "spark":
          rows = spark(url, properties, table, partitions, format, out);
          break;
        default:
          throw new IllegalArgumentException("unknown system " + system);
      }
      System.out.println("ROWS " + rows);
      System.exit(0);
    }

    private static long plainJdbc(String url, Properties properties, String table)
        throws Exception {
      try (Connection connection = new org.postgresql.Driver().connect(url, properties)) {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + table)) {
          statement.setFetchSize(10_000);
          long rows = 0;
          long sink = 0;
          try (ResultSet rs = statement.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int c = 1; c <= columns; c++) {
                sink += rs.getObject(c) == null ? 0 : 1;
              }
              rows++;
            }
          }
          if (sink < 0) {
            throw new IllegalStateException();
          }
          return rows;
        }
      }
    }

    private static long pgCopy(String url, Properties properties, String table, Path out)
        throws Exception {
      Files.createDirectories(out);
      try (Connection connection = new org.postgresql.Driver().connect(url, properties);
          var file = Files.newOutputStream(out.resolve("copy.csv"))) {
        return connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyOut("COPY (SELECT * FROM " + table + ") TO STDOUT (FORMAT csv, HEADER)", file);
      }
    }

    private static long spark(
        String url, Properties properties, String table, int partitions, String format, Path out)
        throws Exception {
      org.apache.spark.sql.SparkSession spark =
          org.apache.spark.sql.SparkSession.builder()
              .master("local[2]")
              .appName("bench")
              .config("spark.ui.enabled", "false")
              .getOrCreate();
      long[] bounds;
      try (Connection connection = new org.postgresql.Driver().connect(url, properties);
          Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT MIN(id), MAX(id) FROM " + table)) {
        rs.next();
        bounds = new long[] {rs.getLong(1), rs.getLong(2)};
      }
      properties.setProperty("fetchsize", "10000");
      properties.setProperty("driver", "org.postgresql.Driver");
      // Spark's own count of the records its writers wrote: no extra pass, no extra stage.
      java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
      spark
          .sparkContext()
          .addSparkListener(
              new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                  if (end.taskMetrics() != null) {
                    rows.addAndGet(end.taskMetrics().outputMetrics().recordsWritten());
                  }
                }
              });
      spark
          .read()
          .jdbc(url, table, "id", bounds[0], bounds[1] + 1, partitions, properties)
          .write()
          .mode("overwrite")
          .option("header", "true")
          .format(format)
          .save(out.toString());
      spark.stop();
      return rows.get();
    }
  }
}
