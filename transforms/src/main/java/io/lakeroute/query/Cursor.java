package io.lakeroute.query;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An incremental read: only the query's rows whose cursor column lies past a high-water mark. The
 * planner ({@link QueryPlanner#plan(SourceSnapshot, String, Partitioning, Cursor)}) reads the
 * column's maximum in the run's snapshot, reads the rows in {@code (mark - lag, maximum]} and
 * records that range ({@link Range}) in the plan; the range goes into the run's manifest, where the
 * next run finds its high-water mark. Rows whose cursor is NULL are read only by a run without a
 * mark (the first one, or a full refresh).
 *
 * <pre>{@code
 * Cursor cursor = Cursor.on("updated_at").withLag("PT2H").after("2026-12-06T23:59:58.5");
 * QueryPlan plan = QueryPlanner.plan(snapshot, "SELECT * FROM orders", partitioning, cursor);
 * plan.cursorRange().to(); // the new high-water mark
 * }</pre>
 *
 * <p>Values are written as text ({@link Range}): integers in decimal, dates ISO, timestamps ISO
 * with microseconds, timestamps with time zone as UTC instants ({@code …Z}).
 */
public final class Cursor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final String lag;
  private final String after;
  private final Range replay;
  private final List<String> latestPer;

  private Cursor(String column, String lag, String after, Range replay, List<String> latestPer) {
    this.column = column;
    this.lag = lag;
    this.after = after;
    this.replay = replay;
    this.latestPer = latestPer;
  }

  /** Reads the rows of {@code column} past the mark, without a lag; from the start without one. */
  public static Cursor on(String column) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException(
          "The cursor column (Cursor.on) is empty: name an integer, date or timestamp column of"
              + " the query that grows with every new or changed row");
    }
    return new Cursor(column.strip(), null, null, null, List.of());
  }

  /**
   * Re-reads rows up to {@code lag} below the mark, for rows that arrive late: an integer for an
   * integer cursor, an ISO-8601 duration ({@code PT2H}, {@code P1D}) for a date or timestamp.
   * Checked against the column's type when the query is planned.
   */
  public Cursor withLag(String lag) {
    if (lag != null && lag.isBlank()) {
      throw new IllegalArgumentException(
          "The cursor lag (Cursor.withLag) is empty: give an integer for an integer cursor or an"
              + " ISO-8601 duration such as PT2H or P1D, or leave it out");
    }
    return new Cursor(column, lag == null ? null : lag.strip(), after, replay, latestPer);
  }

  /** Reads rows past {@code highWaterMark} (a previous run's {@link Range#to}); null: all. */
  public Cursor after(String highWaterMark) {
    return new Cursor(column, lag, highWaterMark, null, latestPer);
  }

  /**
   * Reads exactly {@code range} again, as the run that first read it did: a re-run of a run id
   * replays its own range instead of reading past its own mark.
   */
  public Cursor replaying(Range range) {
    if (!range.column().equalsIgnoreCase(column)) {
      throw new IllegalArgumentException(
          "The run replayed read cursor column "
              + range.column()
              + ", not "
              + column
              + " (Cursor.on): give the run's own cursor column, or a full refresh");
    }
    return new Cursor(column, lag, null, range, latestPer);
  }

  /**
   * Keeps one row per value of {@code keys}, the one with the highest cursor: a source that holds a
   * key twice in one run (an append-only change log) delivers only its latest version, which a
   * merge on those keys then applies. NULL keys count as one value, as in the merge. Rows of one
   * key and one cursor value are kept in no defined order, so one of them is delivered.
   */
  public Cursor latestPer(List<String> keys) {
    if (keys == null || keys.stream().anyMatch(k -> k == null || k.isBlank())) {
      throw new IllegalArgumentException(
          "The keys to keep the latest row of (Cursor.latestPer) must be column names");
    }
    return new Cursor(column, lag, after, replay, List.copyOf(keys));
  }

  public String column() {
    return column;
  }

  /**
   * The rows a run read: cursor values above {@code from} (null: from the start, NULL cursors
   * included) up to and including {@code to} (null: the column held no value). {@code to} is the
   * high-water mark the next run starts from.
   *
   * @param type the cursor's type as the manifest names it: {@code int64}, {@code date}, {@code
   *     timestamp} or {@code timestamp_tz}
   */
  public record Range(String column, String type, String from, String to) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether this range ends later than {@code other}, which has the same type. */
    public boolean endsAfter(Range other) {
      if (to == null || other.to == null) {
        return to != null;
      }
      return Kind.of(type).compare(to, other.to) > 0;
    }
  }

  /** The cursor types, how their values are written as text and compared. */
  public enum Kind {
    INTEGER("int64"),
    DATE("date"),
    TIMESTAMP("timestamp"),
    TIMESTAMP_TZ("timestamp_tz");

    final String type;

    Kind(String type) {
      this.type = type;
    }

    static Kind of(String type) {
      for (Kind kind : values()) {
        if (kind.type.equals(type)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("not a cursor type: " + type);
    }

    /** The text of a value as the source dialect's reader returns it. */
    String text(Object value) {
      return switch (this) {
        case INTEGER -> String.valueOf(((Number) value).longValue());
        case DATE -> value.toString();
        case TIMESTAMP -> ((LocalDateTime) value).toString();
        case TIMESTAMP_TZ -> ((Instant) value).toString();
      };
    }

    Comparable<?> parse(String text) {
      return switch (this) {
        case INTEGER -> Long.parseLong(text);
        case DATE -> LocalDate.parse(text);
        case TIMESTAMP -> LocalDateTime.parse(text);
        case TIMESTAMP_TZ -> Instant.parse(text);
      };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    int compare(String a, String b) {
      return ((Comparable) parse(a)).compareTo(parse(b));
    }

    /** {@code mark} moved back by {@code lag}; the lag is checked against this kind. */
    String minus(String mark, String lag, String column) {
      if (lag == null) {
        return mark;
      }
      try {
        if (this == INTEGER) {
          long back = Long.parseLong(lag);
          if (back < 0) {
            throw new NumberFormatException("negative");
          }
          return String.valueOf(Math.subtractExact(Long.parseLong(mark), back));
        }
        Duration back = Duration.parse(lag.toUpperCase(Locale.ROOT));
        if (back.isNegative()) {
          throw new DateTimeParseException("negative", lag, 0);
        }
        return switch (this) {
          case DATE -> {
            if (back.toSeconds() % 86_400 != 0) {
              throw new DateTimeParseException("not whole days", lag, 0);
            }
            yield LocalDate.parse(mark).minusDays(back.toDays()).toString();
          }
          case TIMESTAMP -> LocalDateTime.parse(mark).minus(back).toString();
          default -> Instant.parse(mark).minus(back).toString();
        };
      } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
        throw new IllegalArgumentException(
            "The cursor lag (Cursor.withLag) '"
                + lag
                + "' does not fit cursor column "
                + column
                + " ("
                + type
                + "): give "
                + (this == INTEGER
                    ? "a whole number of 0 or more"
                    : this == DATE
                        ? "whole days as an ISO-8601 duration, such as P1D"
                        : "an ISO-8601 duration of 0 or more, such as PT2H or P1D"),
            e);
      }
    }
  }

  String lag() {
    return lag;
  }

  String after() {
    return after;
  }

  Range replay() {
    return replay;
  }

  List<String> latestPer() {
    return latestPer;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cursor c
        && column.equals(c.column)
        && Objects.equals(lag, c.lag)
        && Objects.equals(after, c.after)
        && Objects.equals(replay, c.replay)
        && latestPer.equals(c.latestPer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(column, lag, after, replay, latestPer);
  }
}
