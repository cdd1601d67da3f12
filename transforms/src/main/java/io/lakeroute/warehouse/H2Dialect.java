package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.sql.JdbcClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * H2 in {@code MODE=MSSQLServer} standing in for Synapse: T-SQL's quoting and types (with the SQL
 * standard's name for DATETIMEOFFSET), the DDL without Synapse's {@code WITH (DISTRIBUTION …)} and
 * {@code IF OBJECT_ID} batches, and for COPY INTO its nearest equivalent: {@code INSERT … SELECT …
 * FROM CSVREAD(…)} per staged CSV file. It reads the files through Beam's filesystems, so they may
 * be staged on S3 or a local folder too.
 */
final class H2Dialect extends SynapseDialect {
  private static final long serialVersionUID = 1L;

  /** Where {@link #loadStatement} shows the file each statement reads. */
  static final String EACH_FILE = "<local copy of each file>";

  H2Dialect() {
    super(
        "h2",
        "The H2 stand-in of Synapse",
        SynapseDialect.TYPES.with("timestamp_tz", "TIMESTAMP(6) WITH TIME ZONE"),
        Set.of("csv"));
  }

  @Override
  public WarehouseDialect warehouse() {
    return WarehouseDialect.SYNAPSE;
  }

  @Override
  public Set<String> stagingSchemes() {
    return Set.of("azfs", "s3", "file");
  }

  @Override
  String tableOptions() {
    return "";
  }

  @Override
  public String createTable(WarehouseSql sql) {
    return createTableIfNotExists(sql);
  }

  @Override
  public String dropStaging(WarehouseSql sql) {
    return dropStagingIfExists(sql);
  }

  @Override
  public String loadStatement(WarehouseSql sql) {
    return loadStatement(sql, EACH_FILE);
  }

  /**
   * The load of one staged CSV file copied to {@code localPath} (CSVREAD takes no parameter): the
   * text of every field cast to the column's type. H2 reads a quoted empty field as an empty string
   * and an unquoted one as NULL, as the files mean them, and would trim unquoted values unless told
   * to preserve whitespace.
   */
  String loadStatement(WarehouseSql sql, String localPath) {
    Manifest manifest = sql.manifest();
    Manifest.Csv csv = manifest.csv();
    List<String> fileColumns = new ArrayList<>();
    for (int i = 0; i < manifest.columns().size(); i++) {
      fileColumns.add(csv.header() ? manifest.columns().get(i).name() : "c" + (i + 1));
    }
    String select =
        IntStream.range(0, fileColumns.size())
            .mapToObj(
                i ->
                    "CAST("
                        + identifier(fileColumns.get(i))
                        + " AS "
                        + sql.columnType(manifest.columns().get(i)).replace("(MAX)", "")
                        + ")")
            .collect(Collectors.joining(", "));
    String h2Options =
        "charset=UTF-8 caseSensitiveColumnNames=true preserveWhitespace=true fieldSeparator="
            + csv.delimiter()
            + " fieldDelimiter="
            + csv.quote()
            + " escape="
            + csv.quote();
    return "INSERT INTO "
        + stagingTable(sql)
        + " ("
        + sql.columnNames()
        + ") SELECT "
        + select
        + " FROM CSVREAD("
        + plain(localPath)
        + ", "
        + (csv.header() ? "NULL" : plain(String.join(",", fileColumns)))
        + ", "
        + plain(h2Options)
        + ")";
  }

  @Override
  public Optional<String> loadedCount(WarehouseSql sql) {
    return Optional.of("SELECT COUNT(*) FROM " + stagingTable(sql));
  }

  /**
   * Each staged CSV file copied to a local temporary file (H2 reads files, not streams) and
   * inserted; the rows loaded are then counted in the staging table, as on Synapse.
   */
  @Override
  public long load(JdbcClient client, WarehouseSql sql) throws SQLException, IOException {
    for (Manifest.FileEntry file : sql.manifest().files()) {
      Path local = Files.createTempFile("lakeroute-h2-load", ".csv");
      try (InputStream in = openStaged(file, sql.manifest())) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        try {
          client.execute(loadStatement(sql, local.toString()));
        } catch (SQLException e) {
          throw new SQLException(
              "file " + file.name() + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode());
        }
      } finally {
        Files.deleteIfExists(local);
      }
    }
    return Long.parseLong(client.query(loadedCount(sql).orElseThrow()).get(0).get(0));
  }
}
