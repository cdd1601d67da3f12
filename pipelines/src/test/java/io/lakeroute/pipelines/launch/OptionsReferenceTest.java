package io.lakeroute.pipelines.launch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lakeroute.pipelines.options.RouteOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Description;
import org.junit.jupiter.api.Test;

class OptionsReferenceTest {
  // Surefire runs in the module's directory; docs/ is at the repository root.
  private static final Path PAGE = Path.of("..", "docs", "options.md");

  @Test
  void theCommittedPageIsWhatTheOptionsSay() throws Exception {
    String committed = Files.readString(PAGE, StandardCharsets.UTF_8).replace("\r\n", "\n");
    String generated = OptionsReference.markdown();
    if (!committed.equals(generated)) {
      fail(
          "docs/options.md is out of date: regenerate with "
              + OptionsReference.REGENERATE
              + "\n"
              + firstDifference(generated, committed));
    }
  }

  /** The first line that differs, so that the failure says what drifted without both pages. */
  private static String firstDifference(String generated, String committed) {
    List<String> want = generated.lines().toList();
    List<String> have = committed.lines().toList();
    for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
      String expected = i < want.size() ? want.get(i) : "(end of page)";
      String actual = i < have.size() ? have.get(i) : "(end of page)";
      if (!expected.equals(actual)) {
        return "line " + (i + 1) + " should be:\n  " + expected + "\nbut is:\n  " + actual;
      }
    }
    return "the pages differ only in the newline at the end";
  }

  @Test
  void everyLakerouteOptionIsInASection() {
    Set<String> listed =
        Help.sections().stream()
            .flatMap(s -> s.getters().stream())
            .map(Help::flag)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing =
        Arrays.stream(RouteOptions.class.getMethods())
            .filter(m -> m.getDeclaringClass().getPackageName().startsWith("io.lakeroute"))
            .filter(m -> m.getAnnotation(Description.class) != null)
            .map(Help::flag)
            .filter(flag -> !listed.contains(flag))
            .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(missing.isEmpty(), "options neither --help nor docs/options.md lists: " + missing);
  }

  @Test
  void helpPrintsEverySectionAndOption() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Help.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String help = bytes.toString(StandardCharsets.UTF_8);
    for (Help.Section section : Help.sections()) {
      assertTrue(help.contains("\n" + section.title() + ":\n"), section.title());
      for (Method getter : section.getters()) {
        assertTrue(help.contains("  --" + Help.flag(getter)), Help.flag(getter));
      }
    }
  }
}
