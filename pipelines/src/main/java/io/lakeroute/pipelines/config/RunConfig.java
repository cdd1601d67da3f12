package io.lakeroute.pipelines.config;

import io.lakeroute.delivery.Layout;
import io.lakeroute.delivery.StallTimeoutOptions;
import io.lakeroute.formats.CsvOptions;
import io.lakeroute.formats.FileFormat;
import io.lakeroute.formats.FormatSpec;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.Step;
import io.lakeroute.query.Cursor;
import io.lakeroute.query.JdbcSource;
import io.lakeroute.query.Partitioning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;

/**
 * What every route shares, validated and immutable: the source and its query, the files' format,
 * where they go and the run's identity. What a route adds (a warehouse, a Databricks table) is in
 * that route's own config. Every message names the flag at fault; secrets are read from a file or
 * the environment and never echoed.
 *
 * @param missingPassword what to tell when the source refuses the connection and no password was
 *     given (an unset variable reads like a wrong host otherwise), or null when one was
 * @param cursor the incremental read's column and lag, its mark not yet known ({@link
 *     Incremental}); null to read every row
 * @param fullRefresh read every row once despite the cursor, and record a new mark
 * @param fingerprints prove values at every hop (docs/fingerprints.md), not only counts
 */
public record RunConfig(
    JdbcSource source,
    String query,
    Partitioning partitioning,
    FormatSpec format,
    String destination,
    String runId,
    LocalDate logicalDate,
    Step fromStep,
    Duration stagingRetention,
    String missingPassword,
    Cursor cursor,
    boolean fullRefresh,
    boolean fingerprints) {

  /** {@code --stallTimeoutSeconds}, checked: it bounds every connection the run opens. */
  public static Duration stallTimeout(StallTimeoutOptions options) {
    int seconds = options.getStallTimeoutSeconds();
    if (seconds < StallTimeoutOptions.MIN_STALL_TIMEOUT_SECONDS
        || seconds > StallTimeoutOptions.MAX_STALL_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--stallTimeoutSeconds=%d is out of range: give %d to %,d seconds, longer than the"
                  + " source takes to compute the query's first rows",
              seconds,
              StallTimeoutOptions.MIN_STALL_TIMEOUT_SECONDS,
              StallTimeoutOptions.MAX_STALL_TIMEOUT_SECONDS));
    }
    return Duration.ofSeconds(seconds);
  }

  /** Reads and checks the options; {@code env} looks up environment variables. */
  public static RunConfig from(RouteOptions options, Function<String, String> env) {
    return from(options, env, Clock.systemUTC());
  }

  static RunConfig from(RouteOptions options, Function<String, String> env, Clock clock) {
    List<LocalDate> dates = LogicalDates.parse(options.getLogicalDate(), clock);
    if (dates.size() > 1) {
      throw new IllegalArgumentException(
          "--logicalDate=" + options.getLogicalDate() + " is a range: run it with the launcher");
    }
    LocalDate logicalDate = dates.get(0);
    String password =
        Secrets.fromFileOrEnv(
            options.getJdbcPasswordFile(), "--jdbcPasswordFile", options.getJdbcPasswordEnv(), env);
    JdbcSource source =
        JdbcSource.of(
                options.getJdbcUrl(), options.getJdbcDriver(), options.getJdbcUser(), password)
            .withFetchSize(options.getFetchSize())
            .withStallTimeout(stallTimeout(options))
            .withVerifySource(options.getVerifySource())
            .withZeroDate(options.getMariaDbZeroDate());
    Partitioning partitioning =
        (options.getPartitionColumn() == null
                ? Partitioning.none()
                : Partitioning.onColumn(options.getPartitionColumn())
                    .withPartitions(options.getPartitions())
                    .withWorkers(workers(options, System.getProperties())))
            .withMaxRowsPerFile(options.getMaxRowsPerFile());
    String runId = options.getRunId() != null ? options.getRunId() : logicalDate.toString();
    return new RunConfig(
        source,
        query(options),
        partitioning,
        format(options),
        destination(options.getDestination()),
        runId,
        logicalDate,
        Step.of(options.getFromStep()),
        stagingRetention(options.getStagingRetentionHours()),
        password != null
            ? null
            : "No source password was given: the variable "
                + options.getJdbcPasswordEnv()
                + " (--jdbcPasswordEnv) is not set and there is no --jdbcPasswordFile.",
        cursor(options),
        options.getFullRefresh(),
        fingerprints(options));
  }

  private static boolean fingerprints(RouteOptions options) {
    if (!options.getFingerprints() && (options.getVerifySource() || options.getVerifyStrict())) {
      throw new IllegalArgumentException(
          (options.getVerifySource() ? "--verifySource" : "--verifyStrict")
              + " compares fingerprints, and --fingerprints=false takes none: leave one of them"
              + " out");
    }
    return options.getFingerprints();
  }

  private static Cursor cursor(RouteOptions options) {
    if (options.getSoftDeleteColumn() != null && mergeKeysByFlag(options).isEmpty()) {
      throw new IllegalArgumentException(
          "--softDeleteColumn deletes rows in a merge, and no table of this run merges: set"
              + " --warehouseDisposition, --bigQueryDisposition or --databricksDisposition to merge"
              + " with its merge keys, or leave --softDeleteColumn out");
    }
    if (options.getCursorColumn() == null) {
      if (options.getCursorLag() != null || options.getFullRefresh()) {
        throw new IllegalArgumentException(
            (options.getCursorLag() != null ? "--cursorLag" : "--fullRefresh")
                + " applies to incremental reads: give the cursor column too (--cursorColumn)");
      }
      return null;
    }
    Cursor cursor = Cursor.on(options.getCursorColumn()).withLag(options.getCursorLag());
    List<String> keys = mergeKeys(options);
    return keys.isEmpty() ? cursor : cursor.latestPer(keys);
  }

  /**
   * The keys every merging hop of the run merges on: an incremental run then delivers one row per
   * key, the latest by its cursor, so that a source holding a key twice still merges.
   */
  private static List<String> mergeKeys(RouteOptions options) {
    Map<String, List<String>> byFlag = mergeKeysByFlag(options);
    if (new HashSet<>(byFlag.values()).size() > 1) {
      throw new IllegalArgumentException(
          "An incremental run (--cursorColumn) keeps the latest row per merge key, and the merge"
              + " keys differ: "
              + byFlag
              + ". Give every merge the same keys");
    }
    return byFlag.values().stream().findFirst().orElse(List.of());
  }

  /** The keys of each merging hop, by the flag that gives them. */
  private static Map<String, List<String>> mergeKeysByFlag(RouteOptions options) {
    Map<String, List<String>> byFlag = new LinkedHashMap<>();
    putKeys(
        byFlag,
        "--warehouseMergeKeys",
        options.getWarehouseDisposition(),
        options.getWarehouseMergeKeys());
    putKeys(
        byFlag,
        "--bigQueryMergeKeys",
        options.getBigQueryDisposition(),
        options.getBigQueryMergeKeys());
    putKeys(
        byFlag,
        "--databricksMergeKeys",
        options.getDatabricksDisposition(),
        options.getDatabricksMergeKeys());
    return byFlag;
  }

  private static void putKeys(
      Map<String, List<String>> byFlag, String flag, String disposition, String keys) {
    if ("merge".equalsIgnoreCase(String.valueOf(disposition).strip()) && keys != null) {
      List<String> list =
          Arrays.stream(keys.split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList();
      if (!list.isEmpty()) {
        byFlag.put(flag, list);
      }
    }
  }

  /** Where the run's files are staged and published. */
  public Layout layout() {
    return Layout.of(destination, runId);
  }

  private static String query(RouteOptions options) {
    if (options.getQuery() != null && options.getQueryFile() != null) {
      throw new IllegalArgumentException("Give either --query or --queryFile, not both");
    }
    if (options.getQueryFile() != null) {
      try {
        return Files.readString(Path.of(options.getQueryFile()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--queryFile=" + options.getQueryFile() + " cannot be read: " + e, e);
      }
    }
    if (options.getQuery() == null || options.getQuery().isBlank()) {
      throw new IllegalArgumentException("Give the query with --query or --queryFile");
    }
    return options.getQuery();
  }

  private static FormatSpec format(RouteOptions options) {
    FileFormat format =
        FileFormat.of(options.getFormat() == null ? "parquet" : options.getFormat());
    CsvOptions csv =
        CsvOptions.defaults()
            .withHeader(options.getCsvHeader())
            .withDelimiter(options.getCsvDelimiter())
            .withQuote(options.getCsvQuote())
            .withEscape(options.getCsvEscape())
            .withNullString(options.getCsvNullString())
            .withLineEnding(options.getCsvLineEnding())
            .withQuoteMode(options.getCsvQuoteMode());
    return FormatSpec.of(format).withCodec(options.getCompression()).withCsv(csv);
  }

  /**
   * How old another run's staging folder must be before a run deletes it as a crashed run's: at
   * least an hour, since a younger one may belong to a run still writing.
   */
  private static Duration stagingRetention(int hours) {
    if (hours < 1) {
      throw new IllegalArgumentException(
          "--stagingRetentionHours="
              + hours
              + " is too short: a younger staging folder may belong to a run still writing; give"
              + " 1 or more");
    }
    return Duration.ofHours(hours);
  }

  static String destination(String destination) {
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException(
          "--destination is required: a URI such as s3://bucket/prefix or file:///tmp/out");
    }
    return destination.strip();
  }

  private static final Pattern LOCAL_MASTER =
      Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?\\])?");

  /**
   * How many partitions the run reads at once, when that is known before it starts: the Direct
   * runner's threads, a local Spark master's cores; 0 on a cluster, whose size the plan does not
   * know. The planner's automatic partition count fits it (Partitioning.withWorkers).
   */
  static int workers(RouteOptions options, Properties system) {
    if (options.getRunner().getName().equals("org.apache.beam.runners.direct.DirectRunner")) {
      return options.as(DirectOptions.class).getTargetParallelism();
    }
    String master = ClusterPaths.sparkMaster(options, system);
    Matcher local = master == null ? null : LOCAL_MASTER.matcher(master);
    if (local == null || !local.matches()) {
      return 0;
    }
    if (local.group(1) == null) {
      return 1;
    }
    return local.group(1).equals("*")
        ? Runtime.getRuntime().availableProcessors()
        : Integer.parseInt(local.group(1));
  }
}
