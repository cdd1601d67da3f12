package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.postgresql.PGConnection;

/**
 * How to reach a warehouse over JDBC and how it reads the staged files: the dialect, the URL, the
 * user and password (a connection property, never part of a message or {@link #toString()}), and
 * the storage credential the warehouse itself uses (Redshift: the IAM role's ARN; Synapse: a SAS
 * token, or none for the workspace's managed identity).
 */
public final class WarehouseConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern URL_SECRET = Pattern.compile("(?i)(password|pwd|secret|sig)=[^;&]*");

  private final WarehouseDialect dialect;
  private final String url;
  private final String user;
  private final String password;
  private final String storageCredential;

  public WarehouseConnection(
      WarehouseDialect dialect,
      String url,
      String user,
      String password,
      String storageCredential) {
    if (dialect == null) {
      throw new IllegalArgumentException("--warehouseDialect is required");
    }
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "--warehouseJdbcUrl must be a JDBC URL (jdbc:redshift://…, jdbc:sqlserver://…), got "
              + redact(url));
    }
    if (URL_SECRET.matcher(url).find()) {
      throw new IllegalArgumentException(
          "--warehouseJdbcUrl must not hold the password: give it with --warehousePasswordEnv or"
              + " --warehousePasswordFile");
    }
    this.dialect = dialect;
    this.url = url;
    this.user = user;
    this.password = password;
    this.storageCredential = storageCredential;
  }

  public WarehouseDialect dialect() {
    return dialect;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /**
   * The password, for the one statement that must carry it: the stand-in Databricks' JDBC table
   * over the warehouse (open-source Spark has no secrets).
   */
  String password() {
    return password;
  }

  /** The statements of {@code target} for {@code manifest} in this connection's dialect. */
  public WarehouseSql sql(WarehouseTarget target, Manifest manifest) {
    return dialect.redshift()
        ? new RedshiftSql(target, manifest, storageCredential)
        : new SynapseSql(target, manifest, dialect, storageCredential);
  }

  /** {@code schema.table} as this warehouse quotes it. */
  public String quotedTable(WarehouseTarget target) {
    return dialect.redshift()
        ? "\""
            + target.schema().replace("\"", "\"\"")
            + "\".\""
            + target.table().replace("\"", "\"\"")
            + "\""
        : "["
            + target.schema().replace("]", "]]")
            + "].["
            + target.table().replace("]", "]]")
            + "]";
  }

  /** Connects; the stand-ins get the client that loads the files their way. */
  public WarehouseClient open() throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    Connection connection = DriverManager.getConnection(url, properties);
    switch (dialect) {
      case POSTGRES:
        return new PostgresCopyClient(connection);
      case H2:
        return new H2CsvReadClient(connection);
      default:
        return new JdbcClient(connection);
    }
  }

  /** Removes the password and any storage secret from a message. */
  public String scrub(String message) {
    if (message == null) {
      return null;
    }
    String scrubbed = message;
    // Redshift's storage credential is a role's ARN, not a secret; Synapse's is a SAS token.
    String storageSecret = dialect.redshift() ? null : storageCredential;
    for (String secret : new String[] {password, storageSecret}) {
      if (secret != null && !secret.isEmpty()) {
        // As given, and as Spark's (backslash-escaped) and T-SQL's (quotes doubled) literals hold
        // it.
        scrubbed =
            scrubbed
                .replace(secret.replace("\\", "\\\\").replace("'", "\\'"), "***")
                .replace(secret.replace("'", "''"), "***")
                .replace(secret, "***");
      }
    }
    return redact(scrubbed);
  }

  static String redact(String text) {
    return text == null ? "null" : URL_SECRET.matcher(text).replaceAll("$1=***");
  }

  @Override
  public String toString() {
    return "WarehouseConnection{" + dialect.id() + " " + url + "}";
  }

  /** Production: every statement as generated, the COPY included. */
  private class JdbcClient implements WarehouseClient {
    final Connection connection;

    JdbcClient(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void execute(String sql) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw scrubbed(e);
      }
    }

    @Override
    public List<List<String>> query(String sql) throws SQLException {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(sql)) {
        return rows(rs);
      } catch (SQLException e) {
        throw scrubbed(e);
      }
    }

    @Override
    public void inTransaction(List<String> statements) throws SQLException {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw scrubbed(e);
      } finally {
        connection.setAutoCommit(true);
      }
    }

    @Override
    public long load(WarehouseSql sql) throws SQLException, IOException {
      try {
        execute(sql.load());
      } catch (SQLException e) {
        if (sql instanceof RedshiftSql redshift) {
          // Redshift's COPY error only points at stl_load_errors: add its line, column, reason.
          throw new SQLException(
              e.getMessage() + "; stl_load_errors: " + query(redshift.loadErrors()),
              e.getSQLState(),
              e.getErrorCode());
        }
        throw e;
      }
      return Long.parseLong(query(sql.loadedCount()).get(0).get(0));
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }

    SQLException scrubbed(SQLException e) {
      return new SQLException(scrub(e.getMessage()), e.getSQLState(), e.getErrorCode());
    }
  }

  /** PostgreSQL standing in for Redshift: each staged CSV file through COPY … FROM STDIN. */
  private final class PostgresCopyClient extends JdbcClient {
    PostgresCopyClient(Connection connection) {
      super(connection);
    }

    @Override
    public long load(WarehouseSql sql) throws SQLException, IOException {
      String copy = ((RedshiftSql) sql).standInLoad();
      long rows = 0;
      for (Manifest.FileEntry file : sql.files()) {
        try (InputStream in = openStaged(file, sql.manifest)) {
          rows += connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, in);
        } catch (SQLException e) {
          throw new SQLException(
              "file " + file.name() + ": " + scrub(e.getMessage()),
              e.getSQLState(),
              e.getErrorCode());
        }
      }
      return rows;
    }
  }

  /**
   * H2 standing in for Synapse: each staged CSV file copied to a local temporary file (H2 reads
   * files, not streams) and inserted with {@code INSERT … SELECT … FROM CSVREAD(…)}; the rows
   * loaded are then counted in the staging table, as on Synapse.
   */
  private final class H2CsvReadClient extends JdbcClient {
    H2CsvReadClient(Connection connection) {
      super(connection);
    }

    @Override
    public long load(WarehouseSql sql) throws SQLException, IOException {
      for (Manifest.FileEntry file : sql.files()) {
        Path local = Files.createTempFile("lakeroute-h2-load", ".csv");
        try (InputStream in = openStaged(file, sql.manifest)) {
          Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
          try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(((SynapseSql) sql).standInLoad(local.toString()));
          } catch (SQLException e) {
            throw new SQLException(
                "file " + file.name() + ": " + scrub(e.getMessage()),
                e.getSQLState(),
                e.getErrorCode());
          }
        } finally {
          Files.deleteIfExists(local);
        }
      }
      return Long.parseLong(query(sql.loadedCount()).get(0).get(0));
    }
  }

  /** A staged file through Beam's filesystems (S3, Azure, GCS, local), gunzipped when gzip. */
  private static InputStream openStaged(Manifest.FileEntry file, Manifest manifest)
      throws IOException {
    InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file.uri(), false)));
    return manifest.codec().equals("gzip") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static List<List<String>> rows(ResultSet rs) throws SQLException {
    int columns = rs.getMetaData().getColumnCount();
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>(columns);
      for (int c = 1; c <= columns; c++) {
        row.add(rs.getString(c));
      }
      rows.add(row);
    }
    return rows;
  }
}
