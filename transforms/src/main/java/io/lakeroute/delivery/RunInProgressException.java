package io.lakeroute.delivery;

import java.time.Instant;

/**
 * Another run of the same run id holds the destination's {@link RunLease}: this run must not start.
 * Worth a retry once that run has ended, or once its lease expires if it died.
 */
public final class RunInProgressException extends RuntimeException {
  private final String holder;
  private final Instant since;
  private final Instant expiresAt;

  RunInProgressException(Layout layout, String holder, Instant since, Instant expiresAt) {
    super(
        "run "
            + layout.runId()
            + " is in progress at "
            + layout.destination()
            + " since "
            + since
            + ", held by "
            + holder
            + "; it expires at "
            + expiresAt
            + " if that run died (lease "
            + layout.lease()
            + ")",
        null);
    this.holder = holder;
    this.since = since;
    this.expiresAt = expiresAt;
  }

  /** The run holding the lease: {@code host/pid}. */
  public String holder() {
    return holder;
  }

  public Instant since() {
    return since;
  }

  public Instant expiresAt() {
    return expiresAt;
  }
}
