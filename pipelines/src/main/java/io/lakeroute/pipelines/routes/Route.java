package io.lakeroute.pipelines.routes;

import io.lakeroute.pipelines.config.RunConfig;
import io.lakeroute.pipelines.options.RouteOptions;
import java.util.List;
import java.util.function.Function;

/**
 * A route: where the query's files go and what happens to them after they are published. Every
 * route shares the first half (plan the query, write the files, read them back, reconcile,
 * publish), which {@link io.lakeroute.pipelines.run.RouteRunner} drives the same way for all; a
 * route contributes its own options, checked into its own immutable config, and the steps after the
 * publish, as a {@link RoutePlan}.
 *
 * <p>A new route is one package with a class implementing this interface, and one line in {@link
 * Routes}.
 */
public interface Route {
  /** The name {@code --route} takes. */
  String id();

  /** One line for {@code --help}: the hops of the route. */
  String description();

  /**
   * Checks the route's own options against the shared config and returns the run's plan; nothing is
   * contacted yet.
   *
   * @throws IllegalArgumentException naming the flag at fault and what to do
   */
  RoutePlan configure(RouteOptions options, RunConfig run, Function<String, String> env);

  /**
   * The hops after the files that {@code lakeroute verify} re-checks for a published run, as the
   * options select them (the same options as the run, without what only a load needs); none when
   * the options name none.
   *
   * @throws IllegalArgumentException naming the flag at fault and what to do
   */
  default List<PublishedHop> published(RouteOptions options, Function<String, String> env) {
    return List.of();
  }
}
