package io.lakeroute.bench;

import io.lakeroute.bench.Benchmark.Run;
import io.lakeroute.bench.Benchmark.Settings;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * The benchmark's results: every run in {@code results.csv}, and per row count a table of each
 * system and format (rates as multiples of the plain JDBC read of the same round, min–max over the
 * rounds) in {@code results.md} and on stdout, and {@code benchmark.png}: one bar per system and
 * format, the mean of the rounds.
 */
final class Report {
  private static final String[] SYSTEMS = {"spark", "direct", "sparkrunner"};
  private static final Color[] COLORS = {
    new Color(0x9e9e9e), new Color(0x1f77b4), new Color(0xff7f0e)
  };

  private Report() {}

  static void write(Settings settings, List<Run> runs) throws IOException {
    if (runs.isEmpty()) {
      return;
    }
    StringBuilder csv =
        new StringBuilder(
            "rows,round,system,format,seconds,rows_per_second,ratio_to_jdbc,jvm_cpu_s,"
                + "postgres_cpu_s,peak_rss_bytes\n");
    for (Run r : runs) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%s,%s,%.3f,%.0f,%.3f,%.1f,%.1f,%d%n",
              r.rows(),
              r.round(),
              r.system(),
              r.format(),
              r.seconds(),
              r.rowsPerSecond(),
              ratio(runs, r),
              r.jvmCpu(),
              r.postgresCpu(),
              r.peakRss()));
    }
    Files.writeString(settings.out.resolve("results.csv"), csv);

    StringBuilder md = new StringBuilder();
    md.append("Settings: ");
    settings.describe().forEach((k, v) -> md.append(k).append(' ').append(v).append("; "));
    md.append("\n\n");
    for (long rows : runs.stream().map(Run::rows).distinct().toList()) {
      List<Run> atRows = runs.stream().filter(r -> r.rows() == rows).toList();
      md.append(String.format(Locale.ROOT, "### %,d rows%n%n", rows));
      md.append(
          "| system | format | seconds | rows/s | × JDBC read | ÷ Spark | CPU JVM s | CPU"
              + " PostgreSQL s | peak RSS GB |\n|---|---|---|---|---|---|---|---|---|\n");
      Map<String, List<Run>> byLabel =
          atRows.stream()
              .collect(Collectors.groupingBy(Run::label, LinkedHashMap::new, Collectors.toList()));
      for (List<Run> same : byLabel.values()) {
        Run first = same.get(0);
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                first.system(),
                first.format(),
                range(same, Run::seconds, "%.1f"),
                range(same, Run::rowsPerSecond, "%,.0f"),
                range(same, r -> ratio(runs, r), "%.2f"),
                first.format().equals("-") || first.system().equals("spark")
                    ? ""
                    : range(same, r -> toSpark(runs, r), "%.2f"),
                range(same, Run::jvmCpu, "%.0f"),
                range(same, Run::postgresCpu, "%.0f"),
                range(same, r -> r.peakRss() / (1024.0 * 1024 * 1024), "%.2f")));
      }
      md.append('\n');
    }
    Files.writeString(settings.out.resolve("results.md"), md);
    System.out.println();
    System.out.print(md);
    plot(settings, runs);
    System.out.println("Wrote results.csv, results.md and benchmark.png to " + settings.out);
  }

  /** The runs {@link #write} recorded in {@code results.csv}, to report them again. */
  static List<Run> read(Path csv) throws IOException {
    List<Run> runs = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      runs.add(
          new Run(
              Long.parseLong(f[0]),
              Integer.parseInt(f[1]),
              f[2],
              f[3],
              Double.parseDouble(f[4]),
              Double.parseDouble(f[7]),
              Double.parseDouble(f[8]),
              Long.parseLong(f[9])));
    }
    return runs;
  }

  /** A run's rate over the plain JDBC read's in the same round and row count. */
  private static double ratio(List<Run> runs, Run run) {
    return runs.stream()
        .filter(
            r -> r.system().equals("jdbc") && r.rows() == run.rows() && r.round() == run.round())
        .findFirst()
        .map(jdbc -> run.rowsPerSecond() / jdbc.rowsPerSecond())
        .orElse(Double.NaN);
  }

  /** A run's rate over Spark's for the same format, round and row count. */
  private static double toSpark(List<Run> runs, Run run) {
    return runs.stream()
        .filter(
            r ->
                r.system().equals("spark")
                    && r.format().equals(run.format())
                    && r.rows() == run.rows()
                    && r.round() == run.round())
        .findFirst()
        .map(spark -> run.rowsPerSecond() / spark.rowsPerSecond())
        .orElse(Double.NaN);
  }

  /**
   * Min–max of a value over the rounds; blank where it has no value (no Spark run to divide by).
   */
  private static String range(List<Run> runs, ToDoubleFunction<Run> value, String format) {
    DoubleSummaryStatistics s =
        runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).summaryStatistics();
    if (s.getCount() == 0) {
      return "";
    }
    String low = String.format(Locale.ROOT, format, s.getMin());
    String high = String.format(Locale.ROOT, format, s.getMax());
    return low.equals(high) ? low : low + "–" + high;
  }

  /** Bars of the mean rate over the JDBC read, per row count and format, one per system. */
  private static void plot(Settings settings, List<Run> runs) throws IOException {
    List<String> groups = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (long rows : runs.stream().map(Run::rows).distinct().toList()) {
      for (String format : settings.formats) {
        double[] bars = new double[SYSTEMS.length];
        for (int s = 0; s < SYSTEMS.length; s++) {
          String system = SYSTEMS[s];
          bars[s] =
              runs.stream()
                  .filter(
                      r ->
                          r.rows() == rows
                              && r.system().equals(system)
                              && r.format().equals(format))
                  .mapToDouble(r -> ratio(runs, r))
                  .average()
                  .orElse(Double.NaN);
        }
        groups.add(String.format(Locale.ROOT, "%s %dM", format, rows / 1_000_000));
        values.add(bars);
      }
    }
    int width = Math.max(760, 120 + groups.size() * 110);
    int height = 420;
    int left = 70;
    int bottom = height - 70;
    int top = 50;
    double max = 0.1;
    for (double[] bars : values) {
      for (double v : bars) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    max = Math.ceil(max * 5) / 5;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(
        "Rows/s as a multiple of a plain JDBC read of every column (mean of rounds)", left, 25);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i <= 5; i++) {
      double v = max * i / 5;
      int y = bottom - (int) ((bottom - top) * v / max);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, y, width - 20, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.2f", v), left - 40, y + 4);
    }
    int y1 = bottom - (int) ((bottom - top) * 1.0 / max);
    if (max >= 1.0) {
      g.setColor(Color.RED);
      g.setStroke(new BasicStroke(1f));
      g.drawLine(left, y1, width - 20, y1);
    }
    int x = left + 15;
    for (int gi = 0; gi < groups.size(); gi++) {
      double[] bars = values.get(gi);
      for (int s = 0; s < bars.length; s++) {
        if (Double.isNaN(bars[s])) {
          continue;
        }
        int h = (int) ((bottom - top) * bars[s] / max);
        g.setColor(COLORS[s]);
        g.fillRect(x + s * 28, bottom - h, 26, h);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.2f", bars[s]), x + s * 28, bottom - h - 4);
      }
      g.drawString(groups.get(gi), x + 10, bottom + 18);
      x += 110;
    }
    String[] legend = {"Spark 3.5 read.jdbc → write", "lakeroute Direct", "lakeroute Spark runner"};
    for (int s = 0; s < legend.length; s++) {
      g.setColor(COLORS[s]);
      g.fillRect(left + s * 210, height - 35, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(legend[s], left + s * 210 + 20, height - 24);
    }
    g.dispose();
    ImageIO.write(image, "png", settings.out.resolve("benchmark.png").toFile());
  }
}
