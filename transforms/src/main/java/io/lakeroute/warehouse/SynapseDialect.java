package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.sql.ColumnTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Azure Synapse Analytics (dedicated SQL pool): {@code COPY INTO} a staging table from exactly the
 * run's files in Azure Blob Storage (their {@code https://} URLs, listed one by one), with the CSV
 * options that match what was written, then the disposition in one transaction. T-SQL types:
 * DECIMAL(p,s), DATETIME2(6), DATETIMEOFFSET(6), BIT, NVARCHAR(MAX). The storage credential is a
 * Shared Access Signature for the container, or none to read with the workspace's managed identity.
 */
class SynapseDialect extends AbstractDialect {
  private static final long serialVersionUID = 1L;
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  static final ColumnTypes TYPES =
      ColumnTypes.standard("NVARCHAR(MAX)")
          .with("int32", "INT")
          .with("double", "FLOAT")
          .with("boolean", "BIT")
          .with("bytes", "VARBINARY(MAX)")
          .with("time", "NVARCHAR(15)")
          .with("timestamp", "DATETIME2(6)")
          .with("timestamp_tz", "DATETIMEOFFSET(6)");

  SynapseDialect() {
    this("synapse", "Synapse's COPY INTO", TYPES, Set.of("parquet", "csv"));
  }

  SynapseDialect(String id, String name, ColumnTypes types, Set<String> formats) {
    super(id, name, types, formats);
  }

  @Override
  public Set<String> stagingSchemes() {
    return Set.of("azfs");
  }

  @Override
  public String defaultSchema() {
    return "dbo";
  }

  @Override
  public String identifier(String name) {
    return "[" + name.replace("]", "]]") + "]";
  }

  @Override
  public String isTrue(String column) {
    return column + " = 1";
  }

  @Override
  public String literal(String text) {
    return "N" + plain(text);
  }

  /** {@code 'text'}: COPY INTO's options take plain string literals. */
  static String plain(String text) {
    if (CONTROL.matcher(text).find()) {
      throw new IllegalArgumentException(
          "A value for generated T-SQL holds a control character: "
              + text.replaceAll("\\p{Cntrl}", "?"));
    }
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public String runIdType() {
    return "NVARCHAR(128)";
  }

  @Override
  public void check(WarehouseSql sql) {
    super.check(sql);
    Manifest.Csv csv = sql.manifest().csv();
    if (csv != null
        && (csv.quoteMode().equals("none")
            || csv.escape() != null
            || !csv.nullString().isEmpty())) {
      throw new IllegalArgumentException(
          "Synapse's COPY INTO reads CSV with doubled quotes and NULL as an empty field: deliver"
              + " with the CSV quote mode (withQuoteMode) minimal or all, without an escape"
              + " (withEscape), and an empty null string (withNullString)");
    }
  }

  /**
   * How Synapse distributes a new table. HEAP: a clustered columnstore index would refuse
   * NVARCHAR(MAX) on older pools.
   */
  String tableOptions() {
    return " WITH (DISTRIBUTION = ROUND_ROBIN, HEAP)";
  }

  @Override
  public String createTable(WarehouseSql sql) {
    WarehouseTarget target = sql.target();
    return "IF OBJECT_ID("
        + literal(target.schema() + "." + target.table())
        + ", N'U') IS NULL CREATE TABLE "
        + sql.table()
        + columnsWithRunId(sql)
        + tableOptions();
  }

  /** T-SQL's ALTER TABLE takes {@code ADD}, not {@code ADD COLUMN}. */
  @Override
  String addColumnKeyword() {
    return "ADD";
  }

  @Override
  public String stagingTable(WarehouseSql sql) {
    return identifier(sql.target().schema()) + "." + identifier(stagingName(sql));
  }

  private static String stagingName(WarehouseSql sql) {
    return sql.target().table() + "__lakeroute_stage";
  }

  @Override
  public String dropStaging(WarehouseSql sql) {
    return "IF OBJECT_ID("
        + literal(sql.target().schema() + "." + stagingName(sql))
        + ", N'U') IS NOT NULL DROP TABLE "
        + stagingTable(sql);
  }

  @Override
  public String createStaging(WarehouseSql sql) {
    return "CREATE TABLE " + stagingTable(sql) + tableOptions() + " AS " + sql.emptySelect();
  }

  @Override
  public String loadStatement(WarehouseSql sql) {
    Manifest manifest = sql.manifest();
    String sasToken = sql.storageCredential();
    List<String> options = new ArrayList<>();
    options.add("FILE_TYPE = " + plain(manifest.format().toUpperCase(Locale.ROOT)));
    options.add(
        "CREDENTIAL = ("
            + (sasToken == null
                ? "IDENTITY = 'Managed Identity'"
                : "IDENTITY = 'Shared Access Signature', SECRET = " + plain(sasToken))
            + ")");
    Manifest.Csv csv = manifest.csv();
    if (csv != null) {
      options.add("FIELDQUOTE = " + plain(csv.quote()));
      options.add("FIELDTERMINATOR = " + plain(csv.delimiter()));
      options.add("ROWTERMINATOR = " + plain(csv.lineEnding().equals("LF") ? "0x0A" : "0x0D0A"));
      options.add("FIRSTROW = " + (csv.header() ? 2 : 1));
      options.add("ENCODING = 'UTF8'");
      options.add("DATEFORMAT = 'ymd'");
      if (manifest.codec().equals("gzip")) {
        options.add("COMPRESSION = 'GZIP'");
      }
    }
    options.add("MAXERRORS = 0");
    return "COPY INTO "
        + stagingTable(sql)
        + " ("
        + sql.columnNames()
        + ")\nFROM "
        + manifest.files().stream()
            .map(f -> plain(httpsUrl(f.uri())))
            .collect(Collectors.joining(",\n  "))
        + "\nWITH (\n  "
        + String.join(",\n  ", options)
        + "\n)";
  }

  @Override
  public Optional<String> loadedCount(WarehouseSql sql) {
    return Optional.of("SELECT COUNT_BIG(*) FROM " + stagingTable(sql));
  }

  /**
   * The {@code https://} URL Synapse reads: {@code azfs://account/container/path} is the blob at
   * {@code https://account.blob.core.windows.net/container/path}.
   */
  static String httpsUrl(String uri) {
    if (uri.startsWith("azfs://")) {
      String rest = uri.substring("azfs://".length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        return "https://"
            + rest.substring(0, slash)
            + ".blob.core.windows.net"
            + rest.substring(slash);
      }
    }
    if (uri.startsWith("https://")) {
      return uri;
    }
    throw new IllegalArgumentException(
        "Synapse's COPY INTO reads Azure Blob Storage: deliver to azfs://account/container/…, not "
            + uri);
  }

  @Override
  String federationType() {
    return "sqldw";
  }

  @Override
  int defaultPort() {
    return 1433;
  }

  @Override
  public FingerprintSql fingerprintSql() {
    return FingerprintSql.sqlServer();
  }
}
