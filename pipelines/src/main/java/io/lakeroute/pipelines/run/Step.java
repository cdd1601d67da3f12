package io.lakeroute.pipelines.run;

import java.util.Arrays;
import java.util.Locale;

/** Where {@code --fromStep} starts a run; the later steps read the published manifest. */
public enum Step {
  QUERY,
  LOAD,
  DATABRICKS;

  public static Step of(String value) {
    String wanted = value == null ? "query" : value.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(s -> s.id().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--fromStep=" + value + " is not a step: use query, load or databricks"));
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
