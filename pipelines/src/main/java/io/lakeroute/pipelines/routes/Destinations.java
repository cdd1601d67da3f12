package io.lakeroute.pipelines.routes;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The store a destination URI names, and the check that a route delivers there. */
public final class Destinations {
  private Destinations() {}

  /**
   * Fails, naming the flag and what the route takes, when {@code destination}'s scheme is not one
   * of {@code allowed} ({@code file} standing for a local path), so that a typo in a URI fails
   * before anything is read.
   */
  public static void check(String route, String destination, Set<String> allowed) {
    if (!allowed.contains(schemeOf(destination))) {
      throw new IllegalArgumentException(
          "--destination="
              + destination
              + " is not a location --route="
              + route
              + " delivers to: use "
              + new TreeSet<>(allowed)
                  .stream()
                      .map(s -> s.equals("file") ? "a local path" : s + "://…")
                      .collect(Collectors.joining(" or ")));
    }
  }

  /** The URI scheme of {@code location}; a plain path is {@code file}. */
  public static String schemeOf(String location) {
    int colon = location.indexOf("://");
    return colon > 0 && location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
        ? location.substring(0, colon).toLowerCase(Locale.ROOT)
        : "file";
  }
}
