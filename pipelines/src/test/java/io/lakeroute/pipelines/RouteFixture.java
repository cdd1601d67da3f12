package io.lakeroute.pipelines;

import io.lakeroute.pipelines.demo.CustomerTable;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.testing.LocalGcs;
import io.lakeroute.testing.LocalPostgres;
import io.lakeroute.testing.LocalS3;
import io.lakeroute.testing.TrickyRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The local cloud of route tests: a PostgreSQL 15 source, an S3Mock bucket and, on first use, a GCS
 * bucket, all servers on loopback started by the tests, and the arguments a user would give to
 * reach them.
 */
final class RouteFixture {
  static final String BUCKET = "lakeroute-it";
  static final String GCS_BUCKET = "lakeroute-gcs-it";
  static final String CUSTOMERS = "customers";
  static final long CUSTOMER_ROWS = 20_000;
  static final String TRICKY = "tricky";

  private static RouteFixture shared;

  final LocalPostgres postgres = LocalPostgres.shared();
  final LocalS3 s3 = LocalS3.shared();
  final Path passwordFile;
  private LocalGcs gcs;

  private RouteFixture() throws Exception {
    s3.createBucket(BUCKET);
    try (Connection connection = postgres.connect()) {
      connection.createStatement().execute("DROP TABLE IF EXISTS " + CUSTOMERS);
      CustomerTable.createWithCopy(connection, CUSTOMERS, CUSTOMER_ROWS);
    }
    passwordFile = Files.createTempFile("lakeroute-pg", ".secret");
    Files.writeString(passwordFile, postgres.password() + "\n", StandardCharsets.UTF_8);
    passwordFile.toFile().deleteOnExit();
  }

  private boolean trickyCreated;

  /** The tricky rows as a PostgreSQL table, created once. */
  synchronized void createTrickyTable() {
    if (!trickyCreated) {
      postgres.execute("DROP TABLE IF EXISTS " + TRICKY, TrickyRows.postgresDdl(TRICKY));
      postgres.execute(TrickyRows.postgresInserts(TRICKY).toArray(new String[0]));
      trickyCreated = true;
    }
  }

  /** The JDBC URL of database {@code name} on the source's server, created on first use. */
  String database(String name) throws Exception {
    try (Connection connection = postgres.connect();
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rs =
            statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
      if (!rs.next()) {
        statement.execute("CREATE DATABASE " + name);
      }
    }
    return postgres.jdbcUrl().replaceAll("/[^/]+$", "/" + name);
  }

  /** What the launcher printed and returned. */
  record Outcome(ExitCode code, String out, String err) {}

  /** Runs the launcher as main would, without exiting, and keeps what it printed. */
  static Outcome launch(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExitCode code =
        Lakeroute.launch(
            array(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs the launcher on a query that counts its executions, checks that it never ran and that
   * nothing printed holds the database password.
   */
  Outcome launchNothingRead(List<String> args) throws Exception {
    postgres.execute("DROP SEQUENCE IF EXISTS route_reads", "CREATE SEQUENCE route_reads");
    List<String> all = new ArrayList<>(args);
    all.add("--query=SELECT nextval('route_reads') AS n");
    Outcome outcome = launch(all);
    if ((outcome.out() + outcome.err()).contains(postgres.password())) {
      throw new AssertionError("the launcher printed the database password");
    }
    try (Connection connection = postgres.connect();
        java.sql.ResultSet called =
            connection.createStatement().executeQuery("SELECT is_called FROM route_reads")) {
      called.next();
      if (called.getBoolean(1)) {
        throw new AssertionError("the query ran: " + outcome.err());
      }
    }
    return outcome;
  }

  static synchronized RouteFixture get() throws Exception {
    if (shared == null) {
      shared = new RouteFixture();
    }
    return shared;
  }

  /** Source and S3 arguments, plus the runner's. */
  List<String> args(String runner, String... more) {
    List<String> args = sourceArgs(runner);
    args.addAll(Arrays.asList(s3.launcherArgs()));
    args.addAll(Arrays.asList(more));
    return args;
  }

  /**
   * The GCS server, started on first use, with bucket {@value #GCS_BUCKET} (anonymous requests
   * allowed) created.
   */
  synchronized LocalGcs gcs() {
    if (gcs == null) {
      gcs = LocalGcs.shared();
      gcs.createBucket(GCS_BUCKET);
    }
    return gcs;
  }

  /**
   * Source arguments and the flags that point Beam's GCS filesystem at the server, no credentials.
   */
  List<String> gcsArgs(String runner, String... more) {
    List<String> args = sourceArgs(runner);
    args.addAll(Arrays.asList(gcs().beamArgs()));
    args.add("--route=gcs");
    args.addAll(Arrays.asList(more));
    return args;
  }

  /** Runner and source arguments. */
  List<String> sourceArgs(String runner) {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    if (runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    args.add("--jdbcUrl=" + postgres.jdbcUrl());
    args.add("--jdbcUser=" + postgres.user());
    args.add("--jdbcPasswordFile=" + passwordFile);
    return args;
  }

  /**
   * Waits until the source runs a statement {@code LIKE likePattern}: how fault tests know that a
   * run is past its preflight, or streaming rows.
   */
  void awaitSourceQuery(String likePattern) throws Exception {
    awaitSourceQuery(likePattern, java.time.Duration.ofMinutes(2));
  }

  void awaitSourceQuery(String likePattern, java.time.Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection connection = postgres.connect();
          java.sql.PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ?"
                      + " AND pid <> pg_backend_pid()")) {
        statement.setString(1, likePattern);
        try (java.sql.ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the source never ran a statement like " + likePattern);
  }

  /** Runs {@code fault} on another thread, so that it can strike while a run is under way. */
  static java.util.concurrent.CompletableFuture<Void> inBackground(Fault fault) {
    return java.util.concurrent.CompletableFuture.runAsync(
        () -> {
          try {
            fault.strike();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Something a fault test does to the local cloud. */
  @FunctionalInterface
  interface Fault {
    void strike() throws Exception;
  }

  static String[] array(List<String> args) {
    return args.toArray(new String[0]);
  }

  static String slurp(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
