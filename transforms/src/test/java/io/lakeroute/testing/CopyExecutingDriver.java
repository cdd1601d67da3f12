package io.lakeroute.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC driver for tests that makes a stand-in database run a warehouse's bulk load: it connects
 * to the stand-in (PostgreSQL for Redshift, H2 for Synapse) and passes every statement on, except
 * the warehouse's own load statement ({@code COPY … FROM 's3://…'}, {@code COPY INTO … FROM
 * 'https://…'}), which it executes itself against the local object store (see {@link RedshiftCopy},
 * {@link SynapseCopyInto}). So the production dialects' statements run unchanged, and a wrong
 * option or manifest entry fails as it would on the warehouse.
 *
 * <p>It takes the stand-in's own JDBC URL with one more parameter, {@code lakerouteStore}: the
 * object store's endpoint. Any other reader of that URL (the Databricks stand-in's Spark reading
 * the PostgreSQL or H2 table) ignores the parameter and connects to the database as it is. {@link
 * #redshift} and {@link #synapse} build such URLs.
 */
public final class CopyExecutingDriver implements Driver {
  private static final String PARAMETER = "lakerouteStore";
  private static final Pattern MARKED = Pattern.compile("(?i)([?&;])" + PARAMETER + "=([^&;]*)");
  private static final CopyExecutingDriver INSTANCE = new CopyExecutingDriver();

  /**
   * The URL of the Redshift stand-in on {@code postgresUrl} whose {@code COPY} reads from {@code
   * s3}: the PostgreSQL URL with the store's endpoint.
   */
  public static String redshift(String postgresUrl, LocalS3 s3) {
    return postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + marker(s3.endpoint());
  }

  /**
   * The URL of the Synapse stand-in on {@code h2Url} whose {@code COPY INTO} reads from {@code
   * azurite}. H2 refuses settings it does not know, so the URL tells it to ignore them: the
   * Databricks stand-in's Spark connects with H2's own driver to this URL as it is.
   */
  public static String synapse(String h2Url, LocalAzurite azurite) {
    return h2Url + ";IGNORE_UNKNOWN_SETTINGS=TRUE;" + marker(azurite.blobEndpoint());
  }

  /**
   * Makes the Redshift stand-in's next COPY run {@code postgresSql} on its session once its rows
   * are in, as if the load had changed values as it read the files.
   */
  public static void afterNextRedshiftCopy(String postgresSql) {
    RedshiftCopy.afterNextCopy(postgresSql);
  }

  private static String marker(String endpoint) {
    return PARAMETER + "=" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8);
  }

  /**
   * Registers this driver ahead of the stand-ins' drivers, which would take a marked URL too:
   * DriverManager asks drivers in the order they were registered. A JVM with the test-jar on its
   * class path loads this class through META-INF/services; the tests' own JVM when they build a
   * URL.
   */
  static {
    try {
      DriverManager.registerDriver(INSTANCE);
      if (org.postgresql.Driver.isRegistered()) {
        org.postgresql.Driver.deregister();
      }
      org.postgresql.Driver.register();
      org.h2.Driver.unload();
      org.h2.Driver.load();
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** For ServiceLoader; every instance delegates to the one registered. */
  public CopyExecutingDriver() {}

  @Override
  public boolean acceptsURL(String url) {
    return url != null && MARKED.matcher(url).find();
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Matcher m = MARKED.matcher(url);
    m.find();
    String endpoint = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
    String database = m.replaceFirst(m.group(1).equals("?") ? "?" : "").replace("?&", "?");
    if (database.endsWith("?")) {
      database = database.substring(0, database.length() - 1);
    }
    BulkLoad load;
    if (database.startsWith("jdbc:postgresql:")) {
      load = new RedshiftCopy(endpoint);
    } else if (database.startsWith("jdbc:h2:")) {
      load = new SynapseCopyInto(endpoint);
    } else {
      throw new SQLException("No warehouse stand-in runs on " + database);
    }
    Connection connection = null;
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (!(driver instanceof CopyExecutingDriver) && driver.acceptsURL(database)) {
        connection = driver.connect(database, info);
        break;
      }
    }
    if (connection == null) {
      load.close();
      throw new SQLException("No driver connects to " + database);
    }
    return connection(connection, load);
  }

  private static Connection connection(Connection connection, BulkLoad load) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            load.close();
          }
          Object result = invoke(connection, method, args);
          if (method.getName().equals("createStatement")) {
            return statement((Statement) result, connection, load);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            CopyExecutingDriver.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  /**
   * A statement whose {@code execute}, {@code executeUpdate} and {@code executeQuery} of SQL text
   * go through the bulk load first.
   */
  private static Statement statement(Statement statement, Connection connection, BulkLoad load) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (args != null && args.length >= 1 && args[0] instanceof String sql) {
            switch (method.getName()) {
              case "execute":
                if (load.isLoad(sql)) {
                  load.load(connection, sql);
                  return false;
                }
                break;
              case "executeUpdate":
              case "executeLargeUpdate":
                if (load.isLoad(sql)) {
                  long rows = load.load(connection, sql);
                  return method.getName().equals("executeUpdate") ? (Object) (int) rows : rows;
                }
                break;
              case "executeQuery":
                List<Object> rewritten = new ArrayList<>(List.of(args));
                rewritten.set(0, load.query(sql));
                return invoke(statement, method, rewritten.toArray());
              default:
                break;
            }
          }
          return invoke(statement, method, args);
        };
    return (Statement)
        Proxy.newProxyInstance(
            CopyExecutingDriver.class.getClassLoader(), new Class<?>[] {Statement.class}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
