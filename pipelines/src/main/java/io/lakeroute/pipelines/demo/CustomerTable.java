package io.lakeroute.pipelines.demo;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.postgresql.PGConnection;

/**
 * The 20-column customer table of the demo and the benchmark: names and cities in many scripts,
 * emails, NULLs in most columns, decimals up to (38,10), dates before 1970, timestamps with and
 * without zone, and notes holding quotes, commas and line breaks. Row {@code i} is a pure function
 * of {@code i}, so any count can be regenerated and compared.
 */
public final class CustomerTable {
  public static final int COLUMNS = 20;

  private static final String[] FIRST = {
    "Zoë", "José", "Łukasz", "Søren", "Ana", "Mårten", "Chloé", "Jürgen", "小林", "Мария", "Seán",
    "Amélie", "Ngozi", "Ahmet", "Priyā", "Olivia"
  };
  private static final String[] LAST = {
    "O'Connor",
    "Müller",
    "García",
    "Nguyễn",
    "D'Angelo",
    "Smith",
    "Kowalski",
    "Åberg",
    "Dubois",
    "Yılmaz",
    "Novák",
    "Ferreira",
    "山田",
    "Иванова",
    "Brown",
    "Þórsdóttir"
  };
  private static final String[] CITY = {
    "Zürich",
    "São Paulo",
    "Kraków",
    "東京",
    "München",
    "Montréal",
    "Reykjavík",
    "Lagos",
    "Austin",
    "Québec",
    "Łódź",
    "İstanbul"
  };
  private static final String[] COUNTRY = {
    "CH", "BR", "PL", "JP", "DE", "CA", "IS", "NG", "US", "CA", "PL", "TR"
  };
  private static final String[] SEGMENT = {"gold", "silver", "bronze", null};
  private static final BigDecimal LTV_FACTOR = new BigDecimal("98765.4321012345");
  private static final LocalDate BIRTH_EPOCH = LocalDate.of(1930, 1, 1);
  private static final LocalDateTime SIGNUP_EPOCH = LocalDateTime.of(2012, 1, 1, 0, 0);
  private static final Instant LOGIN_EPOCH = Instant.parse("2020-01-01T00:00:00Z");

  private CustomerTable() {}

  /** Portable DDL: H2 and PostgreSQL both accept it. */
  public static String ddl(String table) {
    return "CREATE TABLE "
        + table
        + " (id BIGINT PRIMARY KEY, first_name VARCHAR(50), last_name VARCHAR(50),"
        + " email VARCHAR(120), phone VARCHAR(30), country CHAR(2), city VARCHAR(60),"
        + " postal_code VARCHAR(12), birth_date DATE, signup_ts TIMESTAMP,"
        + " last_login TIMESTAMP WITH TIME ZONE, is_active BOOLEAN, loyalty_points INTEGER,"
        + " credit_limit NUMERIC(12,2), lifetime_value NUMERIC(38,10),"
        + " churn_score DOUBLE PRECISION, segment VARCHAR(20), notes VARCHAR(500),"
        + " referrer_id BIGINT, updated_at TIMESTAMP)";
  }

  /** The values of row {@code i} (from 1), as JDBC objects in column order. */
  public static Object[] row(long i) {
    int k = (int) (i % 1_000_003);
    String first = FIRST[k % FIRST.length];
    String last = LAST[(k / 3) % LAST.length];
    Object[] v = new Object[COLUMNS];
    v[0] = i;
    v[1] = first;
    v[2] = i % 97 == 0 ? null : last;
    v[3] = i % 50 == 0 ? null : ascii(first) + "." + ascii(last) + i + "@example.com";
    v[4] = i % 7 == 0 ? null : String.format("+1-555-%07d", (i * 7919) % 10_000_000);
    v[5] = COUNTRY[k % COUNTRY.length];
    v[6] = CITY[k % CITY.length];
    v[7] = i % 11 == 0 ? null : String.format("%05d", (i * 31) % 100_000);
    v[8] = i % 13 == 0 ? null : BIRTH_EPOCH.plusDays((i * 37) % 27_000);
    v[9] = SIGNUP_EPOCH.plusSeconds(i * 53).plusNanos((i % 1_000_000) * 1_000);
    v[10] =
        i % 5 == 0
            ? null
            : OffsetDateTime.ofInstant(
                LOGIN_EPOCH.plusSeconds(i * 17).plusNanos((i * 7 % 1_000_000) * 1_000),
                ZoneOffset.UTC);
    v[11] = i % 17 == 0 ? null : i % 3 != 0;
    v[12] = (int) ((i * 7919) % 100_000);
    v[13] = BigDecimal.valueOf(i % 50_000 * 125, 2);
    v[14] = i % 19 == 0 ? null : LTV_FACTOR.multiply(BigDecimal.valueOf(i)).setScale(10);
    v[15] = i % 23 == 0 ? null : (i % 1000) / 1000.0;
    v[16] = SEGMENT[k % SEGMENT.length];
    v[17] = notes(i);
    v[18] = i > 1 && i % 4 == 0 ? i - 1 : null;
    v[19] = SIGNUP_EPOCH.plusDays(i % 3650).plusNanos((i % 999_983) * 1_000);
    return v;
  }

  private static String notes(long i) {
    if (i % 25 == 0) {
      return "";
    }
    if (i % 10 == 0) {
      return "Likes \"fast\" delivery, prefers email;\nsecond line ✓ " + i;
    }
    if (i % 10 == 3) {
      return "Called about order #" + i + ", said: 'ok' 🚀";
    }
    return null;
  }

  private static String ascii(String name) {
    return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
        .replaceAll("[^A-Za-z]", "")
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** Creates {@code table} and inserts rows 1..{@code rows} with batched inserts. */
  public static void create(Connection connection, String table, long rows) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(ddl(table));
    }
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES (?");
    sql.append(", ?".repeat(COLUMNS - 1)).append(')');
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
      for (long i = 1; i <= rows; i++) {
        Object[] values = row(i);
        for (int c = 0; c < COLUMNS; c++) {
          insert.setObject(c + 1, values[c]);
        }
        insert.addBatch();
        if (i % 5_000 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
      connection.commit();
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Creates {@code table} in PostgreSQL and loads rows 1..{@code rows} with COPY: fast at 4M. */
  public static void createWithCopy(Connection connection, String table, long rows)
      throws SQLException, IOException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(ddl(table));
    }
    connection
        .unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn("COPY " + table + " FROM STDIN (FORMAT csv)", new CsvRows(rows));
  }

  /** Rows as PostgreSQL COPY CSV, produced on demand. */
  private static final class CsvRows extends Reader {
    private final long rows;
    private long next = 1;
    private final StringBuilder buffer = new StringBuilder();
    private int position;

    CsvRows(long rows) {
      this.rows = rows;
    }

    @Override
    public int read(char[] target, int offset, int length) {
      while (position == buffer.length()) {
        if (next > rows) {
          return -1;
        }
        buffer.setLength(0);
        position = 0;
        for (int n = 0; n < 1000 && next <= rows; n++, next++) {
          appendRow(row(next));
        }
      }
      int count = Math.min(length, buffer.length() - position);
      buffer.getChars(position, position + count, target, offset);
      position += count;
      return count;
    }

    private void appendRow(Object[] values) {
      for (int c = 0; c < values.length; c++) {
        if (c > 0) {
          buffer.append(',');
        }
        Object value = values[c];
        if (value == null) {
          continue;
        }
        String text =
            value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
        buffer.append('"').append(text.replace("\"", "\"\"")).append('"');
      }
      buffer.append('\n');
    }

    @Override
    public void close() {}
  }
}
