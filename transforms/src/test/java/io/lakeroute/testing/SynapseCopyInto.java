package io.lakeroute.testing;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.lakeroute.testing.StagedRecords.BadRecord;
import io.lakeroute.testing.StagedRecords.CsvDialect;
import io.lakeroute.testing.StagedRecords.Record;
import io.lakeroute.testing.StagingLoad.Column;
import io.lakeroute.testing.StagingLoad.StagedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Synapse's {@code COPY INTO} on the H2 stand-in: {@code COPY INTO t (columns) FROM 'https://
 * <account>.blob.core.windows.net/<container>/<path>', … WITH (FILE_TYPE, CREDENTIAL, FIELDQUOTE,
 * FIELDTERMINATOR, ROWTERMINATOR, FIRSTROW, ENCODING, DATEFORMAT, COMPRESSION, MAXERRORS)}, each
 * listed blob (or each one a wildcard matches) read from Azurite with the statement's credential (a
 * Shared Access Signature is sent as given, so a wrong or expired one is refused by Azurite; the
 * workspace's managed identity stands in as the account key), decoded with the statement's options
 * and inserted by position into the listed columns in one transaction. Options that only CSV takes
 * are refused for Parquet, an unknown option is a syntax error, a missing blob fails the load.
 *
 * <p>What it does not model: {@code ERRORFILE}, {@code FILE_FORMAT}, {@code IDENTITY_INSERT},
 * {@code AUTO_CREATE_TABLE}, compressions other than GZIP for CSV, and field mappings ({@code
 * column DEFAULT … n}) in the column list.
 */
final class SynapseCopyInto implements BulkLoad {
  private static final Pattern COPY_INTO = Pattern.compile("(?is)\\s*COPY\\s+INTO\\s.*");
  private static final Pattern BLOB_URL =
      Pattern.compile("https://([a-z0-9]+)\\.blob\\.core\\.windows\\.net/([^/]+)/(.+)");
  private static final Set<String> CSV_ONLY =
      Set.of(
          "FIELDQUOTE", "FIELDTERMINATOR", "ROWTERMINATOR", "FIRSTROW", "ENCODING", "DATEFORMAT");
  private static final Set<String> NOT_MODELLED =
      Set.of(
          "ERRORFILE",
          "ERRORFILE_CREDENTIAL",
          "FILE_FORMAT",
          "IDENTITY_INSERT",
          "AUTO_CREATE_TABLE");

  private final String endpoint;
  private final String account;

  /**
   * @param endpoint Azurite's blob endpoint, {@code http://host:port/<account>}
   */
  SynapseCopyInto(String endpoint) {
    this.endpoint = endpoint;
    this.account = endpoint.substring(endpoint.lastIndexOf('/') + 1);
  }

  @Override
  public boolean isLoad(String sql) {
    return COPY_INTO.matcher(sql).matches();
  }

  @Override
  public String query(String sql) {
    return sql;
  }

  private static final class CopyInto {
    String table;
    final List<String> columns = new ArrayList<>();
    final List<String> from = new ArrayList<>();
    final Map<String, Object> options = new LinkedHashMap<>();

    String text(String option, String otherwise) {
      return options.containsKey(option) ? (String) options.get(option) : otherwise;
    }

    long number(String option, long otherwise) {
      return options.containsKey(option) ? (Long) options.get(option) : otherwise;
    }
  }

  @Override
  public long load(Connection connection, String sql) throws SQLException {
    CopyInto copy = parse(sql);
    String fileType = copy.text("FILE_TYPE", "CSV");
    check(copy, fileType);
    BlobServiceClient blobs = blobs(copy);
    List<StagedFile> files = new ArrayList<>();
    for (String url : copy.from) {
      for (Map.Entry<String, byte[]> blob : read(blobs, url).entrySet()) {
        try {
          files.add(new StagedFile(blob.getKey(), decode(copy, fileType, blob.getValue())));
        } catch (BadRecord e) {
          throw error(blob.getKey(), e.line, "", e.getMessage());
        } catch (IOException | RuntimeException e) {
          throw new SQLException(
              "Cannot bulk load because the file \""
                  + blob.getKey()
                  + "\" could not be read as "
                  + fileType
                  + ": "
                  + e.getMessage(),
              "42000");
        }
      }
    }
    StagingLoad load = new StagingLoad(connection, copy.table, copy.columns, false);
    try {
      return load.load(
          files, mapping(copy, fileType, load.columns()), (int) copy.number("MAXERRORS", 0));
    } catch (StagingLoad.Failed e) {
      StagingLoad.Rejected last = e.rejected.get(e.rejected.size() - 1);
      throw error(last.file(), last.line(), last.column(), last.reason());
    }
  }

