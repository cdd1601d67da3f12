package io.lakeroute.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Plumbing shared by the local servers: ports, child processes, log files, temp dirs. */
final class LocalProcesses {
  static final String LOOPBACK = "127.0.0.1";

  private LocalProcesses() {}

  /**
   * A port that was free on loopback a moment ago. Another process may take it before the server
   * binds it, so callers retry with a new port when the server reports the address in use.
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    }
  }

  /** Output and exit code of a short command; a command that hangs is killed after timeout. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Result run(Path workDir, Duration timeout, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.redirectErrorStream(true);
    // PGDATA, PGPORT and friends would steer initdb/pg_ctl to another cluster.
    builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    }
    // Read on another thread: a chatty command would block on a full pipe before it exits.
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = process.getInputStream()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException ignored) {
                // The process died; its exit code tells the story.
              }
            },
            "output of " + Path.of(command.get(0)).getFileName());
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        reader.join(1000);
        return new Result(-1, out + "\n[killed after " + timeout.toSeconds() + " s]");
      }
      reader.join(5000);
      return new Result(process.exitValue(), out.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  static List<String> command(String... parts) {
    return new ArrayList<>(Arrays.asList(parts));
  }

  /** Polite first (servers flush and release ports on SIGTERM), then SIGKILL. */
  static void terminate(Process process, Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The last lines of a server log, for failure messages. */
  static String tail(Path log, int lines) {
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

  static boolean logContains(Path log, String text) {
    try {
      return log != null && Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  static void deleteRecursively(Path dir) {
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

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Registers a JVM exit hook for a server. Returned so {@code close()} can unregister it; servers
   * closed by their test must not pile up hooks for the whole run.
   */
  static Thread onExit(String name, Runnable action) {
    Thread hook = new Thread(action, "stop " + name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  static void removeExitHook(Thread hook) {
    if (hook == null || hook == Thread.currentThread()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Already running hooks: nothing to remove.
    }
  }
}
