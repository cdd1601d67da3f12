package io.lakeroute.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * CPU accounting per step of a lakeroute run, from a Java Flight Recorder file ({@code benchmark.sh
 * --profile} records one per Direct run): every execution sample is given to the first step its
 * stack shows, looked for from the innermost frame outwards, so that e.g. MD5 under the read-back
 * counts as read-back, and under the read as fingerprinting.
 *
 * <p>{@code java -cp … io.lakeroute.bench.Profile file.jfr…}
 */
public final class Profile {
  /** A step and the frames (class name prefixes) that mean the JVM is in it. */
  private record Step(String name, List<String> frames) {}

  private static final List<Step> STEPS =
      List.of(
          new Step(
              "read-back verification (decode files again, SHA-256, fingerprint)",
              List.of("io.lakeroute.formats.FileVerifier", "io.lakeroute.formats.FileValues")),
          new Step("planning (COUNT, histogram)", List.of("io.lakeroute.query.QueryPlanner")),
          new Step(
              "publish (copy to the run directory, manifest)",
              List.of("io.lakeroute.delivery.Publish", "io.lakeroute.delivery.Manifest")),
          new Step(
              "fingerprint of the rows read (canonical text, MD5)",
              List.of("io.lakeroute.fingerprint.")),
          new Step(
              "encode and write (format writer, compression, file system)",
              List.of(
                  "io.lakeroute.formats.",
                  "org.apache.parquet.",
                  "org.apache.avro.",
                  "org.xerial.snappy.",
                  "com.fasterxml.jackson.",
                  "org.apache.beam.sdk.io.")),
          new Step(
              "JDBC read and decode (driver, row objects)",
              List.of(
                  "org.postgresql.",
                  "io.lakeroute.query.PartitionReader",
                  "org.apache.beam.sdk.values.Row")));

  private Profile() {}

  public static void main(String[] args) throws IOException {
    for (String file : args) {
      System.out.println(file);
      System.out.print(table(Path.of(file)));
    }
  }

  /** A Markdown table of the share of CPU samples per step. */
  static String table(Path jfr) throws IOException {
    Map<String, Long> samples = new LinkedHashMap<>();
    STEPS.forEach(step -> samples.put(step.name(), 0L));
    samples.put("other (Beam, JVM start, logging)", 0L);
    long total = 0;
    try (RecordingFile recording = new RecordingFile(jfr)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        total++;
        samples.merge(stepOf(event.getStackTrace()), 1L, Long::sum);
      }
    }
    StringBuilder out = new StringBuilder("| step | CPU samples | share |\n|---|---|---|\n");
    for (Map.Entry<String, Long> e : samples.entrySet()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.0f %% |%n",
              e.getKey(),
              e.getValue(),
              total == 0 ? 0.0 : 100.0 * e.getValue() / total));
    }
    return out.toString();
  }

  private static String stepOf(RecordedStackTrace stack) {
    if (stack == null) {
      return "other (Beam, JVM start, logging)";
    }
    List<RecordedFrame> frames = stack.getFrames();
    // Outer steps first: a frame of the read-back anywhere on the stack makes it read-back.
    for (Step step : STEPS.subList(0, 3)) {
      for (RecordedFrame frame : frames) {
        if (matches(step, frame)) {
          return step.name();
        }
      }
    }
    for (RecordedFrame frame : frames) {
      for (Step step : STEPS.subList(3, STEPS.size())) {
        if (matches(step, frame)) {
          return step.name();
        }
      }
    }
    return "other (Beam, JVM start, logging)";
  }

  private static boolean matches(Step step, RecordedFrame frame) {
    if (frame.getMethod() == null) {
      return false;
    }
    String type = frame.getMethod().getType().getName();
    return step.frames().stream().anyMatch(type::startsWith);
  }
}
