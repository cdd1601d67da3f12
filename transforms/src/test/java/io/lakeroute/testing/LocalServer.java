package io.lakeroute.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server the integration tests run on 127.0.0.1 in a process of its own: the lifecycle every
 * local stand-in shares. A subclass holds only what is its own: the command line ({@link
 * #command}), the readiness probe ({@link #ready}) and the clients tests use.
 *
 * <p>The first {@link #start()} makes a temp dir for the server's data and log, picks free loopback
 * ports (or takes the fixed ones the subclass asks for), launches the command and waits for the
 * probe until a deadline. A port that another process took between the pick and the bind costs a
 * new pick, up to three times. Later starts restart on the same ports and data, so a test can
 * {@link #stop()} a store to see a route fail and {@link #start()} it again. When the server does
 * not come up, the exception carries the tail of its log; when it exits while tests use it, the
 * tail is logged. {@link #close()}, also run when the JVM exits, ends the server and deletes the
 * dir. The child dies with the JVM even when a kill -9 skips that hook ({@code setpriv
 * --pdeathsig}).
 *
 * <p>The usual shape of a stand-in: one instance per JVM from {@code shared()}, and a private one
 * for tests that must not disturb it:
 *
 * <pre>{@code
 * public static LocalFoo shared() {
 *   return shared(LocalFoo.class, LocalFoo::new);
 * }
 * }</pre>
 */
public abstract class LocalServer implements AutoCloseable {
  /** The only address the servers listen on and the tests connect to. */
  protected static final String LOOPBACK = "127.0.0.1";

  private static final int PORT_ATTEMPTS = 3;
  private static final int TAIL_LINES = 60;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final Map<String, LocalServer> SHARED = new HashMap<>();

  /**
   * Starts every server from one thread that lives as long as this JVM: the kernel sends the
   * parent-death signal when the thread that forked the child ends, not the process.
   */
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lakeroute-local-server-launcher");
            t.setDaemon(true);
            return t;
          });

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final String name;
  private final Duration startupTimeout;
  private final Duration stopGrace;
  private final int[] wantedPorts;
  private int[] ports;
  private Path dir;
  private Path logFile;
  private long launchLogOffset;
  private Process process;
  private volatile Process stopping;
  private boolean closed;
  private Thread exitHook;

  /**
   * @param name how messages call the server ("S3Mock")
   * @param startupTimeout how long one launch may take to become ready
   * @param stopGrace how long {@link #stop()} waits for a polite exit before it kills
   * @param wantedPorts one entry per port the server listens on: 0 for a free one, else that port
   */
  protected LocalServer(
      String name, Duration startupTimeout, Duration stopGrace, int... wantedPorts) {
    if (wantedPorts.length == 0) {
      throw new IllegalArgumentException("a server listens on at least one port");
    }
    this.name = name;
    this.startupTimeout = startupTimeout;
    this.stopGrace = stopGrace;
    this.wantedPorts = wantedPorts.clone();
  }

  /**
   * The instance of {@code type} for this JVM, created and started on first use (and again after a
   * test closed it), stopped when the JVM exits.
   */
  protected static <T extends LocalServer> T shared(Class<T> type, Supplier<T> create) {
    return shared(type, type.getName(), create);
  }

  /** As {@link #shared(Class, Supplier)}, for a second kind of shared instance of one type. */
  protected static synchronized <T extends LocalServer> T shared(
      Class<T> type, String key, Supplier<T> create) {
    LocalServer server = SHARED.get(key);
    if (server == null || server.isClosed()) {
      server = create.get();
      server.start();
      SHARED.put(key, server);
    }
    return type.cast(server);
  }

  /**
   * The server's command line; {@link #port(int)} and {@link #dir()} are set. Called for every
   * launch, so a restart runs the same command as the first start.
   */
  protected abstract List<String> command();

  /** One readiness probe: true once the server serves; a RuntimeException ends the wait. */
  protected abstract boolean ready();

  /**
   * Before the first launch: checks what the server needs and prepares its data in {@link #dir()}.
   */
  protected void prepare() throws IOException {}

  /** The server's environment, to adjust; it starts as this JVM's. */
  protected void environment(Map<String, String> env) {}

  /** After the server became ready; {@code created} on its first start. */
  protected void started(boolean created) {}

  /**
   * A polite stop that leaves the data for a restart: closes stdin, then SIGTERM (to the server's
   * children as well), then SIGKILL after the grace period.
   */
  protected void shutDown(Process server) {
    try {
      server.getOutputStream().close();
    } catch (IOException alreadyGone) {
      // The pipe closed with the process.
    }
    terminate(server, stopGrace);
  }

  /**
   * How {@link #close()} ends the server whose data is deleted next: SIGKILL, since nothing it
   * would save on a polite stop is kept.
   */
  protected void discard(Process server) {
    server.descendants().forEach(ProcessHandle::destroyForcibly);
    server.destroyForcibly();
    try {
      server.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the server and returns once it is ready. The first call picks the ports and data dir;
   * later calls restart on the same ones. Does nothing if it is running.
   */
  public final synchronized void start() {
    if (closed) {
      throw new IllegalStateException(getClass().getSimpleName() + " was closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    boolean created = dir == null;
    if (created) {
      createDir();
      exitHook = new Thread(this::closeQuietly, "stop " + getClass().getSimpleName());
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
    boolean movable = Arrays.stream(wantedPorts).anyMatch(p -> p == 0);
    for (int attempt = 1; ; attempt++) {
      if (created) {
        pickPorts();
      }
      launch();
      String notReady;
      try {
        notReady = awaitReady();
      } catch (RuntimeException e) {
        halt();
        throw failure(e.getMessage(), e);
      }
      if (notReady == null) {
        break;
      }
      boolean portTaken = logSinceLaunch().toLowerCase(Locale.ROOT).contains("already in use");
      halt();
      // Only a new server may move: restarts keep their ports for the tests' sake.
      if (!(created && movable && portTaken && attempt < PORT_ATTEMPTS)) {
        throw failure(notReady, null);
      }
      log.info("{}: port {} was taken, retrying on another", name, address());
    }
    Process running = process;
    running
        .onExit()
        .thenRun(
            () -> {
              if (stopping != running) {
                log.error(
                    "{} on {} exited with {} while tests used it\n--- tail of {} ---\n{}",
                    name,
                    address(),
                    running.exitValue(),
                    logFile,
                    tail(logFile, TAIL_LINES));
              }
            });
    started(created);
    log.info(
        "{} {} on {} ({}) in {} ms",
        name,
        created ? "started" : "restarted",
        address(),
        dir,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stops the server; its data and ports are kept for {@link #start()}. */
  public final synchronized void stop() {
    if (process != null && process.isAlive()) {
      stopping = process;
      shutDown(process);
    }
  }

  /** Stops the server and deletes its data; closing twice is fine. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (process != null && process.isAlive()) {
        stopping = process;
        discard(process);
      }
    } finally {
      if (exitHook != null && exitHook != Thread.currentThread()) {
        try {
          Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
          // The hooks are running already.
        }
      }
      deleteRecursively(dir);
    }
  }

  /** The running server's process, for tests that kill it or look at its children. */
  public final synchronized Optional<ProcessHandle> processHandle() {
    return process != null && process.isAlive()
        ? Optional.of(process.toHandle())
        : Optional.empty();
  }

  /** The first (usually only) port the server listens on. */
  public final int port() {
    return port(0);
  }

  /** The port of the {@code index}th entry of the constructor's {@code wantedPorts}. */
  protected final synchronized int port(int index) {
    if (ports == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " has not been started");
    }
    return ports[index];
  }

  /** The temp dir of the server's data and log. */
  protected final synchronized Path dir() {
    if (dir == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " has not been started");
    }
    return dir;
  }

  /** The server's output, from all its starts. */
  public final synchronized Path logFile() {
    dir();
    return logFile;
  }

  /** The whole log, e.g. for tests that assert what a client sent. */
  public final String log() {
    try {
      return Files.readString(logFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the server printed since its latest launch. */
  protected final String logSinceLaunch() {
    try {
      byte[] all = Files.readAllBytes(logFile);
      int from = (int) Math.min(launchLogOffset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** A probe for HTTP servers: true when {@code url} answers 200. */
  protected static boolean answers200(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(5000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  /**
   * Where a part of the source tree is: system property {@code property} (the build sets it) or, in
   * a run outside Maven (an IDE), {@code relative} found from the working directory up.
   */
  protected static Path sourceTree(String property, Path relative) {
    String configured = System.getProperty(property);
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found; set system property " + property);
  }

  /** Output and exit code of a short command. */
  protected record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs a short command (an install step, a version check) in the server's environment; one that
   * hangs is killed after {@code timeout}.
   */
  protected final Result run(Duration timeout, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    environment(builder.environment());
    Process child;
    try {
      child = builder.start();
    } catch (IOException e) {
      return new Result(-1, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
    }
    // Read on another thread: a chatty command would block on a full pipe before it exits.
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = child.getInputStream()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException ignored) {
                // The process died; its exit code tells the story.
              }
            },
            "output of " + Path.of(command.get(0)).getFileName());
    reader.setDaemon(true);
    reader.start();
    try {
      if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        child.destroyForcibly();
        child.waitFor(5, TimeUnit.SECONDS);
        reader.join(1000);
        return new Result(-1, out + "\n[killed after " + timeout.toSeconds() + " s]");
      }
      reader.join(5000);
      return new Result(child.exitValue(), out.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /**
   * A command prefix that sends {@code signal} to the command when its parent ends, even by kill -9
   * (so no shutdown hook ran); empty where {@code setpriv} is missing.
   */
  protected static List<String> dyingWithParent(String signal) {
    return Files.isExecutable(SETPRIV)
        ? List.of(SETPRIV.toString(), "--pdeathsig", signal, "--")
        : List.of();
  }

  /** SIGTERM to the process and its children, then SIGKILL to those left after {@code grace}. */
  private static void terminate(Process server, Duration grace) {
    if (!server.isAlive()) {
      return;
    }
    server.descendants().forEach(ProcessHandle::destroy);
    server.destroy();
    try {
      if (!server.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.destroyForcibly();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private void createDir() {
    String kind = getClass().getSimpleName().replaceFirst("^Local", "").toLowerCase(Locale.ROOT);
    boolean prepared = false;
    try {
      dir = Files.createTempDirectory("lakeroute-" + kind + "-");
      logFile = dir.resolve(kind + ".log");
      prepare();
      prepared = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for " + name, e);
    } finally {
      if (!prepared) {
        deleteRecursively(dir);
        dir = null;
      }
    }
  }

  /**
   * Ports that were free on loopback a moment ago, all different: the sockets that found them stay
   * open until every one is picked. Another process may take one before the server binds it; {@link
   * #start()} then picks again.
   */
  private void pickPorts() {
    int[] picked = wantedPorts.clone();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < picked.length; i++) {
        if (picked[i] == 0) {
          ServerSocket socket = new ServerSocket();
          held.add(socket);
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
          picked[i] = socket.getLocalPort();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that accepted nothing does not fail in practice.
        }
      }
    }
    ports = picked;
  }

  private void launch() {
    // KILL: once this JVM is gone, nothing the server would save on SIGTERM is kept.
    List<String> cmd = new ArrayList<>(dyingWithParent("KILL"));
    cmd.addAll(command());
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    environment(builder.environment());
    try {
      launchLogOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
      process = LAUNCHER.submit(builder::start).get();
    } catch (ExecutionException | IOException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot start " + name + ": " + String.join(" ", cmd) + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
  }

  /** Null once the probe says ready; else why it did not. */
  private String awaitReady() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        return name + " exited with " + process.exitValue() + " before it was ready";
      }
      if (ready()) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        return name + " was not ready within " + startupTimeout.toSeconds() + " s";
      }
      sleep(POLL);
    }
  }

  /** Ends a launch that did not become ready. */
  private void halt() {
    stopping = process;
    discard(process);
  }

  private IllegalStateException failure(String message, Throwable cause) {
    return new IllegalStateException(
        message
            + " ("
            + address()
            + ")\n--- tail of "
            + logFile
            + " ---\n"
            + tail(logFile, TAIL_LINES),
        cause);
  }

  /** {@code 127.0.0.1:port}, or {@code 127.0.0.1:port,port} for a server with two. */
  private String address() {
    return LOOPBACK
        + ":"
        + Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println(getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static String tail(Path log, int lines) {
    try {
      if (log == null || !Files.exists(log)) {
        return "(no log at " + log + ")";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Leftovers in the temp dir are harmless; a failing cleanup must not fail the build.
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
