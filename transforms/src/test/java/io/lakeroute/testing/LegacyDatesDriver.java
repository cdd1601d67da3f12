package io.lakeroute.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Date;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver for tests that reads dates the way the JDBC API did before java.time, to prove that
 * a value a driver changes is caught: it passes everything on to the real driver (pgjdbc or H2)
 * except {@code getObject(column, LocalDate.class)}, which it answers through {@code
 * getDate(column).toLocalDate()}. {@link java.sql.Date} counts in the hybrid Julian/Gregorian
 * calendar, so dates before 1582-10-15 move while the row count stays: with pgjdbc, which builds
 * the date from its fields, the ten days the switch skipped (1582-10-10 becomes 1582-10-20); with
 * H2, which counts days proleptically, every one of them. Spark's JDBC source does exactly this
 * (docs/proven.md), as does any driver or mapping that converts through {@code java.sql.Date}.
 *
 * <p>It takes the database's own URL with one more parameter, {@value #PARAMETER}, which {@link
 * #url} adds; the source dialect is still chosen from the URL's prefix.
 */
public final class LegacyDatesDriver implements Driver {
  private static final String PARAMETER = "lakerouteLegacyDates";

  static {
    try {
      // Ahead of the real drivers, which would accept the URL too: DriverManager asks drivers in
      // the order they were registered.
      DriverManager.registerDriver(new LegacyDatesDriver());
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

  /** For DBCP, which makes its own instance from the class name. */
  public LegacyDatesDriver() {}

  /** {@code url} (PostgreSQL or H2) read through this driver. */
  public static String url(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return url + (url.contains("?") ? "&" : "?") + PARAMETER + "=true";
    }
    return url + ";" + PARAMETER + "=true";
  }

  private static String database(String url) {
    return url.replace("&" + PARAMETER + "=true", "")
        .replace("?" + PARAMETER + "=true", "")
        .replace(";" + PARAMETER + "=true", "");
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.contains(PARAMETER + "=true");
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    String database = database(url);
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (!(driver instanceof LegacyDatesDriver) && driver.acceptsURL(database)) {
        return wrap(driver.connect(database, info), Connection.class);
      }
    }
    throw new SQLException("No driver connects to " + database);
  }

  /**
   * {@code target} behind a proxy of {@code type} that wraps the statements and result sets it
   * returns, and reads a {@code LocalDate} through {@code java.sql.Date}.
   */
  private static <T> T wrap(Object target, Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            LegacyDatesDriver.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (target instanceof ResultSet rows
                  && method.getName().equals("getObject")
                  && args.length == 2
                  && args[0] instanceof Integer column
                  && args[1] == LocalDate.class) {
                Date date = rows.getDate(column);
                return date == null ? null : date.toLocalDate();
              }
              Object result = invoke(target, method, args);
              if (result instanceof ResultSet && method.getReturnType() == ResultSet.class) {
                return wrap(result, ResultSet.class);
              }
              if (result instanceof Statement
                  && Statement.class.isAssignableFrom(method.getReturnType())) {
                return wrap(result, method.getReturnType());
              }
              return result;
            }));
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
