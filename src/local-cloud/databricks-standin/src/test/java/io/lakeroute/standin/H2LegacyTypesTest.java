package io.lakeroute.standin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Properties;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.junit.jupiter.api.Test;

class H2LegacyTypesTest {
  private static Connection connect(String name) throws Exception {
    Properties user = new Properties();
    user.setProperty("user", "sa");
    return new H2LegacyTypes()
        .connect("jdbc:h2:mem:" + name + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE", user);
  }

  /**
   * What Spark's JDBC source computes from each value (its own conversion, rebase included) is the
   * value the table holds: year 1, the last Julian day, a zoned instant in 1 BC (in UTC).
   */
  @Test
  void sparkReadsDatesAndTimestampsBeforeTheSwitchAsTheyAre() throws Exception {
    try (Connection connection = connect("dates");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE [t] ([d] DATE, [ts] TIMESTAMP(6), [tz] TIMESTAMP(6) WITH TIME ZONE)");
      statement.execute(
          "INSERT INTO [t] VALUES (DATE '0001-01-01', TIMESTAMP '1582-10-04 23:59:59.999999',"
              + " TIMESTAMP WITH TIME ZONE '0001-01-01 00:00:00.000001+05:30'),"
              + " (NULL, NULL, NULL)");
      try (PreparedStatement query = connection.prepareStatement("SELECT * FROM [t]");
          ResultSet rs = query.executeQuery()) {
        rs.next();
        assertThat(
            DateTimeUtils.fromJavaDate(rs.getDate(1)),
            is((int) LocalDate.of(1, 1, 1).toEpochDay()));
        assertThat(
            DateTimeUtils.fromJavaTimestamp(rs.getTimestamp("ts")),
            is(
                micros(
                    LocalDateTime.parse("1582-10-04T23:59:59.999999")
                        .atZone(ZoneId.systemDefault())
                        .toInstant())));
        assertThat(
            DateTimeUtils.fromJavaTimestamp(rs.getTimestamp(3)),
            is(micros(OffsetDateTime.parse("0001-01-01T00:00:00.000001+05:30").toInstant())));
        rs.next();
        assertThat(rs.getDate(1), nullValue());
        assertThat(rs.getTimestamp(2), nullValue());
        assertThat(rs.getTimestamp(3), nullValue());
      }
    }
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
  }

  @Test
  void columnTypesAreTheOnesSparksGenericMappingReadsAsTheyAre() throws Exception {
    try (Connection connection = connect("types");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE [t] ([r] REAL, [f] FLOAT, [tz] TIMESTAMP(6) WITH TIME ZONE, [i] INT)");
      try (ResultSet rs = statement.executeQuery("SELECT * FROM [t] WHERE 1 = 0")) {
        ResultSetMetaData meta = rs.getMetaData();
        assertThat(meta.getColumnType(1), is(Types.FLOAT));
        assertThat(meta.getColumnType(2), is(Types.DOUBLE));
        assertThat(meta.getColumnType(3), is(Types.TIMESTAMP));
        assertThat(meta.getColumnType(4), is(Types.INTEGER));
      }
    }
  }
}
