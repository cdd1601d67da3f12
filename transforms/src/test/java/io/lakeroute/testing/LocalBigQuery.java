package io.lakeroute.testing;

import com.google.api.client.json.GenericJson;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.model.Dataset;
import com.google.api.services.bigquery.model.DatasetReference;
import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.JobStatistics;
import com.google.api.services.bigquery.model.JobStatistics3;
import com.google.api.services.bigquery.model.JobStatus;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A BigQuery REST server on 127.0.0.1, in the test's JVM, backed by an in-memory H2 database: the
 * calls Google's BigQuery v2 client makes for route 5 (datasets get and insert; tables get, insert
 * and delete; jobs insert and get; getQueryResults), answered in BigQuery's JSON. Point a client at
 * it with Beam's {@code --bigQueryEndpoint} ({@link #beamArgs}); it takes any credentials.
 *
 * <p>A dataset is an H2 schema named {@code project.dataset}; a table an H2 table with the column
 * types that hold BigQuery's values exactly (NUMERIC(p,s), TIMESTAMP WITH TIME ZONE for TIMESTAMP,
 * TIMESTAMP for DATETIME, …); the BigQuery schema is kept beside it. A load job reads its {@code
 * gs://} source objects from {@link LocalGcs} (gzip when the bytes say so), applies BigQuery's CSV
 * rules ({@link BigQueryCsv}) and loads all rows or none. A query job runs its GoogleSQL script on
 * H2 ({@link GoogleSqlScript}): a transaction commits at COMMIT TRANSACTION and rolls back on any
 * failure; the rows of the last SELECT are the job's results. Options and syntax it does not model
 * fail the job, naming them. Jobs finish within jobs.insert, which answers RUNNING, so clients poll
 * once.
 *
 * <p>Not modeled: authentication, locations, partitioning and clustering, wildcards in source URIs,
 * formats other than CSV, bad-record tolerance, concurrent jobs (requests are served one at a
 * time), job cancellation, paging (every answer is one page), tabledata.list and the other calls
 * the route does not make.
 */
public final class LocalBigQuery implements AutoCloseable {
  public static final String PROJECT = "lakeroute-test";

  private static final GsonFactory JSON = GsonFactory.getDefaultInstance();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Pattern PATH =
      Pattern.compile(
          "/bigquery/v2/projects/([^/]+)/(datasets|jobs|queries)(?:/([^/]+))?(?:/(tables)(?:/([^/]+))?)?/?");
  private static final Set<String> LOAD_OPTIONS =
      Set.of(
          "sourceUris",
          "sourceFormat",
          "schema",
          "destinationTable",
          "createDisposition",
          "writeDisposition",
          "skipLeadingRows",
          "fieldDelimiter",
          "quote",
          "nullMarker",
          "allowQuotedNewlines",
          "allowJaggedRows",
          "encoding",
          "maxBadRecords");

  private static LocalBigQuery shared;

  private final LocalGcs gcs;
  private final Connection db;
  private final Map<String, TableSchema> schemas = new ConcurrentHashMap<>();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, GetQueryResultsResponse> results = new ConcurrentHashMap<>();
  private HttpServer server;
  private ExecutorService executor;
  private int port;
  private volatile boolean goAwayAfterCommit;
  private volatile String afterCommit;

  /** A server reading load sources from {@code gcs}; {@link #close()} it when done. */
  public LocalBigQuery(LocalGcs gcs) {
    this.gcs = gcs;
    try {
      db =
          DriverManager.getConnection(
              "jdbc:h2:mem:localbigquery" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
      GoogleSqlFunctions.install(db);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    start();
  }

  /** One server per JVM over {@link LocalGcs#shared()}, stopped when the JVM exits. */
  public static synchronized LocalBigQuery shared() {
    if (shared == null) {
      shared = new LocalBigQuery(LocalGcs.shared());
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** Starts serving, on the port of the previous start if there was one. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName(LocalServer.LOOPBACK), port), 16);
    } catch (IOException e) {
      throw new IllegalStateException("LocalBigQuery cannot listen on port " + port, e);
    }
    port = server.getAddress().getPort();
    server.createContext("/", this::handle);
    // Handlers off the dispatcher thread, so that one can stop the server (see goAway).
    executor =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "LocalBigQuery");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
  }

  /** Stops serving; the datasets, tables and jobs stay for the next {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdown();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
    try {
      db.close();
    } catch (SQLException e) {
      // The in-memory database goes with the JVM anyway.
    }
  }

  /**
   * The next query job that commits a transaction stops the server once it has committed: the
   * client's next call finds nothing listening, as when BigQuery's endpoint drops mid-run.
   */
  public void goAwayAfterNextCommit() {
    goAwayAfterCommit = true;
  }

  /**
   * Runs {@code h2Sql} on the tables right after the next query job commits a transaction, before
   * the client's next call: another writer (a scheduled query, a second pipeline) changing a run's
   * rows between its load and its values check. {@code "project.dataset"."table"} names a table.
   */
  public void afterNextCommit(String h2Sql) {
    afterCommit = h2Sql;
  }

  /** {@code http://127.0.0.1:port}, the root URL of the REST API. */
  public String endpoint() {
    return "http://" + LocalServer.LOOPBACK + ":" + port;
  }

  /** The flag that points Beam's BigQuery options, and so lakeroute, at this server. */
  public String[] beamArgs() {
    return new String[] {"--bigQueryEndpoint=" + endpoint()};
  }

  /** A table name no other test in this JVM uses. */
  public static String table(String prefix) {
    return prefix + "_" + TABLES.incrementAndGet();
  }

  /** Creates {@code dataset} in {@link #PROJECT} unless it exists. */
  public void createDataset(String dataset) {
    createDataset(PROJECT, dataset);
  }

  private synchronized void createDataset(String project, String dataset) {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + GoogleSqlScript.quote(project + "." + dataset));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs H2 SQL on the tables directly, as another writer would ({@code "project.dataset"."table"}
   * names them).
   */
  public synchronized void execute(String h2Sql) {
    try (Statement s = db.createStatement()) {
      s.execute(h2Sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The table's BigQuery schema, or null when there is no such table. */
  public TableSchema schema(String dataset, String table) {
    return schemas.get(key(PROJECT, dataset, table));
  }

  /**
   * The table's rows in H2's order of insertion, each column as the Java value of its BigQuery
   * type: Long, Double, BigDecimal, Boolean, String, byte[], LocalDate, LocalTime, LocalDateTime
   * (DATETIME) or Instant (TIMESTAMP); null for NULL.
   */
  public synchronized List<Map<String, Object>> rows(String dataset, String table) {
    TableSchema schema = schema(dataset, table);
    if (schema == null) {
      throw new IllegalStateException("no table " + dataset + "." + table);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + h2Table(PROJECT, dataset, table))) {
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < schema.getFields().size(); i++) {
          TableFieldSchema field = schema.getFields().get(i);
          row.put(field.getName(), value(rs, i + 1, BigQueryCsv.standard(field.getType())));
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  private static Object value(ResultSet rs, int column, String type) throws SQLException {
    Object value;
    switch (type) {
      case "INT64":
        value = rs.getObject(column, Long.class);
        break;
      case "FLOAT64":
        value = rs.getObject(column, Double.class);
        break;
      case "NUMERIC":
      case "BIGNUMERIC":
        value = rs.getBigDecimal(column);
        break;
      case "BOOL":
        value = rs.getObject(column, Boolean.class);
        break;
      case "BYTES":
        value = rs.getBytes(column);
        break;
      case "DATE":
        value = rs.getObject(column, LocalDate.class);
        break;
      case "TIME":
        value = rs.getObject(column, LocalTime.class);
        break;
      case "DATETIME":
        value = rs.getObject(column, LocalDateTime.class);
        break;
      case "TIMESTAMP":
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        value = at == null ? null : at.toInstant();
        break;
      default:
        value = rs.getString(column);
    }
    return rs.wasNull() ? null : value;
  }

  // ---- HTTP ----

  private synchronized void handle(HttpExchange exchange) throws IOException {
    boolean goAway = false;
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path =
          URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
      Matcher m = PATH.matcher(path);
      byte[] body = exchange.getRequestBody().readAllBytes();
      // Google's client gzips the JSON it sends.
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      Answer answer;
      if (!m.matches()) {
        answer = error(400, "invalid", "LocalBigQuery does not serve " + method + " " + path);
      } else {
        String project = m.group(1);
        String collection = m.group(2);
        String id = m.group(3);
        String table = m.group(5);
        try {
          answer = route(method, project, collection, id, m.group(4) != null, table, body);
        } catch (IOException | RuntimeException e) {
          answer = error(500, "internalError", "LocalBigQuery failed: " + e);
        }
        goAway = answer.goAway;
      }
      byte[] out = answer.json == null ? new byte[0] : answer.json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      exchange.sendResponseHeaders(answer.status, answer.status == 204 ? -1 : out.length);
      if (answer.status != 204) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
    if (goAway) {
      goAwayAfterCommit = false;
      // The answer is sent; the client's next request finds nothing listening.
      stop();
    }
  }

  private record Answer(int status, String json, boolean goAway) {
    Answer(int status, String json) {
      this(status, json, false);
    }
  }

  private Answer route(
      String method,
      String project,
      String collection,
      String id,
      boolean tables,
      String table,
      byte[] body)
      throws IOException {
    String where = method + " " + collection;
    if (collection.equals("datasets") && !tables) {
      if (method.equals("GET") && id != null) {
        return getDataset(project, id);
      }
      if (method.equals("POST") && id == null) {
        Dataset dataset = JSON.fromString(utf8(body), Dataset.class);
        createDataset(project, dataset.getDatasetReference().getDatasetId());
        return ok(dataset.setId(project + ":" + dataset.getDatasetReference().getDatasetId()));
      }
    } else if (collection.equals("datasets") && id != null) {
      if (method.equals("GET") && table != null) {
        return getTable(project, id, table);
      }
      if (method.equals("POST") && table == null) {
        return insertTable(project, id, JSON.fromString(utf8(body), Table.class));
      }
      if (method.equals("DELETE") && table != null) {
        return deleteTable(project, id, table);
      }
    } else if (collection.equals("jobs")) {
      if (method.equals("POST") && id == null) {
        return insertJob(project, JSON.fromString(utf8(body), Job.class));
      }
      if (method.equals("GET") && id != null) {
        Job job = jobs.get(project + ":" + id);
        return job == null
            ? error(404, "notFound", "Not found: Job " + project + ":" + id)
            : ok(job);
      }
    } else if (collection.equals("queries") && method.equals("GET") && id != null) {
      GetQueryResultsResponse result = results.get(project + ":" + id);
      return result == null
          ? error(404, "notFound", "Not found: Job " + project + ":" + id)
          : ok(result);
    }
    return error(400, "invalid", "LocalBigQuery does not serve " + where);
  }

  private Answer getDataset(String project, String dataset) {
    if (!datasetExists(project, dataset)) {
      return error(404, "notFound", "Not found: Dataset " + project + ":" + dataset);
    }
    return ok(
        new Dataset()
            .setId(project + ":" + dataset)
            .setDatasetReference(
                new DatasetReference().setProjectId(project).setDatasetId(dataset)));
  }

  private boolean datasetExists(String project, String dataset) {
    try (PreparedStatement s =
        db.prepareStatement(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?")) {
      s.setString(1, project + "." + dataset);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Answer getTable(String project, String dataset, String table) {
    TableSchema schema = schemas.get(key(project, dataset, table));
    if (schema == null) {
      return error(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
    }
    long rows;
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + h2Table(project, dataset, table))) {
      rs.next();
      rows = rs.getLong(1);
    } catch (SQLException e) {
      return error(500, "internalError", e.getMessage());
    }
    return ok(
        new Table()
            .setId(project + ":" + dataset + "." + table)
            .setType("TABLE")
            .setTableReference(
                new TableReference().setProjectId(project).setDatasetId(dataset).setTableId(table))
            .setSchema(schema)
            .setNumRows(BigInteger.valueOf(rows)));
  }

  private Answer insertTable(String project, String dataset, Table table) {
    TableReference ref = table.getTableReference();
    if (!datasetExists(project, dataset)) {
      return error(404, "notFound", "Not found: Dataset " + project + ":" + dataset);
    }
    if (schemas.containsKey(key(project, dataset, ref.getTableId()))) {
      return error(
          409,
          "duplicate",
          "Already Exists: Table " + project + ":" + dataset + "." + ref.getTableId());
    }
    try {
      create(project, dataset, ref.getTableId(), table.getSchema());
    } catch (IllegalArgumentException | SQLException e) {
      return error(400, "invalid", e.getMessage());
    }
    return getTable(project, dataset, ref.getTableId());
  }

  private Answer deleteTable(String project, String dataset, String table) {
    if (schemas.remove(key(project, dataset, table)) == null) {
      return error(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
    }
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE " + h2Table(project, dataset, table));
    } catch (SQLException e) {
      return error(500, "internalError", e.getMessage());
    }
    return new Answer(204, null);
  }

  private void create(String project, String dataset, String table, TableSchema schema)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    for (TableFieldSchema field : schema.getFields()) {
      if ("REPEATED".equals(field.getMode())) {
        throw new IllegalArgumentException("LocalBigQuery does not model REPEATED fields");
      }
      columns.add(
          GoogleSqlScript.quote(field.getName())
              + " "
              + h2Type(field)
              + ("REQUIRED".equals(field.getMode()) ? " NOT NULL" : ""));
    }
    try (Statement s = db.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + h2Table(project, dataset, table)
              + " ("
              + String.join(", ", columns)
              + ")");
    }
    schemas.put(key(project, dataset, table), schema);
  }

  /** The H2 type that holds every value of the BigQuery type exactly. */
  private static String h2Type(TableFieldSchema field) {
    String type = BigQueryCsv.standard(field.getType());
    switch (type) {
      case "INT64":
        return "BIGINT";
      case "FLOAT64":
        return "DOUBLE PRECISION";
      case "NUMERIC":
      case "BIGNUMERIC":
        boolean numeric = type.equals("NUMERIC");
        long scale = field.getScale() != null ? field.getScale() : numeric ? 9 : 38;
        long precision = field.getPrecision() != null ? field.getPrecision() : numeric ? 38 : 76;
        return "NUMERIC(" + precision + "," + scale + ")";
      case "BOOL":
        return "BOOLEAN";
      case "STRING":
        return "CHARACTER VARYING";
      case "BYTES":
        return "BINARY VARYING";
      case "DATE":
        return "DATE";
      case "TIME":
        return "TIME(6)";
      case "DATETIME":
        return "TIMESTAMP(6)";
      case "TIMESTAMP":
        return "TIMESTAMP(6) WITH TIME ZONE";
      default:
        throw new IllegalArgumentException("LocalBigQuery does not model type " + type);
    }
  }

  // ---- jobs ----

  private Answer insertJob(String project, Job job) {
    JobReference ref = job.getJobReference();
    if (ref == null || ref.getJobId() == null) {
      ref = new JobReference().setProjectId(project).setJobId("job_" + TABLES.incrementAndGet());
    }
    ref.setLocation("US");
    String key = project + ":" + ref.getJobId();
    if (jobs.containsKey(key)) {
      return error(409, "duplicate", "Already Exists: Job " + key);
    }
    job.setJobReference(ref).setStatistics(new JobStatistics());
    JobConfiguration config = job.getConfiguration();
    boolean committed = false;
    try {
      if (config.getLoad() != null) {
        load(project, job, config.getLoad());
      } else if (config.getQuery() != null) {
        committed = query(project, job, config.getQuery().getQuery(), config.getQuery());
        String writer = afterCommit;
        if (committed && writer != null) {
          afterCommit = null;
          execute(writer);
        }
      } else {
        throw new IllegalArgumentException(
            "LocalBigQuery models load and query jobs only: " + config.keySet());
      }
      job.setStatus(new JobStatus().setState("DONE"));
    } catch (Failed e) {
      ErrorProto error = new ErrorProto().setReason("invalid").setMessage(e.getMessage());
      job.setStatus(
          new JobStatus()
              .setState("DONE")
              .setErrorResult(error)
              .setErrors(new ArrayList<>(List.of(error))));
    } catch (IllegalArgumentException | SQLException e) {
      ErrorProto error = new ErrorProto().setReason("invalidQuery").setMessage(e.getMessage());
      job.setStatus(
          new JobStatus()
              .setState("DONE")
              .setErrorResult(error)
              .setErrors(new ArrayList<>(List.of(error))));
    }
    jobs.put(key, job);
    Job running = job.clone().setStatus(new JobStatus().setState("RUNNING"));
    return new Answer(200, json(running), committed && goAwayAfterCommit);
  }

  /** A job failure that BigQuery reports in the job's status, not as an HTTP error. */
  private static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String message) {
      super(message);
    }
  }

  private void load(String project, Job job, JobConfigurationLoad load) throws Failed {
    for (String option : load.keySet()) {
      if (!LOAD_OPTIONS.contains(option)) {
        throw new Failed("LocalBigQuery does not model the load option " + option);
      }
    }
    if (!"CSV".equals(load.getSourceFormat())) {
      throw new Failed("LocalBigQuery loads CSV only, not " + load.getSourceFormat());
    }
    if (Boolean.TRUE.equals(load.getAllowJaggedRows())
        || (load.getMaxBadRecords() != null && load.getMaxBadRecords() != 0)) {
      throw new Failed("LocalBigQuery models neither jagged rows nor bad records");
    }
    TableReference dest = load.getDestinationTable();
    String key = key(dest.getProjectId(), dest.getDatasetId(), dest.getTableId());
    TableSchema schema = schemas.get(key);
    try {
      if (schema == null) {
        if ("CREATE_NEVER".equals(load.getCreateDisposition())) {
          throw new Failed("Not found: Table " + key);
        }
        if (load.getSchema() == null) {
          throw new Failed("No schema specified on job or table.");
        }
        create(dest.getProjectId(), dest.getDatasetId(), dest.getTableId(), load.getSchema());
        schema = load.getSchema();
      } else if (load.getSchema() != null
          && !fieldsText(load.getSchema()).equals(fieldsText(schema))) {
        throw new Failed(
            "Provided Schema does not match Table "
                + key
                + ": "
                + fieldsText(load.getSchema())
                + " vs "
                + fieldsText(schema));
      }
      BigQueryCsv csv = new BigQueryCsv(load, schema.getFields());
      List<Object[]> rows = new ArrayList<>();
      long bytes = 0;
      for (String uri : load.getSourceUris()) {
        byte[] object = object(uri);
        bytes += object.length;
        rows.addAll(csv.rows(uri, new String(decompressed(object), BigQueryCsv.charset(load))));
      }
      write(dest, load.getWriteDisposition(), schema, rows);
      job.getStatistics()
          .setLoad(
              new JobStatistics3()
                  .setInputFiles((long) load.getSourceUris().size())
                  .setInputFileBytes(bytes)
                  .setOutputRows((long) rows.size()));
    } catch (BigQueryCsv.Refused e) {
      throw new Failed(e.getMessage());
    } catch (SQLException | IllegalArgumentException e) {
      throw new Failed("Error while loading " + key + ": " + e.getMessage());
    }
  }

  private static String fieldsText(TableSchema schema) {
    List<String> fields = new ArrayList<>();
    for (TableFieldSchema f : schema.getFields()) {
      fields.add(f.getName() + " " + BigQueryCsv.standard(f.getType()));
    }
    return fields.toString();
  }

  private byte[] object(String uri) throws Failed {
    if (!uri.startsWith("gs://") || uri.contains("*")) {
      throw new Failed("LocalBigQuery loads single gs:// objects only, not " + uri);
    }
    String path = uri.substring("gs://".length());
    int slash = path.indexOf('/');
    try {
      return gcs.get(path.substring(0, slash), path.substring(slash + 1));
    } catch (IllegalStateException e) {
      throw new Failed("Not found: URI " + uri);
    }
  }

  private static byte[] decompressed(byte[] object) throws Failed {
    if (object.length < 2 || (object[0] & 0xFF) != 0x1F || (object[1] & 0xFF) != 0x8B) {
      return object;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(object))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new Failed("Error while reading data, error message: bad gzip data: " + e.getMessage());
    }
  }

  /** Applies the write disposition and inserts the rows, all in one H2 transaction. */
  private void write(
      TableReference dest, String disposition, TableSchema schema, List<Object[]> rows)
      throws SQLException, Failed {
    String table = h2Table(dest.getProjectId(), dest.getDatasetId(), dest.getTableId());
    db.setAutoCommit(false);
    try {
      try (Statement s = db.createStatement()) {
        if ("WRITE_TRUNCATE".equals(disposition)) {
          s.execute("DELETE FROM " + table);
        } else if ("WRITE_EMPTY".equals(disposition) || disposition == null) {
          try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            if (rs.getLong(1) > 0) {
              throw new Failed("Already Exists: Table " + table + " is not empty (WRITE_EMPTY)");
            }
          }
        }
      }
      String marks = String.join(", ", Collections.nCopies(schema.getFields().size(), "?"));
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            insert.setObject(i + 1, row[i]);
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
      db.commit();
    } catch (SQLException | Failed e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /**
   * Runs a script; the results of its last SELECT are the job's. Returns whether it committed a
   * transaction.
   */
  private boolean query(String project, Job job, String sql, JobConfigurationQuery config)
      throws SQLException, Failed {
    if (!Boolean.FALSE.equals(config.getUseLegacySql())) {
      throw new Failed("LocalBigQuery runs GoogleSQL only: set useLegacySql to false");
    }
    List<GoogleSqlScript.Statement> statements = GoogleSqlScript.translate(sql);
    GetQueryResultsResponse result =
        new GetQueryResultsResponse()
            .setJobReference(job.getJobReference())
            .setJobComplete(true)
            .setTotalRows(BigInteger.ZERO);
    boolean inTransaction = false;
    boolean committed = false;
    try {
      for (GoogleSqlScript.Statement statement : statements) {
        switch (statement.kind()) {
          case BEGIN:
            db.setAutoCommit(false);
            inTransaction = true;
            break;
          case COMMIT:
            db.commit();
            db.setAutoCommit(true);
            inTransaction = false;
            committed = true;
            break;
          case ROLLBACK:
            db.rollback();
            db.setAutoCommit(true);
            inTransaction = false;
            break;
          default:
            try (Statement s = db.createStatement()) {
              if (s.execute(statement.h2())) {
                result = results(job, s.getResultSet());
              }
            }
        }
      }
      if (inTransaction) {
        throw new Failed(
            "Transaction was never committed: the script ends inside BEGIN TRANSACTION");
      }
    } catch (SQLException | Failed e) {
      if (inTransaction) {
        db.rollback();
        db.setAutoCommit(true);
      }
      throw e;
    }
    results.put(project + ":" + job.getJobReference().getJobId(), result);
    return committed;
  }

  private static GetQueryResultsResponse results(Job job, ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<TableFieldSchema> fields = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      int type = meta.getColumnType(i);
      fields.add(
          new TableFieldSchema()
              .setName(meta.getColumnLabel(i))
              .setType(
                  type == Types.BIGINT || type == Types.INTEGER || type == Types.SMALLINT
                      ? "INTEGER"
                      : type == Types.BOOLEAN ? "BOOLEAN" : "STRING"));
    }
    List<TableRow> rows = new ArrayList<>();
    while (rs.next()) {
      List<TableCell> cells = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        Object value = rs.getObject(i);
        cells.add(new TableCell().setV(value == null ? null : text(value)));
      }
      rows.add(new TableRow().setF(cells));
    }
    return new GetQueryResultsResponse()
        .setJobReference(job.getJobReference())
        .setJobComplete(true)
        .setSchema(new TableSchema().setFields(fields))
        .setRows(rows)
        .setTotalRows(BigInteger.valueOf(rows.size()));
  }

  /** A value as BigQuery's JSON gives it: text; bytes as base64, TIMESTAMP as epoch seconds. */
  private static String text(Object value) {
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof OffsetDateTime at) {
      Instant instant = at.toInstant();
      return instant.getEpochSecond() + "." + String.format("%06d", instant.getNano() / 1000);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return String.valueOf(value);
  }

  // ---- helpers ----

  private static String key(String project, String dataset, String table) {
    return project + ":" + dataset + "." + table;
  }

  private static String h2Table(String project, String dataset, String table) {
    return GoogleSqlScript.quote(project + "." + dataset) + "." + GoogleSqlScript.quote(table);
  }

  private static String utf8(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  private static Answer ok(GenericJson model) {
    return new Answer(200, json(model));
  }

  private static String json(GenericJson model) {
    try {
      return JSON.toString(model);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** BigQuery's error body, which the client turns into a GoogleJsonResponseException. */
  private static Answer error(int status, String reason, String message) {
    GenericJson detail = new GenericJson();
    detail.set("message", message);
    detail.set("domain", "global");
    detail.set("reason", reason);
    GenericJson error = new GenericJson();
    error.set("code", status);
    error.set("message", message);
    error.set("errors", List.of(detail));
    GenericJson body = new GenericJson();
    body.set("error", error);
    body.setFactory(JSON);
    return new Answer(status, body.toString());
  }
}
