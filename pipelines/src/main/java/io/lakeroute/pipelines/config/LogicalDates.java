package io.lakeroute.pipelines.config;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** {@code --logicalDate}: one date, or an inclusive range {@code from..to} for a backfill. */
public final class LogicalDates {
  /** Ten years of days: a range longer than that is a typo, not a backfill. */
  static final int MAX_DATES = 3660;

  private LogicalDates() {}

  /** The dates {@code value} names, in order; today (UTC, from {@code clock}) when it is null. */
  public static List<LocalDate> parse(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return List.of(LocalDate.now(clock));
    }
    String text = value.strip();
    int dots = text.indexOf("..");
    if (dots < 0) {
      return List.of(date(text, value));
    }
    LocalDate from = date(text.substring(0, dots), value);
    LocalDate to = date(text.substring(dots + 2), value);
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "--logicalDate=" + value + " ends before it starts: write the earlier date first");
    }
    List<LocalDate> dates = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (dates.size() == MAX_DATES) {
        throw new IllegalArgumentException(
            "--logicalDate=" + value + " spans more than " + MAX_DATES + " days: split it");
      }
      dates.add(d);
    }
    return dates;
  }

  private static LocalDate date(String text, String value) {
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--logicalDate="
              + value
              + " is not a date: use yyyy-MM-dd, or yyyy-MM-dd..yyyy-MM-dd for a backfill",
          e);
    }
  }
}
