package io.lakeroute.pipelines.run;

import io.lakeroute.delivery.WriteQueryFiles;
import io.lakeroute.query.PartitionReader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.PipelineResult;

/**
 * What a person watching a run sees while it runs: the step, rows read of the planned count,
 * rows/s, files written, elapsed time and an estimate of what is left, on stderr. On a terminal it
 * is one line rewritten in place every second; elsewhere (a log file, an orchestrator) a full line
 * every {@code --progressSeconds}. The counts are the pipeline's Beam metrics, polled from its
 * {@link PipelineResult} on the launching JVM: the driver, on Spark, so the terminal that started a
 * Spark run sees it move too. Runners publish a bundle's metrics when the bundle ends, so the rows
 * rise partition by partition, not row by row.
 */
public final class Progress implements AutoCloseable {
  /** How progress is shown. */
  public enum Mode {
    /** Nothing: {@code --quiet}. */
    OFF,
    /** One line rewritten in place: a terminal. */
    LINE,
    /** A line at a steady interval: logs. */
    LOG;

    /** {@code --progress}: auto (a line on a terminal, else log lines), line or log. */
    public static Mode of(String value, boolean quiet, boolean terminal) {
      if (quiet) {
        return OFF;
      }
      return switch (value == null ? "auto" : value.toLowerCase(Locale.ROOT)) {
        case "auto" -> terminal ? LINE : LOG;
        case "line" -> LINE;
        case "log" -> LOG;
        default ->
            throw new IllegalArgumentException(
                "--progress=" + value + " is not known: give auto, line or log (--quiet: none)");
      };
    }
  }

  private static final Duration LINE_EVERY = Duration.ofSeconds(1);

  private final Mode mode;
  private final Duration every;
  private final PrintStream err;
  private final long started = System.nanoTime();
  private ScheduledExecutorService timer;
  private volatile String step = "preflight";
  private volatile long planned = -1;
  private volatile PipelineResult pipeline;
  private volatile long deliverStarted;
  private int shownWidth;

  private Progress(Mode mode, Duration every, PrintStream err) {
    this.mode = mode;
    this.every = every;
    this.err = err;
  }

  /** No progress at all. */
  public static Progress off() {
    return new Progress(Mode.OFF, Duration.ZERO, null);
  }

  /** Progress in {@code mode} on {@code err}; log lines every {@code seconds}. */
  public static Progress of(Mode mode, int seconds, PrintStream err) {
    if (seconds < 1) {
      throw new IllegalArgumentException(
          "--progressSeconds=" + seconds + " is out of range: give 1 or more");
    }
    return new Progress(mode, mode == Mode.LINE ? LINE_EVERY : Duration.ofSeconds(seconds), err);
  }

  /** Starts showing; nothing happens when off. */
  synchronized void start() {
    if (mode == Mode.OFF || timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "lakeroute-progress");
              thread.setDaemon(true);
              return thread;
            });
    long millis = every.toMillis();
    timer.scheduleAtFixedRate(this::show, millis, millis, TimeUnit.MILLISECONDS);
  }

  void step(String name) {
    step = name;
  }

  /** The query's row count, once planned. */
  void planned(long rows) {
    planned = rows;
  }

  /** The pipeline whose metrics are polled from now on. */
  void watch(PipelineResult result) {
    deliverStarted = System.nanoTime();
    pipeline = result;
  }

  /** Stops showing; on a terminal, the last line stays as it was with a line break after it. */
  @Override
  public synchronized void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer = null;
    if (mode == Mode.LINE && shownWidth > 0) {
      err.print("\r" + " ".repeat(shownWidth) + "\r");
      err.flush();
      shownWidth = 0;
    }
  }

  private synchronized void show() {
    if (timer == null) {
      return;
    }
    PipelineResult result = pipeline;
    long read =
        result == null ? -1 : metric(() -> RouteResult.counter(result, PartitionReader.ROWS_READ));
    long files =
        result == null
            ? -1
            : metric(() -> RouteResult.counter(result, WriteQueryFiles.FILES_VERIFIED));
    double deliverSeconds = result == null ? 0 : (System.nanoTime() - deliverStarted) / 1e9;
    String text =
        line(step, read, planned, files, (System.nanoTime() - started) / 1e9, deliverSeconds);
    if (mode == Mode.LINE) {
      String padded = text + " ".repeat(Math.max(0, shownWidth - text.length()));
      err.print("\r" + padded);
      shownWidth = text.length();
    } else {
      err.println(
          "lakeroute progress " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + text);
    }
    err.flush();
  }

  /** A metric, or -1 when the runner cannot say (yet). */
  private static long metric(LongSupplier value) {
    try {
      return value.getAsLong();
    } catch (RuntimeException unavailable) {
      return -1;
    }
  }

  /**
   * The progress text: {@code read} rows of {@code planned} (-1: not known yet), read during {@code
   * deliverSeconds} of the run's {@code elapsedSeconds}.
   */
  static String line(
      String step,
      long read,
      long planned,
      long files,
      double elapsedSeconds,
      double deliverSeconds) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-10s", step));
    if (read >= 0) {
      text.append(String.format(Locale.ROOT, "  rows %,d", read));
      if (planned >= 0) {
        text.append(String.format(Locale.ROOT, " of %,d", planned));
        if (planned > 0) {
          text.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, read * 100 / planned)));
        }
      }
      double rate = deliverSeconds > 0 ? read / deliverSeconds : 0;
      text.append(String.format(Locale.ROOT, "  %,d rows/s", Math.round(rate)));
      text.append("  files ").append(Math.max(0, files));
    } else if (planned >= 0) {
      text.append(String.format(Locale.ROOT, "  %,d rows planned", planned));
    }
    text.append("  elapsed ").append(clock(elapsedSeconds));
    if (read > 0 && planned > read && deliverSeconds > 0) {
      text.append("  ETA ").append(clock((planned - read) / (read / deliverSeconds)));
    }
    return text.toString();
  }

  /** h:mm:ss, or m:ss under an hour. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
