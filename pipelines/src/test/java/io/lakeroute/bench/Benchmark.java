package io.lakeroute.bench;

import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.demo.CustomerTable;
import io.lakeroute.pipelines.run.RouteResult;
import io.lakeroute.testing.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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

/**
 * Speed and memory of route 1's data path against the systems it competes with, on one PostgreSQL
 * 15 table of the 20-column customer shape. Each system runs in a JVM of its own with the same heap
 * limit, so that its peak resident memory (VmHWM) is its own:
 *
 * <ul>
 *   <li>{@code baseline}: a plain JDBC read of every column (autocommit off, fetch size 10 000);
 *   <li>{@code spark}: Spark's own {@code read.jdbc → write.parquet}, same partitions, local[2];
 *   <li>{@code direct}: lakeroute to local Parquet on the Direct runner;
 *   <li>{@code sparkrunner}: lakeroute to local Parquet on the Spark runner, local[2].
 * </ul>
 *
 * Run with {@code runners-config/benchmark.sh [rows] [partitions]}.
 */
public final class Benchmark {
  private static final String TABLE = "bench_customers";
  private static final String HEAP = "-Xmx1g";

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args);
      return;
    }
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000L;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    List<String> systems =
        args.length > 2
            ? List.of(args[2].split(","))
            : List.of("baseline", "spark", "direct", "sparkrunner");

    LocalPostgres postgres = LocalPostgres.shared();
    long loadStart = System.nanoTime();
    try (Connection connection = postgres.connect()) {
      connection.createStatement().execute("DROP TABLE IF EXISTS " + TABLE);
      CustomerTable.createWithCopy(connection, TABLE, rows);
      connection.createStatement().execute("VACUUM ANALYZE " + TABLE);
    }
    System.out.printf(
        Locale.ROOT,
        "Loaded %,d rows into PostgreSQL in %.1f s; %d partitions; heap %s per system%n",
        rows,
        (System.nanoTime() - loadStart) / 1e9,
        partitions,
        HEAP);

    Map<String, double[]> results = new LinkedHashMap<>();
    for (String system : systems) {
      results.put(system, runChild(system, postgres, rows, partitions));
    }
    double baseline = results.containsKey("baseline") ? results.get("baseline")[0] : Double.NaN;
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-12s %12s %10s %12s %8s %10s%n",
        "system",
        "rows",
        "seconds",
        "rows/s",
        "ratio",
        "peak RSS");
    for (Map.Entry<String, double[]> e : results.entrySet()) {
      double[] r = e.getValue();
      double rate = r[1] / r[0];
      System.out.printf(
          Locale.ROOT,
          "%-12s %,12.0f %10.1f %,12.0f %8.2f %7.2f GB%n",
          e.getKey(),
          r[1],
          r[0],
          rate,
          Double.isNaN(baseline) ? Double.NaN : rate / (results.get("baseline")[1] / baseline),
          r[2] / (1024.0 * 1024 * 1024));
    }
    postgres.close();
  }

  /** Seconds, rows and peak RSS bytes of one system, measured in a JVM of its own. */
  private static double[] runChild(String system, LocalPostgres postgres, long rows, int partitions)
      throws Exception {
    Path secret = Files.createTempFile("bench", ".secret");
    Files.writeString(secret, postgres.password());
    Path out = Files.createTempDirectory("bench-" + system);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    for (String flag : System.getProperty("lakeroute.jdk17.opens", "").split(" ")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Benchmark.class.getName());
    command.add("--child");
    command.add(system);
    command.add(postgres.jdbcUrl());
    command.add(postgres.user());
    command.add(secret.toString());
    command.add(String.valueOf(partitions));
    command.add(out.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    double[] result = null;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          String[] parts = line.split(" ");
          result =
              new double[] {
                Double.parseDouble(parts[1]),
                Double.parseDouble(parts[2]),
                Double.parseDouble(parts[3])
              };
        } else if (line.contains("Exception")
            || line.contains("Error")
            || line.startsWith("lakeroute")) {
          System.out.println("  [" + system + "] " + line);
        }
      }
    }
    int exit = process.waitFor();
    Files.deleteIfExists(secret);
    if (exit != 0 || result == null) {
      throw new IllegalStateException(system + " failed with exit code " + exit);
    }
    if (result[1] != rows) {
      throw new IllegalStateException(system + " delivered " + result[1] + " rows, not " + rows);
    }
    System.out.printf(Locale.ROOT, "  %-12s %.1f s%n", system, result[0]);
    return result;
  }

  private static void child(String[] args) throws Exception {
    String system = args[1];
    String url = args[2];
    String user = args[3];
    String password = Files.readString(Path.of(args[4]));
    int partitions = Integer.parseInt(args[5]);
    String out = args[6];
    long start = System.nanoTime();
    long rows;
    switch (system) {
      case "baseline":
        rows = plainJdbc(url, user, password);
        break;
      case "spark":
        rows = spark(url, user, password, partitions, out);
        break;
      case "direct":
      case "sparkrunner":
        rows = lakeroute(system, url, user, args[4], partitions, out);
        break;
      default:
        throw new IllegalArgumentException("unknown system " + system);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "RESULT %.3f %d %d%n", seconds, rows, peakRss());
    System.exit(0);
  }

  private static long plainJdbc(String url, String user, String password) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    try (Connection connection = new org.postgresql.Driver().connect(url, properties)) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + TABLE)) {
        statement.setFetchSize(10_000);
        long rows = 0;
        long sink = 0;
        try (ResultSet rs = statement.executeQuery()) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int c = 1; c <= columns; c++) {
              Object value = rs.getObject(c);
              sink += value == null ? 0 : 1;
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

  private static long spark(String url, String user, String password, int partitions, String out)
      throws Exception {
    org.apache.spark.sql.SparkSession spark =
        org.apache.spark.sql.SparkSession.builder()
            .master("local[2]")
            .appName("bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    long[] bounds;
    try (Connection connection = java.sql.DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT MIN(id), MAX(id) FROM " + TABLE)) {
      rs.next();
      bounds = new long[] {rs.getLong(1), rs.getLong(2)};
    }
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("fetchsize", "10000");
    properties.setProperty("driver", "org.postgresql.Driver");
    spark
        .read()
        .jdbc(url, TABLE, "id", bounds[0], bounds[1] + 1, partitions, properties)
        .write()
        .mode("overwrite")
        .parquet(out + "/spark");
    long rows = spark.read().parquet(out + "/spark").count();
    spark.stop();
    return rows;
  }

  private static long lakeroute(
      String system, String url, String user, String passwordFile, int partitions, String out) {
    List<String> args = new ArrayList<>();
    if (system.equals("sparkrunner")) {
      args.add("--runner=SparkRunner");
      args.add("--sparkMaster=local[2]");
    } else {
      args.add("--runner=DirectRunner");
      args.add("--targetParallelism=2");
    }
    args.add("--jdbcUrl=" + url);
    args.add("--jdbcUser=" + user);
    args.add("--jdbcPasswordFile=" + passwordFile);
    args.add("--query=SELECT * FROM " + TABLE);
    args.add("--partitionColumn=id");
    args.add("--partitions=" + partitions);
    args.add("--format=parquet");
    args.add("--destination=" + out);
    args.add("--runId=bench");
    RouteResult result = Lakeroute.run(Lakeroute.parse(args.toArray(new String[0])));
    return result.manifest().rowCount();
  }

  /** Peak resident set size of this process, from /proc. */
  private static long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
