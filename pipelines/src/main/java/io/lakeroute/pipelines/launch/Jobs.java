package io.lakeroute.pipelines.launch;

import io.lakeroute.pipelines.demo.DemoShop;
import io.lakeroute.pipelines.job.JobFile;
import io.lakeroute.pipelines.options.RouteOptions;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import java.beans.Introspector;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** A {@code --job} command line turned into the argument lists of its tables' runs. */
final class Jobs {
  /** One table to run: its name in the job file, and the arguments of its run. */
  record Planned(String name, String[] args) {}

  private Jobs() {}

  /**
   * The tables {@code --job} names, filtered by {@code --only}: each the file's options with the
   * command line's over them, so a flag given to the command applies to every table.
   */
  static List<Planned> read(RouteOptions options, String[] commandLine) {
    Path path = Path.of(options.getJob());
    Set<String> known = optionNames();
    JobFile job =
        JobFile.read(
            path,
            (key, value) -> {
              String secret =
                  SecretFlags.objection(
                      key, value, "a job file, which people share and commit with");
              if (secret != null) {
                return secret;
              }
              return known.contains(key)
                  ? null
                  : "'"
                      + key
                      + "' is not an option"
                      + (key.startsWith("-") ? " (write keys without dashes)" : "")
                      + ": see --help for every option";
            });
    Set<String> only = new LinkedHashSet<>();
    if (options.getOnly() != null) {
      Arrays.stream(options.getOnly().split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .forEach(only::add);
      Set<String> names =
          job.tables().stream().map(JobFile.Table::name).collect(Collectors.toSet());
      for (String name : only) {
        if (!names.contains(name)) {
          throw RunFailure.usage(
              "--only names '"
                  + name
                  + "', which the job file "
                  + path
                  + " does not have: its tables are "
                  + String.join(", ", job.tables().stream().map(JobFile.Table::name).toList()));
        }
      }
    }
    List<Planned> planned = new ArrayList<>();
    for (JobFile.Table table : job.tables()) {
      if (only.isEmpty() || only.contains(table.name())) {
        planned.add(new Planned(table.name(), merge(table.args(), commandLine)));
      }
    }
    return planned;
  }

  /**
   * Points the tables without a source ({@code jdbcUrl}) at the demo shop ({@link DemoShop}), which
   * lives through one more business day first (not for a dry run); its day is their logical date
   * unless the command gave one. Tables with a source are returned as they are.
   */
  static List<Planned> withDemoShop(List<Planned> tables, PrintStream out) {
    List<Planned> demo = tables.stream().filter(t -> !has(t.args(), "jdbcUrl")).toList();
    if (demo.isEmpty()) {
      return tables;
    }
    boolean dryRun = Launcher.parse(demo.get(0).args()).getDryRun();
    DemoShop.Day day;
    try {
      day = DemoShop.open(Path.of(DemoShop.DIRECTORY), !dryRun);
    } catch (IllegalStateException e) {
      throw new RunFailure(ExitCode.SOURCE, e.getMessage(), e);
    }
    out.println(day.news());
    List<Planned> pointed = new ArrayList<>();
    for (Planned table : tables) {
      if (!demo.contains(table)) {
        pointed.add(table);
        continue;
      }
      List<String> args = new ArrayList<>(Arrays.asList(table.args()));
      args.add("--jdbcUrl=" + day.jdbcUrl());
      args.add("--jdbcUser=sa");
      if (!has(table.args(), "logicalDate")) {
        args.add("--logicalDate=" + day.date());
      }
      pointed.add(new Planned(table.name(), args.toArray(new String[0])));
    }
    return pointed;
  }

  private static boolean has(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> name(a).equals(option));
  }

  /** {@code file}'s arguments, then the command line's, a later value of an option winning. */
  static String[] merge(List<String> file, String[] commandLine) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String arg : file) {
      byName.put(name(arg), arg);
    }
    for (String arg : commandLine) {
      String name = name(arg);
      if (!name.equals("job") && !name.equals("only")) {
        byName.put(name, arg);
      }
    }
    return byName.values().toArray(new String[0]);
  }

  private static String name(String arg) {
    int equals = arg.indexOf('=');
    return (equals < 0 ? arg : arg.substring(0, equals)).replaceFirst("^--", "");
  }

  /**
   * The job's exit code after a table ended with {@code table}: a failure that needs a person wins
   * over a transient one, which wins over success, so a scheduler retries only a job whose every
   * failure is worth a retry.
   */
  static ExitCode worse(ExitCode job, ExitCode table) {
    if (job == ExitCode.OK || (job == ExitCode.TRANSIENT && table != ExitCode.OK)) {
      return table;
    }
    return job;
  }

  /** Every option the command line takes, by property name. */
  private static Set<String> optionNames() {
    Set<Class<? extends PipelineOptions>> interfaces =
        new LinkedHashSet<>(PipelineOptionsFactory.getRegisteredOptions());
    interfaces.add(RouteOptions.class);
    Set<String> names = new LinkedHashSet<>();
    for (Class<?> type : interfaces) {
      for (Method method : type.getMethods()) {
        String getter = method.getName();
        if (method.getParameterCount() == 0 && getter.startsWith("get") && getter.length() > 3) {
          names.add(Introspector.decapitalize(getter.substring(3)));
        } else if (method.getParameterCount() == 0 && getter.startsWith("is")) {
          names.add(Introspector.decapitalize(getter.substring(2)));
        }
      }
    }
    return names;
  }
}
