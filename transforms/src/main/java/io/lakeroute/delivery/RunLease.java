package io.lakeroute.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run per run id and destination at a time. A run holds {@code
 * destination/_lakeroute_leases/RUN_ID.json} ({@link Layout#lease()}) while it is in progress: who
 * holds it (host, process id), since when, and until when. The lease is created with the store's
 * own atomic create-if-absent, so of two runs that start together exactly one gets it:
 *
 * <table>
 *   <caption>The primitive of each store</caption>
 *   <tr><th>store</th><th>create if absent</th><th>renew, take over, release</th></tr>
 *   <tr><td>{@code s3://}</td><td>PutObject {@code If-None-Match: *}</td>
 *       <td>PutObject / DeleteObject {@code If-Match: <ETag>}</td></tr>
 *   <tr><td>{@code azfs://}</td><td>Put Blob {@code If-None-Match: *}</td>
 *       <td>Put Blob / Delete Blob {@code If-Match: <ETag>}</td></tr>
 *   <tr><td>{@code gs://}</td><td>insert {@code ifGenerationMatch=0}</td>
 *       <td>insert / delete {@code ifGenerationMatch=<generation>}</td></tr>
 *   <tr><td>local path</td><td>{@code CREATE_NEW}</td>
 *       <td>compare and replace under an OS file lock</td></tr>
 * </table>
 *
 * <p>The holder renews the lease every third of its time to live on a daemon thread, and deletes it
 * when the run ends, failed or not. A lease whose holder died is not waited for forever: it can be
 * taken over once it expires, or at once when its holder was a process on this machine (same boot
 * and process namespace) that no longer runs, or a run of this process that has ended. A takeover
 * replaces the lease only if it is still the version that was read, so of two runs taking over the
 * same dead lease one wins; a plain delete-then-create would let the slower one delete the faster
 * one's fresh lease.
 *
 * <pre>{@code
 * try (RunLease lease = RunLease.acquire(layout, Duration.ofMinutes(10), options)) {
 *   // … deliver the run …
 * } catch (RunInProgressException e) {
 *   // "run 2026-11-21 is in progress at s3://lake/exports since …, held by host/pid; …"
 * }
 * }</pre>
 *
 * <p>Expiry is judged by the clock of the run that reads the lease: clocks must agree to well
 * within the time to live. A run that stalls longer than the time to live (its renewals failing)
 * can lose its lease to a later run; it logs that and leaves the other run's lease alone.
 *
 * <p>Why one file of about 400 lines: acquiring, renewing, taking over and releasing are one
 * protocol over one lease document, and each step's race is argued against the others'.
 */
public final class RunLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each lost race means another run changed the lease: the next read shows it held. */
  private static final int ATTEMPTS = 5;

  private static final Duration RELEASE_WAIT = Duration.ofSeconds(30);

  /**
   * Tokens of the leases this process holds now: a lease naming this process but none of these was
   * left by a run of this process that could not delete it (its store was down at the end).
   */
  private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Layout layout;
  private final Duration ttl;
  private final LeaseStore store;
  private final ScheduledExecutorService renewer;
  private Holder holder;
  private String version;
  private boolean lost;
  private boolean closed;

  private RunLease(Layout layout, Duration ttl, LeaseStore store, Holder holder, String version) {
    this.layout = layout;
    this.ttl = ttl;
    this.store = store;
    this.holder = holder;
    this.version = version;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lakeroute-lease-" + layout.runId());
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, ttl.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of {@code layout}'s run id at its destination for {@code ttl}, renewed until
   * {@link #close()}. The store is reached with the clients Beam's filesystem builds from {@code
   * options} (S3, Azure or GCS options).
   *
   * @throws RunInProgressException when a live run holds it
   * @throws DeliveryException when the store cannot be read or written
   */
  public static RunLease acquire(Layout layout, Duration ttl, PipelineOptions options) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a run lease's time to live must be positive: " + ttl);
    }
    LeaseStore store = LeaseStore.of(layout.lease(), options);
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        LeaseStore.Versioned current = store.read();
        Holder mine = Holder.mine(layout.runId(), ttl);
        // Held before it is written: another thread of this process that reads it sees it live.
        HELD_HERE.add(mine.token());
        String version = null;
        try {
          if (current == null) {
            version = store.createIfAbsent(mine.json());
          } else {
            Holder other = Holder.parse(current.content());
            if (other != null && other.live()) {
              throw new RunInProgressException(
                  layout, other.name(), other.acquiredAt(), other.expiresAt());
            }
            LOG.warn(
                "Taking over the lease {}: {}",
                layout.lease(),
                other == null ? "it cannot be read" : other.whyStale());
            version = store.replaceIfMatch(mine.json(), current.version());
          }
        } finally {
          if (version == null) {
            HELD_HERE.remove(mine.token());
          }
        }
        if (version != null) {
          LOG.info(
              "Holding {} until {}, renewed while the run lasts", layout.lease(), mine.expiresAt);
          return new RunLease(layout, ttl, store, mine, version);
        }
      }
      throw new DeliveryException(
          "The lease "
              + layout.lease()
              + " changed "
              + ATTEMPTS
              + " times while this run tried to take it; try again",
          null);
    } catch (IOException | RuntimeException e) {
      store.close();
      if (e instanceof RunInProgressException || e instanceof DeliveryException) {
        throw (RuntimeException) e;
      }
      throw new DeliveryException(
          "Cannot take the lease "
              + layout.lease()
              + " that keeps runs of "
              + layout.runId()
              + " apart: "
              + Staging.rootMessage(e),
          e);
    }
  }

  /**
   * Whether a live run holds the lease of {@code layout}'s run id: a lease that cannot be read
   * counts as held, so that nothing of a run in progress is deleted on a guess.
   */
  public static boolean heldByLiveRun(Layout layout) {
    try {
      MatchResult match = FileSystems.match(layout.lease().toString());
      if (match.status() == MatchResult.Status.NOT_FOUND) {
        return false;
      }
      try (InputStream in = Channels.newInputStream(FileSystems.open(layout.lease()))) {
        Holder holder = Holder.parse(in.readAllBytes());
        return holder == null || holder.live();
      }
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** Until when the lease holds unless renewed. */
  public synchronized Instant expiresAt() {
    return holder.expiresAt();
  }

  /** Whether another run took the lease over while this one held it (it stalled past expiry). */
  public synchronized boolean lost() {
    return lost;
  }

  /** Extends the lease; a renewal that is refused means another run took it over. */
  private synchronized void renew() {
    if (closed || lost) {
      return;
    }
    Holder next = holder.until(Instant.now().plus(ttl));
    try {
      String renewed = store.replaceIfMatch(next.json(), version);
      if (renewed != null) {
        holder = next;
        version = renewed;
        return;
      }
      // A renewal whose answer was lost may have gone through: then the lease is still this run's.
      LeaseStore.Versioned current = store.read();
      Holder now = current == null ? null : Holder.parse(current.content());
      if (now != null && now.token().equals(holder.token())) {
        holder = now;
        version = current.version();
        return;
      }
      lost = true;
      LOG.error(
          "The lease {} was taken over by {}: this run stalled past its expiry at {}, and another"
              + " run of {} may now write the same destination",
          layout.lease(),
          now == null ? "nobody (it was deleted)" : now.name(),
          holder.expiresAt(),
          layout.runId());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not renew the lease {} ({}); it holds until {}",
          layout.lease(),
          Staging.rootMessage(e),
          holder.expiresAt());
    }
  }

  /** Stops renewing and deletes the lease if it is still this run's; failures are only logged. */
  @Override
  public void close() {
    renewer.shutdown();
    try {
      renewer.awaitTermination(RELEASE_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      HELD_HERE.remove(holder.token());
      try {
        LeaseStore.Versioned current = store.read();
        Holder now = current == null ? null : Holder.parse(current.content());
        if (now != null && now.token().equals(holder.token())) {
          store.deleteIfMatch(current.version());
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Could not delete the lease {} ({}): the next run of {} can start once it expires at {}",
            layout.lease(),
            Staging.rootMessage(e),
            layout.runId(),
            holder.expiresAt());
      } finally {
        store.close();
      }
    }
  }

  /** What the lease object says, and how this process tells whether its holder still runs. */
  record Holder(
      String runId,
      String host,
      long pid,
      String processStart,
      String processSpace,
      String token,
      Instant acquiredAt,
      Instant expiresAt) {

    static Holder mine(String runId, Duration ttl) {
      Instant now = Instant.now();
      return new Holder(
          runId,
          ThisProcess.HOST,
          ProcessHandle.current().pid(),
          ThisProcess.START,
          ThisProcess.SPACE,
          UUID.randomUUID().toString(),
          now,
          now.plus(ttl));
    }

    Holder until(Instant expiry) {
      return new Holder(runId, host, pid, processStart, processSpace, token, acquiredAt, expiry);
    }

    String name() {
      return host + "/" + pid;
    }

    boolean live() {
      return whyStale() == null;
    }

    /** Why the lease may be taken over, or null when its holder may still run. */
    String whyStale() {
      Instant now = Instant.now();
      if (now.isAfter(expiresAt)) {
        return "held by " + name() + " since " + acquiredAt + ", it expired at " + expiresAt;
      }
      if (processSpace != null && processSpace.equals(ThisProcess.SPACE)) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        boolean restarted =
            process.isPresent()
                && processStart != null
                && !processStart.equals(ThisProcess.startOf(process.get()));
        if (process.isEmpty() || restarted) {
          return "held by "
              + name()
              + " since "
              + acquiredAt
              + ", a process of this machine that"
              + " no longer runs";
        }
        if (pid == ProcessHandle.current().pid() && !HELD_HERE.contains(token)) {
          return "held by "
              + name()
              + " since "
              + acquiredAt
              + ", a run of this process that ended";
        }
      }
      return null;
    }

    byte[] json() {
      ObjectNode node = JSON.createObjectNode();
      node.put("runId", runId);
      node.put("host", host);
      node.put("pid", pid);
      node.put("processStart", processStart);
      node.put("processSpace", processSpace);
      node.put("token", token);
      node.put("acquiredAt", acquiredAt.toString());
      node.put("expiresAt", expiresAt.toString());
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The holder {@code content} names, or null when it is not a lease. */
    static Holder parse(byte[] content) {
      try {
        JsonNode node = JSON.readTree(new String(content, StandardCharsets.UTF_8));
        return new Holder(
            node.path("runId").asText(),
            node.path("host").asText(),
            node.path("pid").asLong(),
            node.path("processStart").isTextual() ? node.get("processStart").asText() : null,
            node.path("processSpace").isTextual() ? node.get("processSpace").asText() : null,
            node.path("token").asText(),
            Instant.parse(node.path("acquiredAt").asText()),
            Instant.parse(node.path("expiresAt").asText()));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }

  /** This process, as a lease records it. */
  private static final class ThisProcess {
    static final String HOST = hostName();
    static final String START = startOf(ProcessHandle.current());

    /**
     * The machine boot and process namespace, where Linux tells them: a process id means the same
     * process only within both. Null elsewhere, where only expiry frees a lease.
     */
    static final String SPACE = processSpace();

    static String startOf(ProcessHandle process) {
      return process.info().startInstant().map(Instant::toString).orElse(null);
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        String env = System.getenv("HOSTNAME");
        return env == null ? "unknown-host" : env;
      }
    }

    private static String processSpace() {
      try {
        String boot =
            Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.UTF_8)
                .strip();
        return boot + " " + Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }
}
