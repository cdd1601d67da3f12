package io.lakeroute.standin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Date;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * H2 (the Synapse stand-in) as Spark's JDBC source expects a JDBC driver to be, so that the
 * stand-in's {@code USING JDBC} table over it reads what the table holds.
 *
 * <p>Spark reads dates and timestamps through {@code java.sql.Date} and {@code Timestamp} and
 * rebases them from the hybrid Julian/Gregorian calendar those classes compute with, as drivers
 * build them from a value's fields (pgjdbc, mssql-jdbc). H2 builds them from the proleptic
 * Gregorian instant instead, so every value before 1582 arrived days off (0001-01-01 as
 * 0001-01-03). And Spark's generic type mapping misreads H2's column types (see {@link
 * #columnType}). This driver takes H2's URLs ahead of H2's own and gives Spark dates and timestamps
 * built from their fields, and column types that Spark maps to what the columns hold; every other
 * call goes to H2 as it is. Like pgjdbc's, a date in the ten days the 1582 switch skipped arrives
 * ten days later.
 */
public final class H2LegacyTypes implements Driver {
  private final Driver h2 = new org.h2.Driver();

  /** Public for Spark, which instantiates the class DriverManager chose for a URL. */
  public H2LegacyTypes() {}

  /** Registers this driver ahead of H2's, which DriverManager would otherwise ask first. */
  static void register() throws SQLException {
    org.h2.Driver.unload();
    DriverManager.registerDriver(new H2LegacyTypes());
    org.h2.Driver.load();
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return h2.acceptsURL(url);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Connection connection = h2.connect(url, info);
    return connection == null ? null : wrap(Connection.class, connection);
  }

  /** What a proxy wraps in turn when a call returns it: every way to a result set. */
  private static final Set<Class<?>> WRAPPED =
      Set.of(
          Statement.class,
          PreparedStatement.class,
          CallableStatement.class,
          ResultSet.class,
          ResultSetMetaData.class);

  /** A proxy of {@code target} that wraps what it returns, down to result sets. */
  private static <T> T wrap(Class<T> type, T target) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (target instanceof ResultSet rs && args != null && args.length == 1) {
            if (method.getName().equals("getDate")) {
              return date(rs, column(rs, args[0]));
            }
            if (method.getName().equals("getTimestamp")) {
              return timestamp(rs, column(rs, args[0]));
            }
          }
          if (target instanceof ResultSetMetaData meta
              && method.getName().equals("getColumnType")) {
            return columnType(meta.getColumnType((Integer) args[0]));
          }
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          return result != null && WRAPPED.contains(method.getReturnType())
              ? wrap(cast(method.getReturnType()), result)
              : result;
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  @SuppressWarnings("unchecked")
  private static Class<Object> cast(Class<?> type) {
    return (Class<Object>) type;
  }

  /**
   * The type Spark's generic JDBC mapping reads as the column is: it takes {@code REAL} for a
   * double and {@code FLOAT} for a single-precision float (its dialects of other databases correct
   * that; none of H2's does), and does not know {@code TIMESTAMP WITH TIME ZONE}. H2's {@code REAL}
   * is single precision, its {@code FLOAT} (Synapse's name) double.
   */
  private static int columnType(int h2Type) {
    switch (h2Type) {
      case Types.REAL:
        return Types.FLOAT;
      case Types.FLOAT:
        return Types.DOUBLE;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return Types.TIMESTAMP;
      default:
        return h2Type;
    }
  }

  private static int column(ResultSet rs, Object column) throws SQLException {
    return column instanceof Integer index ? index : rs.findColumn((String) column);
  }

  /** The date as its fields say, in the calendar {@code java.sql.Date} computes with. */
  private static Date date(ResultSet rs, int column) throws SQLException {
    LocalDate date = rs.getObject(column, LocalDate.class);
    return date == null ? null : Date.valueOf(date);
  }

  /**
   * The timestamp's wall clock (a zoned one's in this JVM's zone, where Spark reads it), in the
   * calendar {@code Timestamp} computes with.
   */
  private static Timestamp timestamp(ResultSet rs, int column) throws SQLException {
    LocalDateTime time;
    if (rs.getMetaData().getColumnType(column) == Types.TIMESTAMP_WITH_TIMEZONE) {
      OffsetDateTime zoned = rs.getObject(column, OffsetDateTime.class);
      time =
          zoned == null ? null : zoned.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
    } else {
      time = rs.getObject(column, LocalDateTime.class);
    }
    return time == null ? null : Timestamp.valueOf(time);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return h2.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return h2.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return h2.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return h2.jdbcCompliant();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return h2.getParentLogger();
  }
}
