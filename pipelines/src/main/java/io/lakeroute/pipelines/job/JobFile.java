package io.lakeroute.pipelines.job;

import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A job file: many tables refreshed by one command. Shared {@code defaults} and a list of {@code
 * tables}, each key an option of the command line without its dashes:
 *
 * <pre>{@code
 * defaults:
 *   route: s3
 *   jdbcUrl: jdbc:postgresql://db:5432/shop
 *   format: parquet
 *   destination: s3://lake/shop/{table}
 *   databricksTable: main.shop.{table}
 * tables:
 *   - table: public.customers      # the query is SELECT * FROM "public"."customers"
 *     partitionColumn: id
 *   - name: big_orders             # a query needs a name
 *     query: SELECT * FROM orders WHERE total > 1000
 *     format: csv
 * }</pre>
 *
 * <p>Each table becomes the argument list of one run: the defaults, then the table's own keys over
 * them. {@code {table}} in a value stands for the table's name (its {@code name}, else its {@code
 * table}); {@code {logical_date}} is left for the launcher, which knows each run's date. Every
 * error names the file, the line and the key.
 */
public final class JobFile {
  /** What a table entry may hold besides options. */
  static final String NAME = "name";

  static final String TABLE = "table";

  private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]+");

  /** One table of the job: its name, where it is in the file, and its run's arguments. */
  public record Table(String name, int line, List<String> args) {}

  private final Path path;
  private final List<Table> tables;

  private JobFile(Path path, List<Table> tables) {
    this.path = path;
    this.tables = List.copyOf(tables);
  }

  public Path path() {
    return path;
  }

  public List<Table> tables() {
    return tables;
  }

  /**
   * Reads {@code path}. {@code objection} says why a key (an option name without dashes) cannot
   * have its value — not an option, or a secret — or returns null; {@code name} and {@code table}
   * of a table are the file's own.
   */
  public static JobFile read(Path path, BiFunction<String, String, String> objection) {
    Node root;
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      root = new Yaml(new LoaderOptions()).compose(reader);
    } catch (IOException e) {
      throw new RunFailure(
          ExitCode.USAGE, "Cannot read the job file --job=" + path + ": " + e.getMessage(), e);
    } catch (YAMLException e) {
      throw new RunFailure(
          ExitCode.USAGE, "The job file " + path + " is not valid YAML: " + e.getMessage(), e);
    }
    return new Parser(path, objection).parse(root);
  }

  /** Reads one file, keeping the path for every message. */
  private static final class Parser {
    private final Path path;
    private final BiFunction<String, String, String> objection;

    Parser(Path path, BiFunction<String, String, String> objection) {
      this.path = path;
      this.objection = objection;
    }

    JobFile parse(Node root) {
      if (!(root instanceof MappingNode top)) {
        throw error(root, "a job file holds 'defaults' and 'tables'");
      }
      Map<String, Value> defaults = new LinkedHashMap<>();
      SequenceNode tableList = null;
      for (NodeTuple tuple : top.getValue()) {
        String key = key(tuple);
        switch (key) {
          case "defaults" -> defaults = options(tuple.getValueNode(), "defaults", false);
          case "tables" -> {
            if (!(tuple.getValueNode() instanceof SequenceNode list)) {
              throw error(tuple.getValueNode(), "'tables' is a list of tables (lines with '- ')");
            }
            tableList = list;
          }
          default ->
              throw error(
                  tuple.getKeyNode(),
                  "unknown key '" + key + "': a job file holds 'defaults' and 'tables'");
        }
      }
      if (tableList == null || tableList.getValue().isEmpty()) {
        throw error(top, "the job file lists no tables: add 'tables:' with one '- table: …'");
      }
      List<Table> tables = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      for (Node entry : tableList.getValue()) {
        Map<String, Value> own = options(entry, "a table", true);
        Map<String, Value> merged = new LinkedHashMap<>(defaults);
        merged.remove(NAME);
        merged.putAll(own);
        Value table = own.get(TABLE);
        Value name = own.containsKey(NAME) ? own.get(NAME) : table;
        if (name == null) {
          throw error(entry, "a table needs 'table' (the source table) or 'name' with a 'query'");
        }
        if (!NAME_PATTERN.matcher(name.text()).matches()) {
          throw error(
              name.node(),
              "the name '"
                  + name.text()
                  + "' can hold only letters, digits, '_', '.' and '-': it names folders and"
                  + " tables");
        }
        if (!names.add(name.text())) {
          throw error(name.node(), "a second table is named '" + name.text() + "'");
        }
        if (table != null && (own.containsKey("query") || own.containsKey("queryFile"))) {
          throw error(table.node(), "give 'table' or 'query'/'queryFile', not both");
        }
        merged.remove(TABLE);
        merged.remove(NAME);
        if (table != null) {
          merged.remove("queryFile");
          merged.put("query", new Value(selectAll(table.text()), table.node()));
        } else if (!merged.containsKey("query") && !merged.containsKey("queryFile")) {
          throw error(entry, "table '" + name.text() + "' has no 'table', 'query' or 'queryFile'");
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, Value> option : merged.entrySet()) {
          args.add(
              "--"
                  + option.getKey()
                  + "="
                  + option.getValue().text().replace("{table}", name.text()));
        }
        tables.add(new Table(name.text(), entry.getStartMark().getLine() + 1, args));
      }
      return new JobFile(path, tables);
    }

    /** A mapping of options; a table's may also hold {@code name} and {@code table}. */
    private Map<String, Value> options(Node node, String what, boolean table) {
      if (!(node instanceof MappingNode mapping)) {
        throw error(node, what + " is a mapping of options (key: value)");
      }
      Map<String, Value> options = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        String key = key(tuple);
        boolean own = table && (key.equals(NAME) || key.equals(TABLE));
        if (key.equals("job") || key.equals("only")) {
          throw error(tuple.getKeyNode(), "'" + key + "' belongs on the command line");
        }
        if (!(tuple.getValueNode() instanceof ScalarNode scalar)) {
          throw error(tuple.getValueNode(), "'" + key + "' takes one value, not a list or mapping");
        }
        String refused = own ? null : objection.apply(key, scalar.getValue());
        if (refused != null) {
          throw error(tuple.getKeyNode(), refused);
        }
        if (options.put(key, new Value(scalar.getValue(), scalar)) != null) {
          throw error(tuple.getKeyNode(), "'" + key + "' is given twice");
        }
      }
      return options;
    }

    private String key(NodeTuple tuple) {
      if (!(tuple.getKeyNode() instanceof ScalarNode scalar)) {
        throw error(tuple.getKeyNode(), "a key is a plain word");
      }
      return scalar.getValue();
    }

    private RunFailure error(Node node, String message) {
      return RunFailure.usage(
          "The job file "
              + path
              + ", line "
              + (node.getStartMark().getLine() + 1)
              + ": "
              + message);
    }
  }

  /** A value and the node it came from, for messages. */
  private record Value(String text, Node node) {}

  /**
   * {@code SELECT *} from a table written as {@code name} or {@code schema.name}, each part quoted
   * the SQL standard's way (double quotes), which PostgreSQL and H2 read.
   */
  static String selectAll(String table) {
    StringBuilder sql = new StringBuilder("SELECT * FROM ");
    String[] parts = table.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sql.append('.');
      }
      sql.append('"').append(parts[i].replace("\"", "\"\"")).append('"');
    }
    return sql.toString();
  }
}
