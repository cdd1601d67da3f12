package io.lakeroute.warehouse;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.formats.ValueText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Amazon Redshift: {@code COPY … FROM '<manifest>' IAM_ROLE '…' MANIFEST FORMAT AS …} from the
 * delivered S3 files into a temporary staging table, {@code pg_last_copy_count()}, then the
 * disposition in one transaction ({@code DELETE} + {@code INSERT}; Redshift's {@code TRUNCATE}
 * would commit on its own). The Redshift manifest lists exactly the run's files with their sizes,
 * which Redshift requires for Parquet.
 *
 * <p>On the PostgreSQL stand-in, {@link #standInLoad()} is the nearest equivalent of the COPY: the
 * same staged CSV files streamed through {@code COPY … FROM STDIN}.
 */
public final class RedshiftSql extends WarehouseSql {
  /** The Redshift manifest's name in the run directory; hidden from Spark and Databricks. */
  public static final String MANIFEST_NAME = "_redshift_manifest.json";

  /** Redshift's widest VARCHAR, in bytes. */
  static final String TEXT = "VARCHAR(65535)";

  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\\\]");

  private final String iamRole;

  /**
   * @param iamRole the ARN of the role Redshift assumes to read the bucket; null on the stand-in
   */
  public RedshiftSql(WarehouseTarget target, Manifest manifest, String iamRole) {
    super(target, manifest);
    this.iamRole = iamRole;
    for (String name : List.of(target.schema(), target.table())) {
      if (!name.equals(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "Redshift folds names to lower case: give --warehouseSchema and --warehouseTable in"
                + " lower case, not "
                + name);
      }
    }
    if (manifest.csv() != null) {
      if (manifest.csv().quoteMode().equals("none") || manifest.csv().escape() != null) {
        throw new IllegalArgumentException(
            "Redshift's CSV doubles quotes and has no escape character: deliver with"
                + " --csvQuoteMode=minimal or all and without --csvEscape");
      }
    }
  }

  @Override
  protected String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  @Override
  protected String literal(String text) {
    if (UNSAFE.matcher(text).find()) {
      throw new IllegalArgumentException(
          "A value for generated Redshift SQL holds a backslash or control character: "
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
        return "INTEGER";
      case "int64":
        return "BIGINT";
      case "float":
        return "REAL";
      case "double":
        return "DOUBLE PRECISION";
      case "boolean":
        return "BOOLEAN";
      case "bytes":
        // CSV and JSON carry binary as base64 text; Redshift reads VARBYTE from them as hex.
        return isText() ? TEXT : "VARBYTE(1024000)";
      case "date":
        return "DATE";
      case "timestamp":
        return "TIMESTAMP";
      case "timestamp_tz":
        return "TIMESTAMPTZ";
      case "time":
        // Written as text in every format (Parquet has no TIME Redshift's COPY reads).
        return "VARCHAR(15)";
      default:
        return TEXT;
    }
  }

  @Override
  protected String addColumnKeyword() {
    return "ADD COLUMN";
  }

  @Override
  protected String runIdType() {
    return "VARCHAR(128)";
  }

  @Override
  public String createTable() {
    return "CREATE TABLE IF NOT EXISTS "
        + table()
        + " ("
        + columnDefinitions()
        + ", "
        + identifier(RUN_ID_COLUMN)
        + " "
        + runIdType()
        + ")";
  }

  @Override
  public String stagingTable() {
    // A temporary table: private to the session, gone with it, never schema-qualified.
    return identifier("lakeroute_stage");
  }

  @Override
  public String dropStaging() {
    return "DROP TABLE IF EXISTS " + stagingTable();
  }

  @Override
  public String createStaging() {
    return "CREATE TEMP TABLE " + stagingTable() + " AS " + emptySelect();
  }

  /** Where the Redshift manifest is written: next to the run's files. */
  public String manifestUri() {
    return manifest.location() + MANIFEST_NAME;
  }

  /**
   * The Redshift manifest: exactly the run's files, each mandatory (a missing file fails the COPY),
   * with the content length Redshift requires for Parquet.
   */
  public String manifestJson() {
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
  public String load() {
    if (iamRole == null || iamRole.isBlank()) {
      throw new IllegalArgumentException(
          "Redshift reads S3 with an IAM role: give --redshiftIamRole=arn:aws:iam::…:role/…");
    }
    List<String> parts = new ArrayList<>();
    parts.add("COPY " + stagingTable());
    parts.add("FROM " + literal(manifestUri()));
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
      case "csv":
        Manifest.Csv csv = manifest.csv();
        parts.add("FORMAT AS CSV QUOTE AS " + literal(csv.quote()));
        parts.add("DELIMITER AS " + literal(csv.delimiter()));
        if (csv.header()) {
          parts.add("IGNOREHEADER 1");
        }
        parts.add("NULL AS " + literal(csv.nullString()));
        break;
      default:
        throw new IllegalArgumentException("Redshift cannot load format " + manifest.format());
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
  public String loadedCount() {
    return "SELECT pg_last_copy_count()";
  }

  /** Why Redshift rejected the last COPY of this session: line, column, reason, file. */
  public String loadErrors() {
    return "SELECT line_number, TRIM(colname), TRIM(err_reason), TRIM(filename) FROM"
        + " stl_load_errors WHERE session = pg_backend_pid() ORDER BY starttime DESC LIMIT 5";
  }

  /**
   * PostgreSQL's nearest equivalent of the COPY, run once per staged file through {@code
   * CopyManager}: the same CSV dialect, so the same rows load or fail.
   */
  public String standInLoad() {
    if (!manifest.format().equals("csv")) {
      throw new IllegalArgumentException(
          "The PostgreSQL stand-in of Redshift loads CSV only (PostgreSQL has no COPY for "
              + manifest.format()
              + "): deliver with --format=csv, or load into Redshift itself");
    }
    Manifest.Csv csv = manifest.csv();
    return "COPY "
        + stagingTable()
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

  private static String jsonEscape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