  private static SQLException error(String file, long line, String column, String reason) {
    return new SQLException(
        "Bulk load data conversion error (type mismatch or invalid character for the specified"
            + " codepage) for row starting at line "
            + line
            + (column.isEmpty() ? "" : ", column " + column)
            + " in file "
            + file
            + ": "
            + reason,
        "22018");
  }

  private static CopyInto parse(String sql) throws SQLException {
    SqlTokens tokens = SqlTokens.of(sql);
    CopyInto copy = new CopyInto();
    tokens.expect("COPY");
    tokens.expect("INTO");
    copy.table = tokens.identifierText();
    while (tokens.accept(".")) {
      copy.table += "." + tokens.identifierText();
    }
    if (tokens.accept("(")) {
      do {
        copy.columns.add(tokens.identifierText());
      } while (tokens.accept(","));
      tokens.expect(")");
    }
    tokens.expect("FROM");
    do {
      copy.from.add(tokens.string());
    } while (tokens.accept(","));
    if (tokens.accept("WITH")) {
      tokens.expect("(");
      do {
        SqlTokens.Token at = tokens.peek();
        String option = tokens.word();
        tokens.expect("=");
        Object value;
        switch (option) {
          case "FIRSTROW":
          case "MAXERRORS":
            value = tokens.number();
            break;
          case "CREDENTIAL":
          case "ERRORFILE_CREDENTIAL":
            Map<String, String> credential = new LinkedHashMap<>();
            tokens.expect("(");
            do {
              String key = tokens.word();
              tokens.expect("=");
              credential.put(key, tokens.string());
            } while (tokens.accept(","));
            tokens.expect(")");
            value = credential;
            break;
          case "FILE_TYPE":
          case "FIELDQUOTE":
          case "FIELDTERMINATOR":
          case "ROWTERMINATOR":
          case "ENCODING":
          case "DATEFORMAT":
          case "COMPRESSION":
          case "ERRORFILE":
          case "FILE_FORMAT":
          case "IDENTITY_INSERT":
          case "AUTO_CREATE_TABLE":
            value = tokens.string();
            break;
          default:
            throw incorrectSyntax(at);
        }
        if (copy.options.put(option, value) != null) {
          throw new SQLException(
              "Option '" + option + "' is specified more than once in the COPY statement", "42000");
        }
      } while (tokens.accept(","));
      tokens.expect(")");
    }
    if (!tokens.atEnd()) {
      throw incorrectSyntax(tokens.peek());
    }
    return copy;
  }

  /** T-SQL's wording. */
  private static SQLException incorrectSyntax(SqlTokens.Token token) {
    return new SQLException("Incorrect syntax near '" + token.text() + "'.", "42000");
  }

  private static void check(CopyInto copy, String fileType) throws SQLException {
    if (!fileType.equals("CSV") && !fileType.equals("PARQUET") && !fileType.equals("ORC")) {
      throw new SQLException(
          "Invalid value '" + fileType + "' for option FILE_TYPE: use CSV, PARQUET or ORC",
          "42000");
    }
    if (fileType.equals("ORC")) {
      throw new SQLException("The stand-in of Synapse reads no ORC", "0A000");
    }
    for (String option : copy.options.keySet()) {
      if (NOT_MODELLED.contains(option)) {
        throw new SQLException("The stand-in of Synapse does not model " + option, "0A000");
      }
      if (CSV_ONLY.contains(option) && !fileType.equals("CSV")) {
        throw new SQLException(
            "Option '" + option + "' is only supported for FILE_TYPE = 'CSV'", "42000");
      }
    }
    for (String option : List.of("FIELDQUOTE", "FIELDTERMINATOR")) {
      if (copy.options.containsKey(option) && copy.text(option, "").length() != 1) {
        throw new SQLException(
            "The stand-in of Synapse takes a single-character "
                + option
                + ", not '"
                + copy.text(option, "")
                + "'",
            "0A000");
      }
    }
    String compression = copy.text("COMPRESSION", null);
    if (compression != null && fileType.equals("CSV") && !compression.equalsIgnoreCase("GZIP")) {
      throw new SQLException("The stand-in of Synapse decompresses GZIP CSV only", "0A000");
    }
    if (copy.number("FIRSTROW", 1) < 1) {
      throw new SQLException("FIRSTROW must be 1 or more", "42000");
    }
    charset(copy);
    rowTerminator(copy);
    dateFormat(copy);
  }

