package io.lakeroute.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalPostgresIT {

  @Test
  void storesRowsAndKeepsThemAcrossARestart() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    pg.execute(
        "DROP TABLE IF EXISTS restart_probe",
        "CREATE TABLE restart_probe (id int PRIMARY KEY, name text)",
        "INSERT INTO restart_probe VALUES (1, 'one'), (2, 'two')");
    assertEquals(List.of("1:one", "2:two"), rows(pg));

    int port = pg.port();
    pg.stop();
    assertThrows(SQLException.class, pg::connect);
    pg.start();

    assertEquals(port, pg.port());
    assertEquals(List.of("1:one", "2:two"), rows(pg));
  }

  @Test
  void rejectsAWrongPassword() {
    LocalPostgres pg = LocalPostgres.shared();
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password() + "x"));
    assertEquals("28P01", e.getSQLState(), e.getMessage());
  }

  @Test
  void listensOnLoopbackAsTheLakerouteSuperuser() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    assertTrue(pg.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:"), pg.jdbcUrl());
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT current_user, current_database(), current_setting('listen_addresses'),"
                    + " current_setting('fsync'), (SELECT rolsuper FROM pg_roles"
                    + " WHERE rolname = current_user), current_setting('server_version_num')")) {
      r.next();
      assertEquals("lakeroute", r.getString(1));
      assertEquals("lakeroute", r.getString(2));
      assertEquals("127.0.0.1", r.getString(3));
      assertEquals("off", r.getString(4));
      assertTrue(r.getBoolean(5));
      assertTrue(r.getInt(6) >= 150000, r.getString(6));
    }
    LocalServersAssumptions.assertLoopbackOnly("PostgreSQL", pg.port());
  }

  @Test
  void aPrivateClusterCanBeClosed() throws Exception {
    try (LocalPostgres own = new LocalPostgres()) {
      own.start();
      own.execute("CREATE TABLE t (x int)", "INSERT INTO t VALUES (42)");
      try (Connection c = own.connect();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT x FROM t")) {
        r.next();
        assertEquals(42, r.getInt(1));
      }
    }
  }

  private static List<String> rows(LocalPostgres pg) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id, name FROM restart_probe ORDER BY id")) {
      while (r.next()) {
        rows.add(r.getInt(1) + ":" + r.getString(2));
      }
    }
    return rows;
  }
}
