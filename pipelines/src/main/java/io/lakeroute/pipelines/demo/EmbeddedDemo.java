package io.lakeroute.pipelines.demo;

import io.lakeroute.formats.FileFormat;
import io.lakeroute.pipelines.options.RouteOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: with no --jdbcUrl, an in-memory H2 database seeded with {@value #ROWS} customers is the
 * source, and every format is written under ./lakeroute-demo unless the user chose otherwise.
 */
public final class EmbeddedDemo {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDemo.class);
  public static final long ROWS = 100_000;
  static final String URL = "jdbc:h2:mem:lakeroute_demo;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";

  // Holds the in-memory database open for the life of the JVM.
  private static Connection keepAlive;

  private EmbeddedDemo() {}

  /**
   * Seeds the database once and returns the arguments of one run per format: the user's own
   * arguments, with the embedded source and, where the user gave none, the demo query, partitioning
   * and destination.
   */
  public static synchronized List<String[]> prepare(String[] args, RouteOptions options) {
    // An unknown format fails before the database is seeded.
    List<FileFormat> formats =
        options.getFormat() == null
            ? List.of(FileFormat.values())
            : List.of(FileFormat.of(options.getFormat()));
    seed();
    String destination =
        options.getDestination() == null ? "lakeroute-demo" : options.getDestination();
    List<String[]> runs = new ArrayList<>();
    for (FileFormat format : formats) {
      List<String> run = new ArrayList<>();
      for (String arg : args) {
        if (!arg.startsWith("--format=") && !arg.startsWith("--destination=")) {
          run.add(arg);
        }
      }
      run.add("--jdbcUrl=" + URL);
      run.add("--jdbcUser=sa");
      if (options.getQuery() == null && options.getQueryFile() == null) {
        run.add("--query=SELECT * FROM customers");
        if (options.getPartitionColumn() == null) {
          run.add("--partitionColumn=id");
          run.add("--partitions=2");
        }
      }
      run.add("--format=" + format.id());
      run.add(
          "--destination=" + (formats.size() > 1 ? destination + "/" + format.id() : destination));
      runs.add(run.toArray(new String[0]));
    }
    return runs;
  }

  private static void seed() {
    if (keepAlive != null) {
      return;
    }
    try {
      keepAlive = DriverManager.getConnection(URL, "sa", "");
      LOG.info("Seeding the embedded demo database with {} customers", ROWS);
      CustomerTable.create(keepAlive, "customers", ROWS);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not seed the embedded demo database: " + e, e);
    }
  }
}
