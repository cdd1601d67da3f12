package io.lakeroute.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.testing.StagedRecords.BadRecord;
import io.lakeroute.testing.StagedRecords.CsvDialect;
import io.lakeroute.testing.StagedRecords.Record;
import io.lakeroute.testing.StagingLoad.Column;
import io.lakeroute.testing.StagingLoad.StagedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Redshift's {@code COPY} on the PostgreSQL stand-in: the statement as Redshift takes it ({@code
 * COPY t FROM 's3://…' IAM_ROLE '…' [MANIFEST] FORMAT AS CSV|JSON|AVRO|PARQUET} with {@code QUOTE
 * AS}, {@code DELIMITER}, {@code IGNOREHEADER}, {@code NULL AS}, {@code GZIP}, {@code DATEFORMAT},
 * {@code TIMEFORMAT}, {@code ENCODING}, {@code MAXERROR}), the manifest and exactly the objects it
 * lists read from S3Mock, each decoded with the statement's options, the rows inserted in one
 * transaction. Redshift's rules are kept where a wrong statement would fail on Redshift: an unknown
 * or repeated option, an option the format does not take, a missing mandatory object, a {@code
 * content_length} that differs (or is missing for Parquet), columnar files matched to the table by
 * position and count, JSON and Avro by name. A rejected row fails the COPY with Redshift's message
 * and lands in the session's {@code stl_load_errors}; {@code pg_last_copy_count()} answers with the
 * rows of the last COPY.
 *
 * <p>What it does not model: other credentials than {@code IAM_ROLE} (the role is checked for its
 * form only), compressions other than GZIP, Redshift's pipe-delimited default format, JSONPaths
 * files, and {@code 'auto'} date and time recognition beyond ISO-8601.
 */
final class RedshiftCopy implements BulkLoad {
  private static final Pattern COPY = Pattern.compile("(?is)\\s*COPY\\s.*");
  private static final Pattern LAST_COPY_COUNT =
      Pattern.compile("(?is)\\s*SELECT\\s+pg_last_copy_count\\s*\\(\\s*\\)\\s*;?\\s*");
  private static final Pattern ROLE = Pattern.compile("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]+");
  private static final Pattern S3_URI = Pattern.compile("s3://([^/]+)/(.*)");
  private static final Set<String> COLUMNAR_OPTIONS = Set.of("IAM_ROLE", "MANIFEST", "FORMAT");

  /** A statement the next COPY runs after its rows are in, on the COPY's session; null for none. */
  private static volatile String afterNextCopy;

  private final String endpoint;
  private S3Client s3;
  private long lastCopyCount = -1;

