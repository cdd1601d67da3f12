package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library speaks its own vocabulary: no string literal under transforms/src/main/java names a
 * command-line flag, and every {@code withX} a literal names is one {@link FlagVocabulary} turns
 * into a flag, or one listed here as the library's own. A new message that names a new setting
 * fails here until the table knows its flag.
 */
class LibraryVocabularyTest {
  /** The transforms' sources, from the pipelines module's directory (where Maven runs tests). */
  private static final Path SOURCES = Path.of("../transforms/src/main/java");

  /** A flag as lakeroute and Beam spell them: camelCase after two dashes. */
  private static final Pattern FLAG = Pattern.compile("--[a-z][A-Za-z]+(?![-A-Za-z])");

  /** Flags of other tools' commands a message suggests ({@code az storage …}, {@code bq mk}). */
  private static final Set<String> OTHER_TOOLS_FLAGS = Set.of("--name", "--dataset");

  private static final Pattern SETTING =
      Pattern.compile("(?<![\\w.])(?:([A-Z]\\w*)\\.)?(with[A-Z]\\w*)");

  /**
   * {@code Class.withX} that no flag feeds: a library user's calls, named in messages about
   * programming errors. A bare {@code withX} counts as its file's class's.
   */
  private static final Set<String> LIBRARY_ONLY = Set.of("Publish.withSchema");

  /** A string literal: where it starts and its text (adjacent {@code "a" + "b"} joined). */
  record Literal(Path file, int line, String text) {
    @Override
    public String toString() {
      return SOURCES.relativize(file) + ":" + line + ": \"" + text + "\"";
    }
  }

  @Test
  void noLiteralNamesACommandLineFlag() throws IOException {
    List<String> flags = new ArrayList<>();
    for (Literal literal : literals()) {
      Matcher flag = FLAG.matcher(literal.text());
      while (flag.find()) {
        if (!OTHER_TOOLS_FLAGS.contains(flag.group())) {
          flags.add(flag.group() + " in " + literal);
        }
      }
    }
    assertThat(
        "name the setting by its withX (and add it to FlagVocabulary), or the thing itself",
        flags,
        empty());
  }

  @Test
  void everySettingALiteralNamesHasAFlagOrIsTheLibrarysOwn() throws IOException {
    List<String> unknown = new ArrayList<>();
    for (Literal literal : literals()) {
      String fileClass = literal.file().getFileName().toString().replace(".java", "");
      Matcher setting = SETTING.matcher(literal.text());
      while (setting.find()) {
        String token = setting.group();
        String qualified = setting.group(1) != null ? token : fileClass + "." + setting.group(2);
        boolean known =
            LIBRARY_ONLY.contains(qualified)
                // toFlags would rewrite a bare library-only name that some class's flag shares.
                ? setting.group(1) != null || FlagVocabulary.flagOf(token).isEmpty()
                : FlagVocabulary.flagOf(token).isPresent();
        if (!known) {
          unknown.add(token + " in " + literal);
        }
      }
    }
    assertThat(
        "map each to its flag in FlagVocabulary, or list it in LIBRARY_ONLY", unknown, empty());
  }

  @Test
  void findsTheLiteralsOfTheTransforms() throws IOException {
    assertThat(literals().size(), greaterThan(500));
  }

  @Test
  void readsLiteralsAsJavaDoes() {
    String source =
        "// \"--inComment\"\n"
            + "/* \"--inBlock\" */ char q = '\"'; char e = '\\'';\n"
            + "String s = \"a \\\"quoted\\\" \" +\n   \"joined\" + x + \"apart\";\n"
            + "String t = \"\"\"\n  text block\n  \"\"\";\n";
    List<Literal> found = literals(Path.of("X.java"), source);
    assertThat(
        found.stream().map(Literal::text).toList(),
        contains("a \\\"quoted\\\" joined", "apart", "\n  text block\n  "));
    assertThat(found.get(0).line(), equalTo(3));
    assertThat(literals(Path.of("Y.java"), "int x = 1;"), hasSize(0));
  }

  private static List<Literal> literals() throws IOException {
    List<Literal> literals = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        literals.addAll(literals(file, Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
    return literals;
  }

  /** The string literals of Java source text, skipping comments and character literals. */
  static List<Literal> literals(Path file, String source) {
    List<Literal> literals = new ArrayList<>();
    int line = 1;
    int i = 0;
    boolean joinNext = false;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (source.startsWith("//", i)) {
        i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? source.length() : end + 2;
        line += count(source, i, end);
        i = end;
      } else if (c == '\'') {
        int end = i + 1;
        while (end < source.length() && source.charAt(end) != '\'') {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        i = end + 1;
      } else if (c == '"') {
        boolean block = source.startsWith("\"\"\"", i);
        int start = block ? source.indexOf('\n', i) : i + 1;
        int end = start;
        while (end < source.length()
            && !(block ? source.startsWith("\"\"\"", end) : source.charAt(end) == '"')) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        String text = source.substring(start, end);
        if (joinNext) {
          Literal previous = literals.remove(literals.size() - 1);
          literals.add(new Literal(file, previous.line(), previous.text() + text));
        } else {
          literals.add(new Literal(file, line, text));
        }
        line += count(source, i, end);
        i = end + (block ? 3 : 1);
        int next = nextJoinedLiteral(source, i);
        joinNext = next >= 0;
        if (joinNext) {
          line += count(source, i, next);
          i = next;
        }
      } else {
        i++;
      }
    }
    return literals;
  }

  /** Where the next literal starts when only {@code +} and blanks lead to it, else -1. */
  private static int nextJoinedLiteral(String source, int from) {
    int i = from;
    while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
      i++;
    }
    if (i >= source.length() || source.charAt(i) != '+') {
      return -1;
    }
    i++;
    while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
      i++;
    }
    return i < source.length() && source.charAt(i) == '"' ? i : -1;
  }

  private static int count(String source, int from, int to) {
    int lines = 0;
    for (int i = from; i < to; i++) {
      if (source.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
