package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.JdbcClient;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * PostgreSQL 15 standing in for Redshift: Redshift's SQL, which PostgreSQL runs as it is, and for
 * the COPY from S3 its nearest equivalent: each staged CSV file streamed through {@code COPY … FROM
 * STDIN} ({@code CopyManager}) in the same CSV dialect, so the same rows load or fail. PostgreSQL
 * has no COPY for Parquet, Avro or JSON, and needs no IAM role.
 */
final class PostgresDialect extends RedshiftDialect {
  private static final long serialVersionUID = 1L;

  PostgresDialect() {
    super("postgres", "The PostgreSQL stand-in of Redshift", Set.of("csv"));
  }

  @Override
  public WarehouseDialect warehouse() {
    return WarehouseDialect.REDSHIFT;
  }

  /** PostgreSQL reads the staged files through the client: it assumes no role. */
  @Override
  public void checkStorageCredential(String iamRole) {}

  @Override
  public String loadStatement(WarehouseSql sql) {
    Manifest.Csv csv = sql.manifest().csv();
    return "COPY "
        + stagingTable(sql)
        + " FROM STDIN WITH (FORMAT csv, HEADER "
        + csv.header()
        + ", DELIMITER "
        + literal(csv.delimiter())
        + ", QUOTE "
        + literal(csv.quote())
        + ", NULL "
        + literal(csv.nullString())
        + ", ENCODING 'UTF8')";
  }

  /** {@code CopyManager} returns the rows each COPY loaded. */
  @Override
  public Optional<String> loadedCount(WarehouseSql sql) {
    return Optional.empty();
  }

  /** The staged files through CopyManager; the Redshift manifest is written as for Redshift. */
  @Override
  long copy(JdbcClient client, WarehouseSql sql) throws SQLException, IOException {
    String copy = loadStatement(sql);
    long rows = 0;
    for (Manifest.FileEntry file : sql.manifest().files()) {
      try (InputStream in = openStaged(file, sql.manifest())) {
        rows += client.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, in);
      } catch (SQLException e) {
        throw client.scrubbed(e, "file " + file.name() + ": ");
      }
    }
    return rows;
  }
}
