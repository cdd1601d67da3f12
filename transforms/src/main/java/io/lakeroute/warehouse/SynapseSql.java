package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Azure Synapse Analytics (dedicated SQL pool): {@code COPY INTO} a staging table from exactly the
 * run's files in Azure Blob Storage (their {@code https://} URLs, listed one by one), with the CSV
 * options that match what was written, then the disposition in one transaction. T-SQL types:
 * DECIMAL(p,s), DATETIME2(6), DATETIMEOFFSET(6), BIT, NVARCHAR(MAX).
 *
 * <p>On the H2 stand-in ({@code MODE=MSSQLServer}), {@link #standInLoad(String)} is the nearest
 * equivalent of COPY INTO: {@code INSERT … SELECT … FROM CSVREAD(?)} per staged CSV file, and the
 * DDL without Synapse's {@code WITH (DISTRIBUTION …)} and {@code IF OBJECT_ID} batches.
 */
public final class SynapseSql extends WarehouseSql {
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private final boolean standIn;
  private final String sasToken;

  /**
   * @param sasToken a Shared Access Signature for the container, or null to read with the
   *     workspace's managed identity
   */
  public SynapseSql(
      WarehouseTarget target, Manifest manifest, WarehouseDialect dialect, String sasToken) {
    super(target, manifest);
    this.standIn = dialect == WarehouseDialect.H2;
    this.sasToken = sasToken;
    if (!manifest.format().equals("csv") && !manifest.format().equals("parquet")) {
      throw new IllegalArgumentException(
          "Synapse's COPY INTO reads CSV and Parquet, not "
              + manifest.format()
              + ": deliver with --format=parquet or --format=csv");
    }
    Manifest.Csv csv = manifest.csv();
    if (csv != null
        && (csv.quoteMode().equals("none")
            || csv.escape() != null
            || !csv.nullString().isEmpty())) {
      throw new IllegalArgumentException(
          "Synapse's COPY INTO reads CSV with doubled quotes and NULL as an empty field: deliver"
              + " with --csvQuoteMode=minimal or all, without --csvEscape, and --csvNullString=\"\"");
    }
  }

  @Override
  protected String identifier(String name) {
    return "[" + name.replace("]", "]]") + "]";
  }

  @Override
  protected String literal(String text) {
    return "N" + plain(text);
  }

  /** {@code 'text'}: COPY INTO's options take plain string literals. */
  private static String plain(String text) {
    if (CONTROL.matcher(text).find()) {
      throw new IllegalArgumentException(
          "A value for generated T-SQL holds a control character: "
              + text.replaceAll("\\p{Cntrl}", "?"));
    }
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public String columnType(Manifest.Column column) {
    String type = column.type();
    if (type.startsWith("decimal")) {
      return type.toUpperCase(Locale.ROOT);
    }
    switch (type) {
      case "int16":
        return "SMALLINT";
      case "int32":
        return "INT";
      case "int64":
        return "BIGINT";
      case "float":
        return "REAL";
      case "double":
        return "FLOAT";
      case "boolean":
        return "BIT";
      case "bytes":
        // CSV carries binary as base64 text.
        return isText() ? "NVARCHAR(MAX)" : "VARBINARY(MAX)";
      case "date":
        return "DATE";
      case "timestamp":
        return "DATETIME2(6)";
      case "timestamp_tz":
        // H2 has the SQL standard's name for DATETIMEOFFSET.
        return standIn ? "TIMESTAMP(6) WITH TIME ZONE" : "DATETIMEOFFSET(6)";
      case "time":
        return "NVARCHAR(15)";
      default:
        return "NVARCHAR(MAX)";
    }
  }

  @Override
  protected String addColumnKeyword() {
    return "ADD";
  }

  @Override
  protected String runIdType() {
    return "NVARCHAR(128)";
  }

  @Override
  public String createTable() {
    String columns =
        " (" + columnDefinitions() + ", " + identifier(RUN_ID_COLUMN) + " " + runIdType() + ")";
    if (standIn) {
      return "CREATE TABLE IF NOT EXISTS " + table() + columns;
    }
    // HEAP: a clustered columnstore index would refuse NVARCHAR(MAX) on older pools.
    return "IF OBJECT_ID("
        + literal(target.schema() + "." + target.table())
        + ", N'U') IS NULL CREATE TABLE "
        + table()
        + columns
        + " WITH (DISTRIBUTION = ROUND_ROBIN, HEAP)";
  }

  @Override
  public String stagingTable() {
    return identifier(target.schema()) + "." + identifier(stagingName());
  }

  private String stagingName() {
    return target.table() + "__lakeroute_stage";
  }

  @Override
  public String dropStaging() {
    if (standIn) {
      return "DROP TABLE IF EXISTS " + stagingTable();
    }
    return "IF OBJECT_ID("
        + literal(target.schema() + "." + stagingName())
        + ", N'U') IS NOT NULL DROP TABLE "
        + stagingTable();
  }

  @Override
  public String createStaging() {
    return "CREATE TABLE "
        + stagingTable()
        + (standIn ? "" : " WITH (DISTRIBUTION = ROUND_ROBIN, HEAP)")
        + " AS "
        + emptySelect();
  }

  @Override
  public String load() {
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
        + stagingTable()
        + " ("
        + columnNames()
        + ")\nFROM "
        + files().stream().map(f -> plain(httpsUrl(f.uri()))).collect(Collectors.joining(",\n  "))
        + "\nWITH (\n  "
        + String.join(",\n  ", options)
        + "\n)";
  }

  @Override
  public String loadedCount() {
    return "SELECT " + (standIn ? "COUNT(*)" : "COUNT_BIG(*)") + " FROM " + stagingTable();
  }

  /**
   * H2's nearest equivalent of COPY INTO, for one staged CSV file copied to {@code localPath}
   * (CSVREAD takes no parameter): the text of every field cast to the column's type. H2 reads a
   * quoted empty field as an empty string and an unquoted one as NULL, as the files mean them, and
   * would trim unquoted values unless told to preserve whitespace.
   */
  public String standInLoad(String localPath) {
    Manifest.Csv csv = manifest.csv();
    if (csv == null) {
      throw new IllegalArgumentException(
          "The H2 stand-in of Synapse loads CSV only (H2 reads no Parquet): deliver with"
              + " --format=csv, or load into Synapse itself");
    }
    List<String> fileColumns = new ArrayList<>();
    for (int i = 0; i < manifest.columns().size(); i++) {
      fileColumns.add(csv.header() ? manifest.columns().get(i).name() : "c" + (i + 1));
    }
    String select =
        java.util.stream.IntStream.range(0, fileColumns.size())
            .mapToObj(
                i ->
                    "CAST("
                        + identifier(fileColumns.get(i))
                        + " AS "
                        + columnType(manifest.columns().get(i)).replace("(MAX)", "")
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
        + stagingTable()
        + " ("
        + columnNames()
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

  /**
   * The {@code https://} URL Synapse reads: {@code azfs://account/container/path} is the blob at
   * {@code https://account.blob.core.windows.net/container/path}. On the stand-in the files are
   * read where they were staged.
   */
  String httpsUrl(String uri) {
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
}
