package io.lakeroute.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.hive.service.rpc.thrift.TProtocolVersion;
import org.apache.hive.service.rpc.thrift.TStatusCode;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP endpoint on loopback that the Databricks JDBC driver accepts as a Databricks SQL
 * warehouse. It hands each Thrift call to Spark's Thrift server (Hive's TCLIService) in this JVM,
 * rewriting call and reply where the two dialects of TCLIService differ.
 *
 * <p>Both ends speak TCLIService with the binary protocol, but the driver expects a Databricks
 * server. What it needs, and what this adapter translates:
 *
 * <ul>
 *   <li><b>Protocol version.</b> In {@code OpenSession} the driver puts {@code
 *       __HIVE_JDBC_WORKAROUND} (-7) in the required {@code client_protocol} and its real version
 *       in a Databricks-only field; Hive cannot read -7 and fails the call. It is replaced by
 *       {@code HIVE_CLI_SERVICE_PROTOCOL_V10}. In the reply, Hive's version (V10 at most) would
 *       make the driver refuse the server as "non Databricks compute"; {@link #REPORTED_PROTOCOL}
 *       is reported instead.
 *   <li><b>User and initial schema.</b> The driver authenticates with a Bearer token in an HTTP
 *       header and names no user; the session is opened as user {@code token}. It names the URL's
 *       schema in a Databricks-only field, passed on as Hive's {@code use:database} setting.
 *   <li><b>Operation handles.</b> The driver rebuilds handles from the statement id (guid and
 *       secret only), leaving out {@code hasResultSet}, which Hive requires, and setting the type
 *       to UNKNOWN. The handles Hive returned are kept by guid and put back in every call that
 *       names an operation.
 *   <li><b>Result metadata.</b> The driver reads the result's schema and format from a
 *       Databricks-only field of each {@code FetchResults} reply. The adapter asks Hive for the
 *       metadata once per operation and attaches it, with format {@code COLUMN_BASED_SET} (Hive's
 *       column-wise row sets, which the driver decodes).
 *   <li><b>More rows.</b> Hive always answers {@code hasMoreRows = false}; the driver would stop
 *       after the first batch. The adapter sets it when a full batch came back. Statement results
 *       are fetched at most {@code maxRowsPerFetch} rows at a time, as a warehouse caps its
 *       batches; catalog calls ({@code GetTables} and the like) are not capped, because the driver
 *       reads only their first batch.
 *   <li><b>Parameters.</b> Spark's Thrift server has no parameter binding; the adapter binds the
 *       driver's native parameters into the statement text (see {@link ParameterBinder}).
 * </ul>
 *
 * <p>Everything else (requests for Arrow results, cloud fetch, direct results) is ignored by Hive,
 * which reads past fields it does not know, and the driver falls back to what Hive gives.
 *
 * <p>The calls go to Hive in-process rather than over Hive's own HTTP transport, because that
 * transport's Jetty connector never receives {@code hive.server2.thrift.bind.host} and listens on
 * every interface.
 */
final class ThriftHttpAdapter implements AutoCloseable {
  /** A Databricks protocol version: at least V5 (metadata in fetch) and V8 (parameters). */
  static final int REPORTED_PROTOCOL = 0xA508;

  private static final Logger LOG = LoggerFactory.getLogger(ThriftHttpAdapter.class);
  private static final String THRIFT = "application/x-thrift";
  private static final int COLUMN_BASED_SET = 1;

  /** Calls whose request names an operation in field 1. */
  private static final Set<String> OPERATION_CALLS =
      Set.of(
          "GetOperationStatus",
          "CancelOperation",
          "CloseOperation",
          "GetResultSetMetadata",
          "FetchResults",
          "GetQueryId");

  /** Calls whose response returns a new operation in field 2. */
  private static final Set<String> OPERATION_STARTS =
      Set.of(
          "ExecuteStatement",
          "GetTypeInfo",
          "GetCatalogs",
          "GetSchemas",
          "GetTables",
          "GetTableTypes",
          "GetColumns",
          "GetFunctions",
          "GetPrimaryKeys",
          "GetCrossReference");

  /** An operation Hive started: its real handle, its session, and what the adapter learned. */
  private static final class Operation {
    final ThriftStruct handle;
    final String session;
    final boolean statement;
    volatile ThriftStruct metadata;

    Operation(ThriftStruct handle, String session, boolean statement) {
      this.handle = handle;
      this.session = session;
      this.statement = statement;
    }
  }

  /** Where calls go: Hive's TCLIService, one serialized call in, one serialized reply out. */
  @FunctionalInterface
  interface Backend {
    byte[] call(byte[] message) throws TException;
  }

  private final String httpPath;
  private final Backend hive;
  private final int maxRowsPerFetch;
  private final boolean trace;
  private final String token;
  private final OAuthEndpoint oauth;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final AtomicInteger ownSeqId = new AtomicInteger(1 << 30);

  /** Hive's Thrift service, called in this JVM. */
  static Backend inProcess(TCLIService.Iface service) {
    TCLIService.Processor<TCLIService.Iface> processor = new TCLIService.Processor<>(service);
    return message -> {
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      processor.process(
          new TBinaryProtocol(new TMemoryInputTransport(message)),
          new TBinaryProtocol(new TIOStreamTransport(reply)));
      return reply.toByteArray();
    };
  }

  /**
   * @param port loopback port to listen on (0: any free one)
   * @param httpPath the driver's {@code httpPath}, such as {@code cliservice}
   * @param token the personal access token callers must present, or null to accept any
   * @param oauth the service principal whose OAuth tokens are accepted too, or null for none
   */
  ThriftHttpAdapter(
      int port,
      String httpPath,
      Backend hive,
      int maxRowsPerFetch,
      boolean trace,
      String token,
      OAuthEndpoint oauth)
      throws IOException {
    this.token = token;
    this.oauth = oauth;
    this.httpPath = "/" + httpPath.replaceAll("^/+", "");
    this.hive = hive;
    this.maxRowsPerFetch = maxRowsPerFetch;
    this.trace = trace;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "databricks-adapter");
              t.setDaemon(true);
              return t;
            });
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByName(DatabricksStandIn.LOOPBACK), port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = exchange.getRequestURI().getPath();
      if (oauth != null
          && (path.equals(OAuthEndpoint.DISCOVERY_PATH) || path.equals(OAuthEndpoint.TOKEN_PATH))) {
        String base = "http://" + DatabricksStandIn.LOOPBACK + ":" + port();
        OAuthEndpoint.Answer answer =
            path.equals(OAuthEndpoint.DISCOVERY_PATH)
                ? oauth.discovery(base)
                : oauth.token(
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(body, StandardCharsets.UTF_8),
                    base);
        LOG.info("OAuth {} {}: {}", exchange.getRequestMethod(), path, answer.status());
        reply(
            exchange,
            answer.status(),
            "application/json",
            answer.json().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod()) || !httpPath.equals(path)) {
        // Anything but Thrift (the driver's feature-flag or telemetry calls, if they came here)
        // gets what a server without that API answers.
        LOG.info("not a Thrift call: {} {}", exchange.getRequestMethod(), exchange.getRequestURI());
        reply(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        // As a workspace answers a wrong or missing token.
        reply(
            exchange,
            401,
            "text/plain",
            "Invalid access token.\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        ThriftMessage reply = relay(ThriftMessage.parse(body));
        reply(exchange, 200, THRIFT, reply.toBytes());
      } catch (TException | RuntimeException e) {
        LOG.error("cannot relay a Thrift call", e);
        reply(
            exchange,
            500,
            "text/plain",
            ("stand-in adapter: " + e).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The personal access token, or an OAuth token this stand-in issued. */
  private boolean authorized(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String bearer = authorization.substring("Bearer ".length());
    return bearer.equals(token) || (oauth != null && oauth.issued(bearer));
  }

  private ThriftMessage relay(ThriftMessage call) throws TException {
    String method = call.name;
    ThriftStruct request = call.request();
    if (request == null) {
      throw new TException("call " + method + " without a request");
    }
    if (trace) {
      LOG.info("driver → {} {}", method, Summaries.of(request));
    }
    Operation operation = null;
    long askedRows = 0;
    switch (method) {
      case "OpenSession" -> rewriteOpenSession(request);
      case "ExecuteStatement" -> ParameterBinder.bind(request);
      default -> {}
    }
    if (OPERATION_CALLS.contains(method)) {
      operation = restoreHandle(request);
    }
    if (method.equals("FetchResults")) {
      Long maxRows = request.i64(3);
      askedRows = maxRows == null ? 0 : maxRows;
      if (operation != null && operation.statement && maxRowsPerFetch > 0) {
        askedRows = askedRows <= 0 ? maxRowsPerFetch : Math.min(askedRows, maxRowsPerFetch);
        request.putI64(3, askedRows);
      }
    }

    ThriftMessage reply = ThriftMessage.parse(hive.call(call.toBytes()));
    ThriftStruct result = reply.response();
    if (result != null) {
      Errors.clarify(method, result);
      switch (method) {
        case "OpenSession" -> result.putI32(2, REPORTED_PROTOCOL);
        case "FetchResults" -> completeFetch(result, operation, askedRows);
        case "GetResultSetMetadata" -> result.putI32(0x501, COLUMN_BASED_SET);
        case "CloseOperation" -> forget(call.request());
        case "CloseSession" -> forgetSession(call.request());
        default -> {}
      }
      if (OPERATION_STARTS.contains(method)) {
        remember(request, result, method.equals("ExecuteStatement"));
      }
    }
    if (trace) {
      LOG.info("driver ← {} {}", method, result == null ? "(exception)" : Summaries.of(result));
    }
    return reply;
  }

  private static void rewriteOpenSession(ThriftStruct request) {
    request.putI32(1, TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10.getValue());
    if (request.string(2) == null) {
      request.putString(2, "token");
    }
    ThriftStruct namespace = request.struct(0x504);
    String schema = namespace == null ? null : namespace.string(2);
    if (schema != null && !schema.isEmpty()) {
      ThriftStruct.ThriftMap configuration = (ThriftStruct.ThriftMap) request.get(4);
      List<Map.Entry<Object, Object>> entries =
          configuration == null
              ? new java.util.ArrayList<>()
              : new java.util.ArrayList<>(configuration.entries());
      entries.add(
          Map.entry(
              "use:database".getBytes(StandardCharsets.UTF_8),
              schema.getBytes(StandardCharsets.UTF_8)));
      request.put(4, TType.MAP, new ThriftStruct.ThriftMap(TType.STRING, TType.STRING, entries));
    }
  }

  private static String guid(ThriftStruct handle) {
    ThriftStruct identifier = handle == null ? null : handle.struct(1);
    byte[] guid = identifier == null ? null : identifier.binary(1);
    return guid == null ? null : HexFormat.of().formatHex(guid);
  }

  private void remember(ThriftStruct request, ThriftStruct response, boolean statement) {
    ThriftStruct handle = response.struct(2);
    String id = guid(handle);
    if (id != null) {
      operations.put(id, new Operation(handle, guid(request.struct(1)), statement));
    }
  }

  private Operation restoreHandle(ThriftStruct request) {
    String id = guid(request.struct(1));
    Operation operation = id == null ? null : operations.get(id);
    if (operation != null) {
      request.putStruct(1, operation.handle);
    } else if (id != null) {
      // Hive answers INVALID_HANDLE; the driver reports it.
      LOG.warn("operation {} is not known to the adapter", id);
    }
    return operation;
  }

  private void forget(ThriftStruct request) {
    String id = guid(request.struct(1));
    if (id != null) {
      operations.remove(id);
    }
  }

  private void forgetSession(ThriftStruct request) {
    String session = guid(request.struct(1));
    if (session != null) {
      operations.values().removeIf(o -> session.equals(o.session));
    }
  }

  private void completeFetch(ThriftStruct result, Operation operation, long askedRows)
      throws TException {
    long rows = rowCount(result.struct(3));
    result.putBool(2, askedRows > 0 && rows >= askedRows);
    if (operation != null) {
      ThriftStruct metadata = operation.metadata;
      if (metadata == null) {
        metadata = fetchMetadata(operation);
        operation.metadata = metadata;
      }
      result.putStruct(0x501, metadata);
    }
  }

  /** Rows in a row set: the length of its first column, or of its row list. */
  static long rowCount(ThriftStruct rowSet) {
    if (rowSet == null) {
      return 0;
    }
    ThriftStruct.ThriftList columns = rowSet.list(3);
    if (columns != null) {
      if (columns.elements().isEmpty()) {
        return 0;
      }
      ThriftStruct column = (ThriftStruct) columns.elements().get(0);
      for (Short id : column.ids()) {
        ThriftStruct typed = column.struct(id);
        ThriftStruct.ThriftList values = typed == null ? null : typed.list(1);
        if (values != null) {
          return values.elements().size();
        }
      }
      return 0;
    }
    ThriftStruct.ThriftList rows = rowSet.list(2);
    return rows == null ? 0 : rows.elements().size();
  }

  private ThriftStruct fetchMetadata(Operation operation) throws TException {
    ThriftStruct args =
        new ThriftStruct().putStruct(1, new ThriftStruct().putStruct(1, operation.handle));
    ThriftMessage call =
        new ThriftMessage(
            "GetResultSetMetadata", TMessageType.CALL, ownSeqId.incrementAndGet(), args);
    ThriftStruct metadata = ThriftMessage.parse(hive.call(call.toBytes())).response();
    if (metadata == null) {
      throw new TException("Hive answered GetResultSetMetadata with an exception");
    }
    Integer status = metadata.struct(1) == null ? null : metadata.struct(1).i32(1);
    if (status == null || status == TStatusCode.ERROR_STATUS.getValue()) {
      LOG.warn("Hive refused result metadata: {}", Summaries.of(metadata));
    }
    metadata.putI32(0x501, COLUMN_BASED_SET);
    return metadata;
  }

  private static void reply(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
