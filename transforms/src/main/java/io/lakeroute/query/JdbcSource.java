package io.lakeroute.query;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * Where a query runs: a JDBC URL, a user and a password, carried to the workers as JdbcIO's own
 * {@link JdbcIO.DataSourceConfiguration}, plus the fetch size that makes drivers stream.
 *
 * <p>The password is never part of {@link #toString()} and never of an error message; the URL is
 * shown only with its password-like parameters masked ({@link #redact(String)}).
 */
public final class JdbcSource implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows fetched per round trip; 1 000–100 000 perform the same, larger costs memory. */
  public static final int DEFAULT_FETCH_SIZE = 10_000;

  /**
   * The largest fetch size: a fetch batch is held in memory, and 100 000 rows already triple a
   * worker's memory without reading any faster than 1 000.
   */
  public static final int MAX_FETCH_SIZE = 100_000;

  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "(?i)((?:password|pwd|passwd|secret|token|sslpassword|accesskey)\\s*=)[^;&]*");

  /** How long a connection may stay silent when no bound is given. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(5);

  private final JdbcIO.DataSourceConfiguration configuration;
  private final String url;
  private final int fetchSize;
  private final Duration stallTimeout;
  private final boolean verifySource;

  /** Whether a MariaDB zero date is read as NULL ({@link #withZeroDate}) instead of refused. */
  private final boolean zeroDatesAsNull;

  private JdbcSource(
      JdbcIO.DataSourceConfiguration configuration,
      String url,
      int fetchSize,
      Duration stallTimeout,
      boolean verifySource,
      boolean zeroDatesAsNull) {
    this.configuration = configuration;
    this.url = url;
    this.fetchSize = fetchSize;
    this.stallTimeout = stallTimeout;
    this.verifySource = verifySource;
    this.zeroDatesAsNull = zeroDatesAsNull;
  }

  /**
   * A source for {@code url}; the driver class is found from the URL unless given.
   *
   * @param driverClass the driver class, or null to ask {@link DriverManager}
   */
  public static JdbcSource of(String url, String driverClass, String user, String password) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "The source's JDBC URL must start with 'jdbc:', got '" + redact(url) + "'");
    }
    String driver = driverClass != null ? driverClass : driverFor(url);
    JdbcIO.DataSourceConfiguration configuration =
        JdbcIO.DataSourceConfiguration.create(driver, url);
    if (user != null) {
      configuration = configuration.withUsername(user);
    }
    if (password != null) {
      configuration = configuration.withPassword(password);
    }
    List<String> sessionSql = SourceDialect.forUrl(url).sessionSql();
    if (!sessionSql.isEmpty()) {
      configuration = configuration.withConnectionInitSqls(sessionSql);
    }
    return new JdbcSource(
            configuration, url, DEFAULT_FETCH_SIZE, DEFAULT_STALL_TIMEOUT, false, false)
        .withStallTimeout(DEFAULT_STALL_TIMEOUT);
  }

  /** Rows per round trip, between 1 and {@value #MAX_FETCH_SIZE}. */
  public JdbcSource withFetchSize(int fetchSize) {
    if (fetchSize < 1 || fetchSize > MAX_FETCH_SIZE) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "The fetch size (JdbcSource.withFetchSize) must be between 1 and %,d rows, got %,d:"
                  + " a fetch batch is held in memory, and sizes from 1,000 to %,d read"
                  + " equally fast",
              MAX_FETCH_SIZE,
              fetchSize,
              MAX_FETCH_SIZE));
    }
    return new JdbcSource(
        configuration, url, fetchSize, stallTimeout, verifySource, zeroDatesAsNull);
  }

  /**
   * How long a connection may stay silent, logging in included, before the read fails with a {@link
   * java.net.SocketTimeoutException} (a lost connection, worth a retry) instead of waiting forever
   * on a stalled server. A source computes some queries for a while before their first rows: the
   * bound must exceed that time.
   */
  public JdbcSource withStallTimeout(Duration timeout) {
    if (timeout == null || timeout.toSeconds() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "The stall timeout (JdbcSource.withStallTimeout) must be between 1 second and 24 days,"
              + " got "
              + timeout);
    }
    // The dialect bounds the login; connect() bounds an open connection for every driver alike.
    String properties = dialect().connectionProperties(timeout);
    JdbcIO.DataSourceConfiguration bounded =
        properties == null ? configuration : configuration.withConnectionProperties(properties);
    return new JdbcSource(bounded, url, fetchSize, timeout, verifySource, zeroDatesAsNull);
  }

  /**
   * Whether each partition's rows are also fingerprinted by the source database itself, in the
   * partition's own transaction (the run's snapshot where the source shares one), and compared with
   * the rows as read (docs/fingerprints.md): this catches a value that the driver or lakeroute's
   * type mapping changed, which every later hop would faithfully copy. It costs one more scan of
   * each partition in the source.
   */
  public JdbcSource withVerifySource(boolean verify) {
    if (verify && dialect().fingerprintSql().isEmpty()) {
      throw new IllegalArgumentException(
          "The source's own fingerprint (JdbcSource.withVerifySource) needs the fingerprint query in "
              + dialect().database()
              + "'s SQL, which lakeroute does not have yet (PostgreSQL, H2, MariaDB and MySQL only): run without"
              + " it; the rows read are still proven against every file and later hop"
              + " (docs/fingerprints.md)");
    }
    return new JdbcSource(configuration, url, fetchSize, stallTimeout, verify, zeroDatesAsNull);
  }

  /** Whether the source fingerprints its own rows ({@link #withVerifySource}). */
  public boolean verifySource() {
    return verifySource;
  }

  /**
   * What becomes of a MariaDB or MySQL zero date ({@code 0000-00-00}, or a date with a zero month
   * or day, in a DATE, DATETIME or TIMESTAMP column), which no file format, warehouse or Databricks
   * can hold: {@code refuse} (the default) fails the read naming the column and the value; {@code
   * null} reads it as NULL, as MySQL's own drivers do with {@code zeroDateTimeBehavior}. The source
   * fingerprint is taken from the values as read, so a NULL still reconciles at every hop.
   */
  public JdbcSource withZeroDate(String value) {
    boolean asNull;
    switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
      case "refuse":
        asNull = false;
        break;
      case "null":
        asNull = true;
        break;
      default:
        throw new IllegalArgumentException(
            "JdbcSource.withZeroDate(" + value + ") is not valid: use refuse or null");
    }
    if (asNull && !(SourceDialect.forUrl(url) instanceof MariaDbSourceDialect)) {
      throw new IllegalArgumentException(
          "JdbcSource.withZeroDate(null) is for MariaDB and MySQL sources, whose zero dates other"
              + " databases do not have; the source is "
              + SourceDialect.forUrl(url).database());
    }
    return new JdbcSource(configuration, url, fetchSize, stallTimeout, verifySource, asNull);
  }

  private static String driverFor(String url) {
    try {
      Driver driver = DriverManager.getDriver(url);
      return driver.getClass().getName();
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "No JDBC driver accepts the source's JDBC URL "
              + redact(url)
              + ": check the URL, or put the driver on the classpath and give its class name",
          e);
    }
  }

  /**
   * Opens a connection from the worker-wide pool JdbcIO keeps per configuration, bounded by the
   * stall timeout ({@link Connection#setNetworkTimeout}, which drivers without a network ignore).
   */
  public Connection connect() throws SQLException {
    DataSource dataSource =
        JdbcIO.DataSourceProviderFromDataSourceConfiguration.of(configuration).apply(null);
    Connection connection = dataSource.getConnection();
    try {
      connection.setNetworkTimeout(Runnable::run, (int) stallTimeout.toMillis());
    } catch (SQLFeatureNotSupportedException embedded) {
      // An in-process database (H2's embedded mode) has no connection to stall.
    }
    return connection;
  }

  public Duration stallTimeout() {
    return stallTimeout;
  }

  String url() {
    return url;
  }

  public int fetchSize() {
    return fetchSize;
  }

  /** The URL with password-like parameters masked, for messages and logs. */
  public String redactedUrl() {
    return redact(url);
  }

  /** Masks password-like parameters of a JDBC URL. */
  public static String redact(String url) {
    return url == null ? "null" : SECRET_PARAM.matcher(url).replaceAll("$1***");
  }

  /** What differs in the database the URL names: types, session settings, consistency. */
  public SourceDialect dialect() {
    return zeroDatesAsNull ? MariaDbSourceDialect.ZERO_DATES_AS_NULL : SourceDialect.forUrl(url);
  }

  @Override
  public String toString() {
    return "JdbcSource{" + redactedUrl() + ", fetchSize=" + fetchSize + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JdbcSource
        && ((JdbcSource) o).configuration.equals(configuration)
        && ((JdbcSource) o).fetchSize == fetchSize
        && ((JdbcSource) o).verifySource == verifySource
        && ((JdbcSource) o).stallTimeout.equals(stallTimeout)
        && ((JdbcSource) o).zeroDatesAsNull == zeroDatesAsNull;
  }

  @Override
  public int hashCode() {
    return Objects.hash(configuration, fetchSize, stallTimeout, verifySource, zeroDatesAsNull);
  }
}