  /** A client with the statement's credential. */
  @SuppressWarnings("unchecked")
  private BlobServiceClient blobs(CopyInto copy) throws SQLException {
    Map<String, String> credential =
        (Map<String, String>) copy.options.getOrDefault("CREDENTIAL", Map.of());
    String identity = credential.getOrDefault("IDENTITY", "");
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder().endpoint(endpoint);
    switch (identity.toLowerCase(Locale.ROOT)) {
      case "shared access signature":
        String sas = credential.get("SECRET");
        if (sas == null) {
          throw new SQLException("CREDENTIAL with a Shared Access Signature needs SECRET", "42000");
        }
        return builder.sasToken(sas.startsWith("?") ? sas.substring(1) : sas).buildClient();
      case "storage account key":
        return builder
            .credential(
                new StorageSharedKeyCredential(account, credential.getOrDefault("SECRET", "")))
            .buildClient();
      case "managed identity":
      case "":
        // The workspace's identity: Azurite has none, its account key stands in.
        return builder
            .credential(new StorageSharedKeyCredential(account, LocalAzurite.KEY))
            .buildClient();
      default:
        throw new SQLException("Invalid IDENTITY '" + identity + "' in CREDENTIAL", "42000");
    }
  }

  /** The blobs of one FROM location: the blob itself, or every blob its wildcards match. */
  private Map<String, byte[]> read(BlobServiceClient blobs, String url) throws SQLException {
    Matcher m = BLOB_URL.matcher(url);
    if (!m.matches()) {
      throw new SQLException(
          "COPY INTO reads https://<account>.blob.core.windows.net/<container>/<path>, not " + url,
          "42000");
    }
    if (!m.group(1).equals(account)) {
      throw notOpened(url, "2(The system cannot find the file specified.)");
    }
    BlobContainerClient container = blobs.getBlobContainerClient(m.group(2));
    String path = m.group(3);
    Map<String, byte[]> read = new LinkedHashMap<>();
    try {
      if (!path.contains("*")) {
        read.put(url, container.getBlobClient(path).downloadContent().toBytes());
        return read;
      }
      Pattern glob = Pattern.compile(Pattern.quote(path).replace("*", "\\E[^/]*\\Q"));
      String prefix = path.substring(0, path.indexOf('*'));
      for (BlobItem item : container.listBlobsByHierarchy(prefix)) {
        if (!item.isPrefix() && glob.matcher(item.getName()).matches()) {
          BinaryData content = container.getBlobClient(item.getName()).downloadContent();
          read.put(
              url.substring(0, url.length() - path.length()) + item.getName(), content.toBytes());
        }
      }
    } catch (BlobStorageException e) {
      throw notOpened(
          url,
          e.getStatusCode() == 404
              ? "2(The system cannot find the file specified.)"
              : "5(Access is denied.)");
    }
    if (read.isEmpty()) {
      throw notOpened(url, "2(The system cannot find the file specified.)");
    }
    return read;
  }

  private static SQLException notOpened(String url, String code) {
    return new SQLException(
        "Cannot bulk load because the file \""
            + url
            + "\" could not be opened. Operating system error code "
            + code,
        "42000");
  }