  /**
   * @param endpoint S3Mock's {@code http://host:port}, which every {@code s3://} URI reaches
   */
  RedshiftCopy(String endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Makes the next COPY (in any session) run {@code postgresSql} on its session once its rows are
   * in its table, as if the load had changed them as it read the files (a time zone, a NULL text):
   * e.g. an {@code UPDATE} of the staging table.
   */
  static void afterNextCopy(String postgresSql) {
    afterNextCopy = postgresSql;
  }

  @Override
  public boolean isLoad(String sql) {
    return COPY.matcher(sql).matches();
  }

  @Override
  public String query(String sql) {
    return LAST_COPY_COUNT.matcher(sql).matches()
        ? "SELECT CAST(" + lastCopyCount + " AS BIGINT) AS pg_last_copy_count"
        : sql;
  }

  /** The statement's parts. */
  private static final class Copy {
    String table;
    List<String> columns = new ArrayList<>();
    String from;
    final Map<String, Object> options = new LinkedHashMap<>();
    String format = "TEXT";
    String formatArgument;

    String text(String option) {
      return (String) options.get(option);
    }
  }

  @Override
  public long load(Connection connection, String sql) throws SQLException {
    // Like Redshift's, the count of a COPY that fails is no count.
    lastCopyCount = -1;
    systemTables(connection);
    Copy copy = parse(sql);
    check(copy);
    StagingLoad load = new StagingLoad(connection, copy.table, copy.columns, true);
    List<StagedFile> files = new ArrayList<>();
    for (Map.Entry<String, byte[]> object : objects(copy).entrySet()) {
      try {
        files.add(new StagedFile(object.getKey(), decode(copy, object.getValue())));
      } catch (BadRecord e) {
        throw failed(
            connection,
            copy,
            List.of(new StagingLoad.Rejected(object.getKey(), e.line, "", e.getMessage(), "")));
      } catch (IOException | RuntimeException e) {
        throw new SQLException(
            "Error reading " + object.getKey() + " as " + copy.format + ": " + e.getMessage(),
            "XX000");
      }
    }
    long maxErrors = copy.options.containsKey("MAXERROR") ? (Long) copy.options.get("MAXERROR") : 0;
    try {
      long count = load.load(files, mapping(copy, load.columns()), (int) maxErrors);
      String change = afterNextCopy;
      afterNextCopy = null;
      if (change != null) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(change);
        }
      }
      lastCopyCount = count;
      return lastCopyCount;
    } catch (StagingLoad.Failed e) {
      throw failed(connection, copy, e.rejected);
    }
  }

  private static Copy parse(String sql) throws SQLException {
    SqlTokens tokens = SqlTokens.of(sql);
    Copy copy = new Copy();
    tokens.expect("COPY");
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
    copy.from = tokens.string();
    while (!tokens.atEnd()) {
      SqlTokens.Token at = tokens.peek();
      String option = tokens.word();
      Object value;
      switch (option) {
        case "IAM_ROLE":
        case "NULL":
        case "DATEFORMAT":
        case "TIMEFORMAT":
        case "DELIMITER":
        case "QUOTE":
          tokens.accept("AS");
          value = tokens.string();
          break;
        case "IGNOREHEADER":
        case "MAXERROR":
          tokens.accept("AS");
          value = tokens.number();
          break;
        case "ENCODING":
          tokens.accept("AS");
          value = tokens.word();
          break;
        case "MANIFEST":
        case "GZIP":
        case "BZIP2":
        case "ZSTD":
        case "LZOP":
          value = true;
          break;
        case "CSV":
          option = "FORMAT";
          value = "CSV";
          break;
        case "FORMAT":
          tokens.accept("AS");
          value = tokens.word();
          if (!Set.of("CSV", "JSON", "AVRO", "PARQUET", "ORC").contains(value)) {
            throw SqlTokens.syntaxError(at);
          }
          if (!value.equals("CSV") && tokens.peek().type() == SqlTokens.Type.STRING) {
            copy.formatArgument = tokens.string();
          }
          break;
        default:
          throw SqlTokens.syntaxError(at);
      }
      if (copy.options.put(option, value) != null) {
        throw new SQLException("conflicting or redundant options: " + option, "42601");
      }
    }
    if (copy.options.containsKey("FORMAT")) {
      copy.format = copy.text("FORMAT");
    }
    return copy;
  }

  /** Redshift's checks of a statement, before any object is read. */
  private static void check(Copy copy) throws SQLException {
    String role = copy.text("IAM_ROLE");
    if (role == null) {
      throw new SQLException(
          "COPY needs credentials: give IAM_ROLE 'arn:aws:iam::<account>:role/<name>'", "XX000");
    }
    if (!ROLE.matcher(role).matches()) {
      throw new SQLException("Invalid IAM_ROLE ARN '" + role + "'", "XX000");
    }
    switch (copy.format) {
      case "PARQUET":
      case "ORC":
        for (String option : copy.options.keySet()) {
          if (!COLUMNAR_OPTIONS.contains(option)) {
            throw new SQLException(
                "COPY from this file format only accepts IAM_ROLE, CREDENTIALS, STATUPDATE,"
                    + " MANIFEST options; not "
                    + option,
                "XX000");
          }
        }
        if (copy.format.equals("ORC")) {
          throw new SQLException("The stand-in of Redshift reads no ORC", "0A000");
        }
        break;
      case "JSON":
      case "AVRO":
        for (String option : List.of("DELIMITER", "QUOTE", "IGNOREHEADER", "NULL")) {
          if (copy.options.containsKey(option)) {
            throw new SQLException(
                option + " argument is not supported for " + copy.format + " format", "XX000");
          }
        }
        String argument = copy.formatArgument == null ? "auto" : copy.formatArgument;
        if (!argument.equals("auto") && !argument.equals("auto ignorecase")) {
          throw new SQLException(
              "The stand-in of Redshift maps "
                  + copy.format
                  + " fields by name only ('auto' or 'auto ignorecase'), not '"
                  + argument
                  + "'",
              "0A000");
        }
        break;
      case "CSV":
        for (String option : List.of("DELIMITER", "QUOTE")) {
          if (copy.options.containsKey(option) && copy.text(option).length() != 1) {
            throw new SQLException(
                option + " must be a single character, not '" + copy.text(option) + "'", "XX000");
          }
        }
        break;
      default:
        throw new SQLException(
            "The stand-in of Redshift reads FORMAT AS CSV, JSON, AVRO or PARQUET, not Redshift's"
                + " pipe-delimited text: add FORMAT AS",
            "0A000");
    }
    if (copy.options.containsKey("QUOTE") && !copy.format.equals("CSV")) {
      throw new SQLException("QUOTE argument is only supported with CSV format", "XX000");
    }
    for (String compression : List.of("BZIP2", "ZSTD", "LZOP")) {
      if (copy.options.containsKey(compression)) {
        throw new SQLException("The stand-in of Redshift decompresses GZIP only", "0A000");
      }
    }
    charset(copy);
    dateFormat(copy);
    timeFormat(copy);
  }

  /** The objects the COPY reads, by URI, in the manifest's order (or the prefix's). */
  private Map<String, byte[]> objects(Copy copy) throws SQLException {
    Map<String, byte[]> objects = new LinkedHashMap<>();
    if (!copy.options.containsKey("MANIFEST")) {
      String[] prefix = bucketAndKey(copy.from);
      List<S3Object> listed =
          s3()
              .listObjectsV2Paginator(b -> b.bucket(prefix[0]).prefix(prefix[1]))
              .contents()
              .stream()
              .toList();
      if (listed.isEmpty()) {
        throw new SQLException(
            "The specified S3 prefix '" + prefix[1] + "' does not exist", "XX000");
      }
      for (S3Object object : listed) {
        String uri = "s3://" + prefix[0] + "/" + object.key();
        objects.put(uri, get(uri));
      }
      return objects;
    }
    byte[] manifestBytes;
    try {
      manifestBytes = get(copy.from);
    } catch (NoSuchKeyException e) {
      throw new SQLException(
          "Problem reading manifest file - S3ServiceException:The specified key does not"
              + " exist.,Status 404,Error NoSuchKey, "
              + copy.from,
          "XX000");
    }
    JsonNode entries;
    try {
      entries = new ObjectMapper().readTree(manifestBytes).get("entries");
    } catch (IOException e) {
      entries = null;
    }
    if (entries == null || !entries.isArray()) {
      throw new SQLException(
          "Manifest file is not in correct json format: " + copy.from + " has no entries array",
          "XX000");
    }
    for (JsonNode entry : entries) {
      String url = entry.path("url").asText(null);
      if (url == null) {
        throw new SQLException(
            "Manifest file is not in correct json format: an entry has no url", "XX000");
      }
      JsonNode length = entry.path("meta").path("content_length");
      if (copy.format.equals("PARQUET") && !length.isIntegralNumber()) {
        throw new SQLException(
            "Manifest entry " + url + " needs meta.content_length: COPY from PARQUET requires it",
            "XX000");
      }
      byte[] content;
      try {
        content = get(url);
      } catch (NoSuchKeyException e) {
        if (entry.path("mandatory").asBoolean(false)) {
          throw new SQLException(
              "Manifest file entry is not found: mandatory file " + url + " does not exist",
              "XX000");
        }
        continue;
      }
      if (length.isIntegralNumber() && length.asLong() != content.length) {
        throw new SQLException(
            "Manifest entry "
                + url
                + " has content_length "
                + length.asLong()
                + ", the object has "
                + content.length
                + " bytes",
            "XX000");
      }
      if (objects.put(url, content) != null) {
        throw new SQLException("Manifest file lists " + url + " twice", "XX000");
      }
    }
    return objects;
  }

  private byte[] get(String uri) throws SQLException {
    String[] location = bucketAndKey(uri);
    try {
      return s3().getObjectAsBytes(b -> b.bucket(location[0]).key(location[1])).asByteArray();
    } catch (NoSuchKeyException e) {
      throw e;
    } catch (SdkException e) {
      throw new SQLException("S3ServiceException reading " + uri + ": " + e.getMessage(), "XX000");
    }
  }

  private static String[] bucketAndKey(String uri) throws SQLException {
    Matcher m = S3_URI.matcher(uri);
    if (!m.matches()) {
      throw new SQLException("Invalid S3 URI '" + uri + "': COPY reads s3://bucket/key", "XX000");
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private List<Record> decode(Copy copy, byte[] content) throws IOException, SQLException {
    byte[] bytes =
        copy.options.containsKey("GZIP")
            ? new GZIPInputStream(new ByteArrayInputStream(content)).readAllBytes()
            : content;
    switch (copy.format) {
      case "CSV":
        long skip =
            copy.options.containsKey("IGNOREHEADER") ? (Long) copy.options.get("IGNOREHEADER") : 0;
        return StagedRecords.csv(
            bytes,
            new CsvDialect(
                copy.options.containsKey("DELIMITER") ? copy.text("DELIMITER").charAt(0) : ',',
                copy.options.containsKey("QUOTE") ? copy.text("QUOTE").charAt(0) : '"',
                copy.options.containsKey("NULL") ? copy.text("NULL") : "",
                (int) skip,
                null,
                charset(copy)));
      case "JSON":
        return StagedRecords.json(bytes, charset(copy));
      case "AVRO":
        return StagedRecords.avro(bytes);
      default:
        return StagedRecords.parquet(bytes);
    }
  }

  /** Records to the table's columns: by position (CSV, Parquet) or by name (JSON, Avro). */
  private static StagingLoad.Mapping mapping(Copy copy, List<Column> columns) throws SQLException {
    List<String> names = columns.stream().map(Column::name).toList();
    boolean ignoreCase = "auto ignorecase".equals(copy.formatArgument);
    DateTimeFormatter dates = dateFormat(copy);
    DateTimeFormatter times = timeFormat(copy);
    return record -> {
      List<Object> values;
      switch (copy.format) {
        case "CSV":
          values = StagedRecords.forColumns(record, names, false);
          break;
        case "PARQUET":
          if (record.values().size() != names.size()) {
            throw new BadRecord(
                record.line(),
                "Unmatched number of columns between table and file. Table columns: "
                    + names.size()
                    + ", Data columns: "
                    + record.values().size());
          }
          return StagedRecords.byPosition(record, names);
        default:
          values = StagedRecords.forColumns(record, names, ignoreCase);
      }
      List<Object> converted = new ArrayList<>(values);
      for (int i = 0; i < converted.size(); i++) {
        if (converted.get(i) instanceof String text) {
          converted.set(i, StagingLoad.temporal(record.line(), columns.get(i), text, dates, times));
        }
      }
      return converted;
    };
  }

  private static Charset charset(Copy copy) throws SQLException {
    String encoding = copy.options.containsKey("ENCODING") ? copy.text("ENCODING") : "UTF8";
    switch (encoding) {
      case "UTF8":
        return StandardCharsets.UTF_8;
      case "UTF16":
        return StandardCharsets.UTF_16;
      case "UTF16LE":
        return StandardCharsets.UTF_16LE;
      case "UTF16BE":
        return StandardCharsets.UTF_16BE;
      default:
        throw new SQLException("Invalid ENCODING " + encoding, "XX000");
    }
  }

  private static DateTimeFormatter dateFormat(Copy copy) throws SQLException {
    String format = copy.text("DATEFORMAT");
    return format == null || format.equalsIgnoreCase("auto")
        ? StagingLoad.ISO_DATE
        : pattern(format, "DATEFORMAT");
  }

  private static DateTimeFormatter timeFormat(Copy copy) throws SQLException {
    String format = copy.text("TIMEFORMAT");
    return format == null || format.equalsIgnoreCase("auto")
        ? StagingLoad.ISO_TIMESTAMP
        : pattern(format, "TIMEFORMAT");
  }

  /** Redshift's datetime format strings (YYYY, MM, MON, DD, HH24, HH, MI, SS, AM) in Java's. */
  private static DateTimeFormatter pattern(String format, String option) throws SQLException {
    StringBuilder java = new StringBuilder();
    Matcher tokens =
        Pattern.compile("YYYY|YY|MON|MM|DD|HH24|HH12|HH|MI|SS|AM|PM|[^A-Za-z]+|[A-Za-z]+")
            .matcher(format);
    Map<String, String> known =
        Map.ofEntries(
            Map.entry("YYYY", "uuuu"),
            Map.entry("YY", "uu"),
            Map.entry("MON", "MMM"),
            Map.entry("MM", "MM"),
            Map.entry("DD", "dd"),
            Map.entry("HH24", "HH"),
            Map.entry("HH12", "hh"),
            Map.entry("HH", "hh"),
            Map.entry("MI", "mm"),
            Map.entry("SS", "ss"),
            Map.entry("AM", "a"),
            Map.entry("PM", "a"));
    while (tokens.find()) {
      String token = tokens.group();
      if (Character.isLetter(token.charAt(0))) {
        String mapped = known.get(token);
        if (mapped == null) {
          throw new SQLException(
              "Invalid " + option + " '" + format + "': unknown part " + token, "XX000");
        }
        java.append(mapped);
      } else {
        java.append('\'').append(token.replace("'", "''")).append('\'');
      }
    }
    return DateTimeFormatter.ofPattern(java.toString(), Locale.ROOT);
  }

  /**
   * The session's {@code stl_load_errors}, which Redshift always has: a temporary table, so the
   * query of a failed COPY's errors runs on the stand-in as written.
   */
  private static void systemTables(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TEMP TABLE IF NOT EXISTS stl_load_errors (session INTEGER, starttime TIMESTAMP,"
              + " filename VARCHAR(256), line_number BIGINT, colname VARCHAR(127), err_reason"
              + " VARCHAR(100), raw_field_value VARCHAR(1024))");
    }
  }

  /**
   * Redshift's failed COPY: the rejected rows in the session's {@code stl_load_errors}, which the
   * message points to.
   */
  private static SQLException failed(
      Connection connection, Copy copy, List<StagingLoad.Rejected> rejected) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO stl_load_errors VALUES (pg_backend_pid(), clock_timestamp(), ?, ?, ?, ?,"
                + " ?)")) {
      for (StagingLoad.Rejected one : rejected) {
        insert.setString(1, one.file());
        insert.setLong(2, one.line());
        insert.setString(3, one.column());
        insert.setString(4, truncate(one.reason(), 100));
        insert.setString(5, truncate(one.value(), 1024));
        insert.executeUpdate();
      }
    }
    return new SQLException(
        "Load into table '"
            + copy.table.replace("\"", "")
            + "' failed.  Check 'stl_load_errors' system table for details.",
        "XX000");
  }

  private static String truncate(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length);
  }

  private synchronized S3Client s3() {
    if (s3 == null) {
      s3 =
          S3Client.builder()
              .endpointOverride(URI.create(endpoint))
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create("redshift-role", "assumed")))
              .forcePathStyle(true)
              .httpClientBuilder(ApacheHttpClient.builder())
              .build();
    }
    return s3;
  }

  @Override
  public synchronized void close() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }
}
