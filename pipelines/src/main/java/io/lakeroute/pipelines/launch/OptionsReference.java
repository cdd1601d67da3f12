package io.lakeroute.pipelines.launch;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.Description;

/**
 * docs/options.md: the option reference in Markdown, rendered from the sections {@code --help}
 * prints ({@link Help#sections()}) and the options' own {@link Description}s, so that the page
 * cannot say anything the code does not. {@code OptionsReferenceTest} fails when the committed page
 * differs from what this renders; {@link #main} writes it again.
 */
public final class OptionsReference {
  /** How to write docs/options.md again, from the repository root; quoted by the test. */
  public static final String REGENERATE =
      "mvn -B -q package -DskipTests && java -cp pipelines/target/lakeroute.jar"
          + " io.lakeroute.pipelines.launch.OptionsReference docs/options.md";

  private OptionsReference() {}

  /** Writes the reference to the path given (default {@code docs/options.md}). */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "docs/options.md");
    Files.writeString(target, markdown(), StandardCharsets.UTF_8);
    System.out.println("wrote " + target.toAbsolutePath().normalize());
  }

  /** The whole page; lines end with {@code \n} on every platform. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Options\n\n")
        .append("<!-- Generated from the options' @Description and @Default by OptionsReference;")
        .append(" do not edit.\n     Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append("`java -jar pipelines/target/lakeroute.jar --help` prints the same options.")
        .append(" Options use Beam's `--camelCase=value` style; `@file` stands for the lines of a")
        .append(" file, such as `@runners-config/direct.args`. Beam's options are accepted too:")
        .append(" `--runner=DirectRunner` (default) or `SparkRunner`, which takes")
        .append(" `--sparkMaster=local[2]`, `spark://…` or `yarn`; `--targetParallelism`; and any")
        .append(" other.\n\n");
    for (Help.Section section : Help.sections()) {
      md.append("## ").append(section.title()).append("\n\n");
      md.append("| option | default | meaning |\n|---|---|---|\n");
      for (Method getter : section.getters()) {
        String value = Help.defaultOf(getter);
        md.append("| `--")
            .append(Help.flag(getter))
            .append("` | ")
            .append(value == null ? "" : value.isEmpty() ? "(empty)" : code(value))
            .append(" | ")
            .append(text(getter.getAnnotation(Description.class).value()))
            .append(" |\n");
      }
      if (!section.notes().isEmpty()) {
        // As --help prints them: the route list and Beam's own options line by line.
        md.append("\n```\n").append(String.join("\n", section.notes())).append("\n```\n");
      }
      md.append('\n');
    }
    return md.toString().stripTrailing() + "\n";
  }

  /** A default as a code span, long enough a fence for the backticks it may hold. */
  private static String code(String value) {
    String fence = value.contains("`") ? "``" : "`";
    String pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
    return fence + pad + value.replace("|", "\\|") + pad + fence;
  }

  /**
   * A description as table-cell text: one line, and outside `code spans` the characters Markdown
   * would read as markup escaped, so {@code <runId>} and {@code _SUCCESS} show as written.
   */
  private static String text(String description) {
    String[] parts = description.replaceAll("\\s*\\R\\s*", " ").split("`", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.append('`');
      }
      out.append(i % 2 == 1 ? parts[i].replace("|", "\\|") : escape(parts[i]));
    }
    return out.toString();
  }

  private static String escape(String plain) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      boolean intraword =
          c == '_'
              && i > 0
              && i < plain.length() - 1
              && Character.isLetterOrDigit(plain.charAt(i - 1))
              && Character.isLetterOrDigit(plain.charAt(i + 1));
      if ("\\*<|".indexOf(c) >= 0 || (c == '_' && !intraword)) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
