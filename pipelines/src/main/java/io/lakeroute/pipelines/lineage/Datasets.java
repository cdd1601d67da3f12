package io.lakeroute.pipelines.lineage;

import io.lakeroute.pipelines.options.RouteOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenLineage names of the datasets a run touches, after the OpenLineage naming conventions: a
 * database as {@code <scheme>://<host>:<port>} with {@code <database>.<schema>.<table>} (never the
 * user, password or parameters of the URL), a file location as {@code <scheme>://<bucket>} with its
 * path, a local folder as {@code file} with its absolute path.
 */
final class Datasets {
  private Datasets() {}

  /** A dataset's namespace and name. */
  record Name(String namespace, String name) {}

  /** JDBC subprotocols whose OpenLineage scheme is another word. */
  private static final Map<String, String> SCHEMES =
      Map.of("postgresql", "postgres", "mariadb", "mysql", "microsoft:sqlserver", "sqlserver");

  /** {@code SELECT <columns> FROM <table>} and nothing else: a read of one table. */
  private static final Pattern ONE_TABLE =
      Pattern.compile("(?is)\\s*select\\s+(?:(?!\\bfrom\\b).)+?\\s+from\\s+([\\w.\"`]+)\\s*;?\\s*");

  /** The source: a plain read of one table is that table, anything else the query itself. */
  static Name source(String jdbcUrl, String query) {
    String namespace = namespace(jdbcUrl);
    Matcher table = ONE_TABLE.matcher(query);
    if (table.matches()) {
      String name = table.group(1).replaceAll("[\"`]", "");
      String database = database(jdbcUrl);
      return new Name(namespace, database == null ? name : database + "." + name);
    }
    return new Name(namespace, query.strip().replaceAll("\\s+", " "));
  }

  /** {@code scheme://host:port} of a JDBC URL; user, password and parameters left out. */
  static String namespace(String jdbcUrl) {
    String rest = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
    rest = rest.split("[;?]", 2)[0];
    int slashes = rest.indexOf("://");
    if (slashes < 0) {
      // Not host-based (jdbc:h2:mem:demo): the subprotocol and what follows it, parameters cut.
      return rest;
    }
    String subprotocol = rest.substring(0, slashes).toLowerCase(Locale.ROOT);
    String scheme = SCHEMES.getOrDefault(subprotocol, subprotocol.replace(':', '-'));
    String authority = rest.substring(slashes + 3).split("/", 2)[0];
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    return scheme + "://" + authority;
  }

  /** The database a JDBC URL names (its path's first part, or databaseName=), or null. */
  static String database(String jdbcUrl) {
    Matcher parameter = Pattern.compile("(?i)[;?&]database(?:Name)?=([^;&]+)").matcher(jdbcUrl);
    if (parameter.find()) {
      return parameter.group(1);
    }
    String rest = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
    int slashes = rest.indexOf("://");
    if (slashes < 0) {
      return null;
    }
    String[] parts = rest.substring(slashes + 3).split("[;?]", 2)[0].split("/", 3);
    return parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
  }

  /** A folder of files: {@code s3://bucket} and its path, or {@code file} and a local path. */
  static Name location(String location) {
    try {
      URI uri = new URI(location);
      if (uri.getScheme() == null || uri.getScheme().equals("file")) {
        String path = uri.getPath() == null ? location : uri.getPath();
        return new Name("file", stripSlash(path));
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
      return new Name(uri.getScheme() + "://" + uri.getAuthority(), stripSlash(path));
    } catch (URISyntaxException notAUri) {
      return new Name("file", stripSlash(location));
    }
  }

  /** The Databricks workspace: {@code databricks://<host>} from the host or the JDBC URL. */
  static String databricks(RouteOptions options) {
    if (options.getDatabricksHost() != null) {
      return "databricks://" + options.getDatabricksHost().strip();
    }
    return namespace(options.getDatabricksJdbcUrl());
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
