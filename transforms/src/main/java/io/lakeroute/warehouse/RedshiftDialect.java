package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.formats.ValueText;
import io.lakeroute.sql.ColumnTypes;
import io.lakeroute.sql.JdbcClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Amazon Redshift: {@code COPY … FROM '<manifest>' IAM_ROLE '…' MANIFEST FORMAT AS …} from the
 * delivered S3 files into a temporary staging table, {@code pg_last_copy_count()}, then the
 * disposition in one transaction ({@code DELETE} + {@code INSERT}; Redshift's {@code TRUNCATE}
 * would commit on its own). The Redshift manifest lists exactly the run's files with their sizes,
 * which Redshift requires for Parquet. The storage credential is the ARN of the IAM role Redshift
 * assumes to read the bucket.
 */
class RedshiftDialect extends AbstractDialect {
  private static final long serialVersionUID = 1L;

  /** The Redshift manifest's name in the run directory; hidden from Spark and Databricks. */
  static final String MANIFEST_NAME = "_redshift_manifest.json";

  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\\\]");

  /** Redshift's widest VARCHAR (bytes); binary is VARBYTE, TIMESTAMPTZ its zoned timestamp. */
  static final ColumnTypes TYPES =
      ColumnTypes.standard("VARCHAR(65535)")
          .with("bytes", "VARBYTE(1024000)")
          .with("timestamp_tz", "TIMESTAMPTZ");

  RedshiftDialect() {
    this("redshift", "Redshift", TYPES, Set.of("parquet", "avro", "json", "csv"));
  }

  RedshiftDialect(String id, String name, ColumnTypes types, Set<String> formats) {
    super(id, name, types, formats);
  }

  @Override
  public Set<String> stagingSchemes() {
    return Set.of("s3");
  }

  @Override
  public String defaultSchema() {
    return "public";
  }

  @Override
  public String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  @Override
  public String literal(String text) {
    if (UNSAFE.matcher(text).find()) {
      throw new IllegalArgumentException(
          "A value for generated Redshift SQL holds a backslash or control character: "
              + text.replaceAll("\\p{Cntrl}", "?"));
    }
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public String runIdType() {
    return "VARCHAR(128)";
  }

  @Override
  public void checkStorageCredential(String iamRole) {
    if (iamRole == null || !iamRole.startsWith("arn:aws:iam::")) {
      throw new IllegalArgumentException(NO_ROLE);
    }
  }

  private static final String NO_ROLE =
      "Redshift reads S3 with an IAM role: give its ARN, arn:aws:iam::<account>:role/<name>, as"
          + " the storage credential (withStorageCredential)";

  /** The ARN names a role; it is no secret, and a message naming it helps. */
  @Override
  public Optional<String> storageSecret(String storageCredential) {
    return Optional.empty();
  }

  @Override
  public void check(WarehouseSql sql) {
    super.check(sql);
    WarehouseTarget target = sql.target();
    for (String name : List.of(target.schema(), target.table())) {
      if (!name.equals(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "Redshift folds names to lower case: give the warehouse schema"
                + " (withWarehouseSchema) and table (withWarehouseTable) in lower case, not "
                + name);
      }
    }
    Manifest.Csv csv = sql.manifest().csv();
    if (csv != null && (csv.quoteMode().equals("none") || csv.escape() != null)) {
      throw new IllegalArgumentException(
          "Redshift's CSV doubles quotes and has no escape character: deliver with the CSV quote"
              + " mode (withQuoteMode) minimal or all and without an escape (withEscape)");
    }
  }

  @Override
  public String stagingTable(WarehouseSql sql) {
    // A temporary table: private to the session, gone with it, never schema-qualified.
    return identifier("lakeroute_stage");
  }

  @Override
  public String createStaging(WarehouseSql sql) {
    return "CREATE TEMP TABLE " + stagingTable(sql) + " AS " + sql.emptySelect();
  }

  /** Where the Redshift manifest is written: next to the run's files. */
  static String manifestUri(Manifest manifest) {
    return manifest.location() + MANIFEST_NAME;
  }

  /**
   * The Redshift manifest: exactly the run's files, each mandatory (a missing file fails the COPY),
   * with the content length Redshift requires for Parquet.
   */
  static String manifestJson(Manifest manifest) {
    return manifest.files().stream()
        .map(
            f ->
                "    {\"url\": \""
                    + jsonEscape(f.uri())
                    + "\", \"mandatory\": true, \"meta\": {\"content_length\": "
                    + f.bytes()
                    + "}}")
        .collect(Collectors.joining(",\n", "{\n  \"entries\": [\n", "\n  ]\n}\n"));
  }

  @Override
  public String loadStatement(WarehouseSql sql) {
    String iamRole = sql.storageCredential();
    if (iamRole == null || iamRole.isBlank()) {
      throw new IllegalArgumentException(NO_ROLE);
    }
    Manifest manifest = sql.manifest();
    List<String> parts = new ArrayList<>();
    parts.add("COPY " + stagingTable(sql));
    parts.add("FROM " + literal(manifestUri(manifest)));
    parts.add("IAM_ROLE " + literal(iamRole));
    parts.add("MANIFEST");
    switch (manifest.format()) {
      case "parquet":
        // Columnar COPY takes no conversion options; the files' types are the table's.
        parts.add("FORMAT AS PARQUET");
        return String.join("\n", parts);
      case "avro":
        parts.add("FORMAT AS AVRO 'auto ignorecase'");
        break;
      case "json":
        parts.add("FORMAT AS JSON 'auto ignorecase'");
        break;
      default:
        Manifest.Csv csv = manifest.csv();
        parts.add("FORMAT AS CSV QUOTE AS " + literal(csv.quote()));
        parts.add("DELIMITER AS " + literal(csv.delimiter()));
        if (csv.header()) {
          parts.add("IGNOREHEADER 1");
        }
        parts.add("NULL AS " + literal(csv.nullString()));
        break;
    }
    if (manifest.codec().equals("gzip")) {
      parts.add("GZIP");
    }
    parts.add("DATEFORMAT " + literal(ValueText.DATE_PATTERN.toUpperCase(Locale.ROOT)));
    // 'auto' reads both shapes written: yyyy-MM-ddTHH:mm:ss.SSSSSS and the same with Z (UTC).
    parts.add("TIMEFORMAT 'auto'");
    parts.add("ENCODING UTF8");
    parts.add("MAXERROR 0");
    return String.join("\n", parts);
  }

  @Override
  public Optional<String> loadedCount(WarehouseSql sql) {
    return Optional.of("SELECT pg_last_copy_count()");
  }

  /** Why Redshift rejected the last COPY of this session: line, column, reason, file. */
  static String loadErrors() {
    return "SELECT line_number, TRIM(colname), TRIM(err_reason), TRIM(filename) FROM"
        + " stl_load_errors WHERE session = pg_backend_pid() ORDER BY starttime DESC LIMIT 5";
  }

  /**
   * Writes the Redshift manifest (exactly this run's files) next to them, then runs the COPY and
   * returns the rows it loaded. Redshift's COPY error only points at {@code stl_load_errors}: its
   * line, column and reason are added to the message.
   */
  @Override
  public long load(JdbcClient client, WarehouseSql sql) throws SQLException, IOException {
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(
                FileSystems.matchNewResource(manifestUri(sql.manifest()), false),
                MimeTypes.TEXT))) {
      out.write(manifestJson(sql.manifest()).getBytes(StandardCharsets.UTF_8));
    }
    try {
      client.execute(loadStatement(sql));
    } catch (SQLException e) {
      throw new SQLException(
          e.getMessage() + "; stl_load_errors: " + client.query(loadErrors()),
          e.getSQLState(),
          e.getErrorCode());
    }
    return Long.parseLong(client.query(loadedCount(sql).orElseThrow()).get(0).get(0));
  }

  @Override
  String federationType() {
    return "redshift";
  }

  @Override
  int defaultPort() {
    return 5439;
  }

  private static String jsonEscape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public FingerprintSql fingerprintSql() {
    return FingerprintSql.redshift();
  }
}
