package io.lakeroute.pipelines.config;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one table from the library's vocabulary to the launcher's flags. The transforms name a
 * setting by the method that sets it ({@code JdbcSource.withFetchSize}); a command-line user sets
 * it with a flag ({@code --fetchSize}). {@link #toFlags} rewrites a library message for that user:
 *
 * <pre>
 * The fetch size (JdbcSource.withFetchSize) must be …  →  The fetch size (--fetchSize) must be …
 * CsvOptions.withQuoteMode(some) is not valid …        →  --csvQuoteMode=some is not valid …
 * </pre>
 *
 * <p>A token is {@code Class.method} or, where only one class has that method, the bare method
 * name; a call with one plain argument becomes {@code --flag=argument}. Text the table does not
 * know is left alone.
 */
public final class FlagVocabulary {
  /** Library setting → the flag that feeds it (see RouteConfig and WarehouseConfig). */
  private static final Map<String, String> FLAGS = table();

  /** The bare method names only one class uses, with their flags. */
  private static final Map<String, String> BARE = unambiguous(FLAGS);

  /**
   * A known token, optionally followed by {@code ()} or one argument without blanks or brackets; a
   * bare name counts only when no class name or dot precedes it.
   */
  private static final Pattern TOKEN =
      Pattern.compile(
          "(?:\\b("
              + alternatives(FLAGS)
              + ")|(?<![\\w.])("
              + alternatives(BARE)
              + "))\\b(?:\\(([^()\\s]*)\\))?");

  private FlagVocabulary() {}

  private static Map<String, String> table() {
    Map<String, String> flags = new LinkedHashMap<>();
    // Source and query (io.lakeroute.query).
    flags.put("JdbcSource.withFetchSize", "--fetchSize");
    flags.put("JdbcSource.withStallTimeout", "--stallTimeoutSeconds");
    flags.put("JdbcSource.withVerifySource", "--verifySource");
    flags.put("JdbcSource.withZeroDate", "--mariaDbZeroDate");
    flags.put("Partitioning.onColumn", "--partitionColumn");
    flags.put("Partitioning.withPartitions", "--partitions");
    flags.put("Partitioning.withMaxRowsPerFile", "--maxRowsPerFile");
    flags.put("Cursor.on", "--cursorColumn");
    flags.put("Cursor.withLag", "--cursorLag");
    flags.put("Cursor.latestPer", "the merge keys, --…MergeKeys");
    // Files (io.lakeroute.formats, io.lakeroute.delivery).
    flags.put("FileFormat.of", "--format");
    flags.put("WriteQueryFiles.withFormat", "--format");
    flags.put("FormatSpec.withCodec", "--compression");
    flags.put("CsvOptions.withHeader", "--csvHeader");
    flags.put("CsvOptions.withDelimiter", "--csvDelimiter");
    flags.put("CsvOptions.withQuote", "--csvQuote");
    flags.put("CsvOptions.withEscape", "--csvEscape");
    flags.put("CsvOptions.withQuoteMode", "--csvQuoteMode");
    flags.put("CsvOptions.withNullString", "--csvNullString");
    flags.put("CsvOptions.withLineEnding", "--csvLineEnding");
    // Warehouses (io.lakeroute.warehouse).
    flags.put("WarehouseTarget.withWarehouseSchema", "--warehouseSchema");
    flags.put("WarehouseTarget.withWarehouseTable", "--warehouseTable");
    flags.put("WarehouseTarget.withWarehouseDisposition", "--warehouseDisposition");
    flags.put("WarehouseTarget.withMergeKeys", "--warehouseMergeKeys");
    flags.put("WarehouseTarget.withSoftDeleteColumn", "--softDeleteColumn");
    flags.put("WarehouseTarget.withAddColumns", "--warehouseAddColumns");
    flags.put("WarehouseConnection.withJdbcUrl", "--warehouseJdbcUrl");
    flags.put("WarehouseConnection.withUser", "--warehouseUser");
    flags.put(
        "WarehouseConnection.withPassword", "--warehousePasswordEnv / --warehousePasswordFile");
    flags.put(
        "WarehouseConnection.withStorageCredential", "--redshiftIamRole / --synapseCredential");
    flags.put("ReadWarehouseInDatabricks.withDatabricksSecret", "--warehouseDatabricksSecret");
    // Databricks (io.lakeroute.databricks).
    flags.put("DatabricksTable.withDatabricksCatalog", "--databricksCatalog");
    flags.put("DatabricksTable.withDatabricksSchema", "--databricksSchema");
    flags.put("DatabricksTable.withDatabricksTable", "--databricksTable");
    flags.put("DatabricksTarget.withDatabricksMode", "--databricksMode");
    flags.put("DatabricksTarget.withDatabricksDisposition", "--databricksDisposition");
    flags.put("DatabricksTarget.withDatabricksDialect", "--databricksDialect");
    flags.put("DatabricksTarget.withDatabricksMergeKeys", "--databricksMergeKeys");
    flags.put("DatabricksTarget.withDatabricksSoftDeleteColumn", "--softDeleteColumn");
    flags.put("DatabricksTarget.withDatabricksLoad", "--databricksLoad");
    flags.put("DatabricksConnection.withHost", "--databricksHost");
    flags.put("DatabricksConnection.withHttpPath", "--databricksHttpPath");
    flags.put("DatabricksConnection.withUrl", "--databricksJdbcUrl");
    flags.put("DatabricksConnection.withToken", "--databricksTokenEnv / --databricksTokenFile");
    flags.put("DatabricksConnection.withClientId", "--databricksClientId");
    flags.put(
        "DatabricksConnection.withClientSecret",
        "--databricksClientSecretEnv / --databricksClientSecretFile");
    // BigQuery (io.lakeroute.bigquery).
    flags.put("BigQueryTarget.withBigQueryTable", "--bigQueryTable");
    flags.put("BigQueryTarget.withBigQueryDisposition", "--bigQueryDisposition");
    flags.put("BigQueryTarget.withBigQueryMergeKeys", "--bigQueryMergeKeys");
    flags.put("BigQueryTarget.withBigQuerySoftDeleteColumn", "--softDeleteColumn");
    return Collections.unmodifiableMap(flags);
  }

  /** The method names of {@code flags} that only one class uses, with their flags. */
  static Map<String, String> unambiguous(Map<String, String> flags) {
    Map<String, String> bare = new HashMap<>();
    Map<String, Integer> uses = new HashMap<>();
    flags.forEach(
        (token, flag) -> {
          String method = token.substring(token.lastIndexOf('.') + 1);
          if (method.startsWith("with")) {
            uses.merge(method, 1, Integer::sum);
            bare.put(method, flag);
          }
        });
    bare.keySet().removeIf(method -> uses.get(method) > 1);
    return Collections.unmodifiableMap(bare);
  }

  /** Longest first, so that {@code withQuoteMode} is not read as {@code withQuote}. */
  private static String alternatives(Map<String, String> tokens) {
    return tokens.keySet().stream()
        .sorted(Comparator.comparing(String::length).reversed())
        .map(Pattern::quote)
        .collect(Collectors.joining("|"));
  }

  /** {@code message} with every known library token replaced by its flag. */
  public static String toFlags(String message) {
    if (message == null) {
      return null;
    }
    Matcher matcher = TOKEN.matcher(message);
    StringBuilder out = new StringBuilder(message.length());
    while (matcher.find()) {
      String flag =
          matcher.group(1) != null ? FLAGS.get(matcher.group(1)) : BARE.get(matcher.group(2));
      String argument = matcher.group(3);
      String replacement = argument == null || argument.isEmpty() ? flag : flag + "=" + argument;
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * The flag a library token stands for: {@code Class.method}, or a bare method name only one class
   * uses.
   */
  public static Optional<String> flagOf(String token) {
    return Optional.ofNullable(FLAGS.getOrDefault(token, BARE.get(token)));
  }
}
