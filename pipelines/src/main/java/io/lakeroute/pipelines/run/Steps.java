package io.lakeroute.pipelines.run;

import java.util.function.Supplier;

/**
 * How a route runs one of its steps outside the pipeline (a resumed load or Databricks step): the
 * runner times and records it, and turns what it throws into the run's failure.
 */
public interface Steps {
  <T> T run(String step, Supplier<T> body);

  void skipped(String step);
}