  private List<Record> decode(CopyInto copy, String fileType, byte[] content)
      throws IOException, SQLException {
    if (fileType.equals("PARQUET")) {
      return StagedRecords.parquet(content);
    }
    byte[] bytes =
        copy.options.containsKey("COMPRESSION")
            ? new GZIPInputStream(new ByteArrayInputStream(content)).readAllBytes()
            : content;
    return StagedRecords.csv(
        bytes,
        new CsvDialect(
            copy.text("FIELDTERMINATOR", ",").charAt(0),
            copy.text("FIELDQUOTE", "\"").charAt(0),
            "",
            (int) copy.number("FIRSTROW", 1) - 1,
            rowTerminator(copy),
            charset(copy)));
  }

  /** Fields to the listed columns by position; date and time text parsed as T-SQL does. */
  private static StagingLoad.Mapping mapping(CopyInto copy, String fileType, List<Column> columns)
      throws SQLException {
    List<String> names = columns.stream().map(Column::name).toList();
    DateTimeFormatter dates = dateFormat(copy);
    return record -> {
      if (fileType.equals("PARQUET") && record.values().size() != names.size()) {
        throw new BadRecord(
            record.line(),
            "The number of columns in the file ("
                + record.values().size()
                + ") does not match the column list ("
                + names.size()
                + ")");
      }
      List<Object> values = new ArrayList<>(StagedRecords.byPosition(record, names));
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) instanceof String text) {
          values.set(
              i,
              StagingLoad.temporal(
                  record.line(), columns.get(i), text, dates, StagingLoad.ISO_TIMESTAMP));
        }
      }
      return values;
    };
  }

  private static Charset charset(CopyInto copy) throws SQLException {
    String encoding = copy.text("ENCODING", "UTF8").toUpperCase(Locale.ROOT);
    switch (encoding) {
      case "UTF8":
        return StandardCharsets.UTF_8;
      case "UTF16":
        return StandardCharsets.UTF_16;
      default:
        throw new SQLException(
            "Invalid value '" + encoding + "' for option ENCODING: use UTF8 or UTF16", "42000");
    }
  }

  /**
   * The row terminator: hexadecimal ({@code 0x0A}) as given; {@code \n} means CR LF, as in SQL
   * Server's bulk loads, so only the hexadecimal form names a bare LF.
   */
  private static String rowTerminator(CopyInto copy) throws SQLException {
    String given = copy.text("ROWTERMINATOR", "\\r\\n");
    if (given.matches("(?i)0x([0-9a-f]{2})+")) {
      StringBuilder terminator = new StringBuilder();
      for (int i = 2; i < given.length(); i += 2) {
        terminator.append((char) Integer.parseInt(given.substring(i, i + 2), 16));
      }
      return terminator.toString();
    }
    String unescaped = given.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    if (unescaped.equals("\n")) {
      return "\r\n";
    }
    if (unescaped.isEmpty()) {
      throw new SQLException("ROWTERMINATOR must not be empty", "42000");
    }
    return unescaped;
  }

  /**
   * DATEFORMAT: the order of day, month and year in a date written with {@code -}, {@code /} or
   * {@code .}; ISO-8601 dates ({@code yyyy-mm-dd}) read the same under every order.
   */
  private static DateTimeFormatter dateFormat(CopyInto copy) throws SQLException {
    String order = copy.text("DATEFORMAT", "ymd").toLowerCase(Locale.ROOT);
    if (!Set.of("ymd", "ydm", "mdy", "myd", "dmy", "dym").contains(order)) {
      throw new SQLException(
          "Invalid value '" + order + "' for option DATEFORMAT: use mdy, dmy, ymd, ydm, myd or dym",
          "42000");
    }
    DateTimeFormatterBuilder builder =
        new DateTimeFormatterBuilder().appendOptional(StagingLoad.ISO_DATE);
    for (String separator : List.of("/", "-", ".")) {
      StringBuilder pattern = new StringBuilder();
      for (char part : order.toCharArray()) {
        if (pattern.length() > 0) {
          pattern.append('\'').append(separator).append('\'');
        }
        pattern.append(part == 'y' ? "uuuu" : part == 'm' ? "M" : "d");
      }
      builder.optionalStart().appendPattern(pattern.toString()).optionalEnd();
    }
    return builder.toFormatter(Locale.ROOT);
  }

  @Override
  public void close() {}
}
