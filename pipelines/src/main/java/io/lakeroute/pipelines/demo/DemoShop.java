package io.lakeroute.pipelines.demo;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The demo as a daily job (runners-config/demo-job.yaml): a shop's customers and orders in an
 * embedded H2 database kept under {@value #DIRECTORY}, which lives through one more business day
 * each time a job without a source runs. The first run creates it (business day {@link
 * #FIRST_DAY}); every later one adds customers and orders and changes earlier ones, all stamped
 * within the new day. The business day is the run's logical date, so a second run delivers only the
 * new and changed rows and says from which mark.
 */
public final class DemoShop {
  public static final String DIRECTORY = "lakeroute-demo/source";
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  static final long SEED_CUSTOMERS = 20_000;
  static final long SEED_ORDERS = 60_000;
  static final int NEW_CUSTOMERS = 150;
  static final int CHANGED_CUSTOMERS = 80;
  static final int NEW_ORDERS = 1_200;
  static final int CHANGED_ORDERS = 300;
  private static final String[] STATUS = {"placed", "paid", "shipped", "delivered", "returned"};
  private static final String[] CURRENCY = {"EUR", "USD", "BRL", "JPY", "PLN"};

  private DemoShop() {}

  /** The shop on its business day: how to reach it, and what changed that day. */
  public record Day(String jdbcUrl, LocalDate date, String news) {}

  /**
   * Opens the shop under {@code directory}, creating it on first use; with {@code advance}, lives
   * one more business day first (a dry run does not).
   */
  public static Day open(Path directory, boolean advance) {
    Path absolute = directory.toAbsolutePath().normalize();
    boolean exists = Files.exists(absolute.resolve("shop.mv.db"));
    String url = "jdbc:h2:file:" + absolute.resolve("shop") + ";DATABASE_TO_LOWER=TRUE";
    try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
      if (!exists) {
        create(connection);
        return new Day(
            url,
            FIRST_DAY,
            String.format(
                Locale.ROOT,
                "Demo shop created under %s: %,d customers and %,d orders, business day %s",
                directory,
                SEED_CUSTOMERS,
                SEED_ORDERS,
                FIRST_DAY));
      }
      LocalDate today = day(connection);
      if (!advance) {
        return new Day(url, today, "Demo shop under " + directory + ", business day " + today);
      }
      LocalDate next = today.plusDays(1);
      liveThrough(connection, next);
      return new Day(
          url,
          next,
          String.format(
              Locale.ROOT,
              "Demo shop under %s lived through business day %s: %d new and %d changed customers,"
                  + " %,d new and %d changed orders",
              directory,
              next,
              NEW_CUSTOMERS,
              CHANGED_CUSTOMERS,
              NEW_ORDERS,
              CHANGED_ORDERS));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "The demo shop under "
              + directory
              + " cannot be opened: "
              + e.getMessage()
              + ". Delete the folder to start it over.",
          e);
    }
  }

  private static void create(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    CustomerTable.create(connection, "customers", SEED_CUSTOMERS);
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
              + " placed_at TIMESTAMP WITH TIME ZONE NOT NULL, amount NUMERIC(12,2) NOT NULL,"
              + " currency CHAR(3) NOT NULL, status VARCHAR(20) NOT NULL, note VARCHAR(200),"
              + " updated_at TIMESTAMP(6) NOT NULL)");
      statement.execute("CREATE TABLE demo_clock (business_day DATE NOT NULL)");
      statement.execute("INSERT INTO demo_clock VALUES (DATE '" + FIRST_DAY + "')");
    }
    LocalDateTime start = FIRST_DAY.minusDays(365).atStartOfDay();
    try (PreparedStatement insert = connection.prepareStatement(insertOrder())) {
      for (long i = 1; i <= SEED_ORDERS; i++) {
        // Spread over the year before the first day, in order of id.
        LocalDateTime at = start.plusSeconds(i * (365L * 86_400 / SEED_ORDERS));
        bindOrder(insert, i, at, SEED_CUSTOMERS);
        insert.addBatch();
        if (i % 5_000 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
    connection.commit();
  }

  /** One business day: new and changed rows, every one stamped within {@code day}. */
  private static void liveThrough(Connection connection, LocalDate day) throws SQLException {
    connection.setAutoCommit(false);
    long customers = max(connection, "customers");
    long orders = max(connection, "orders");
    long seed = day.toEpochDay();
    LocalDateTime morning = day.atTime(8, 0);
    StringBuilder sql = new StringBuilder("INSERT INTO customers VALUES (?");
    sql.append(", ?".repeat(CustomerTable.COLUMNS - 1)).append(')');
    try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      for (int n = 1; n <= NEW_CUSTOMERS; n++) {
        Object[] values = CustomerTable.row(customers + n);
        values[CustomerTable.COLUMNS - 1] = morning.plusSeconds(n * 97L).plusNanos(n * 1_000L);
        for (int c = 0; c < CustomerTable.COLUMNS; c++) {
          insert.setObject(c + 1, values[c]);
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement change =
        connection.prepareStatement(
            "UPDATE customers SET loyalty_points = loyalty_points + 10, updated_at = ?"
                + " WHERE id = ?")) {
      for (int n = 1; n <= CHANGED_CUSTOMERS; n++) {
        change.setObject(1, morning.plusHours(2).plusSeconds(n * 61L));
        change.setLong(2, 1 + Math.floorMod(seed * 7919 + n * 104_729L, customers));
        change.addBatch();
      }
      change.executeBatch();
    }
    try (PreparedStatement insert = connection.prepareStatement(insertOrder())) {
      for (int n = 1; n <= NEW_ORDERS; n++) {
        bindOrder(insert, orders + n, morning.plusSeconds(n * 41L), customers + NEW_CUSTOMERS);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement change =
        connection.prepareStatement("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?")) {
      for (int n = 1; n <= CHANGED_ORDERS; n++) {
        change.setString(1, STATUS[1 + n % (STATUS.length - 1)]);
        change.setObject(2, morning.plusHours(9).plusSeconds(n * 13L));
        change.setLong(3, 1 + Math.floorMod(seed * 31 + n * 7_919L, orders));
        change.addBatch();
      }
      change.executeBatch();
    }
    try (PreparedStatement clock =
        connection.prepareStatement("UPDATE demo_clock SET business_day = ?")) {
      clock.setObject(1, day);
      clock.executeUpdate();
    }
    connection.commit();
  }

  private static String insertOrder() {
    return "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  }

  private static void bindOrder(PreparedStatement insert, long id, LocalDateTime at, long customers)
      throws SQLException {
    insert.setLong(1, id);
    insert.setLong(2, 1 + Math.floorMod(id * 7_919, customers));
    insert.setObject(3, OffsetDateTime.of(at, ZoneOffset.UTC));
    insert.setBigDecimal(4, BigDecimal.valueOf(Math.floorMod(id * 104_729, 500_000) + 99, 2));
    insert.setString(5, CURRENCY[(int) (id % CURRENCY.length)]);
    insert.setString(6, STATUS[0]);
    insert.setString(
        7, id % 9 == 0 ? "gift, wrap it \"nicely\"\nleave at door" : id % 4 == 0 ? null : "");
    insert.setObject(8, at);
  }

  private static long max(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT MAX(id) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static LocalDate day(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT business_day FROM demo_clock")) {
      rs.next();
      return rs.getObject(1, LocalDate.class);
    }
  }
}
