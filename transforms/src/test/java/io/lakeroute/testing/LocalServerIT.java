package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle every stand-in inherits, on a server of a few lines: {@link Main}, in a JVM of its
 * own, which can fail the ways real servers do.
 */
class LocalServerIT {
  /** Ample for a JVM of a few classes, even on a loaded machine. */
  private static final Duration STARTUP = Duration.ofSeconds(60);

  @Test
  void restartsOnTheSamePortAndClosesForGood() throws Exception {
    Path dir;
    try (TinyServer server = new TinyServer("serve")) {
      server.start();
      server.start(); // running: nothing to do
      int port = server.port();
      dir = server.dir();

      server.stop();
      assertThrows(IOException.class, () -> new Socket(LocalServer.LOOPBACK, port).close());
      server.start();

      assertThat(server.port(), equalTo(port));
      assertThat(server.log(), containsString("launch 2"));
      server.close();
      server.close(); // twice is fine
      assertThat(Files.exists(dir), equalTo(false));
      IllegalStateException closed = assertThrows(IllegalStateException.class, server::start);
      assertThat(closed.getMessage(), containsString("was closed"));
    }
  }

  @Test
  void aPortTakenBeforeTheServerBindsItCostsANewPick() {
    try (TinyServer server = new TinyServer("port-taken-once")) {
      server.start();

      assertThat(server.log(), containsString("Address already in use"));
      assertThat(server.log(), containsString("serving on " + server.port()));
    }
  }

  @Test
  void aServerThatDiesOnStartFailsWithTheTailOfItsLog() {
    try (TinyServer server = new TinyServer("die")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);

      assertThat(
          e.getMessage(), containsString("the tiny server exited with 3 before it was ready"));
      assertThat(e.getMessage(), containsString("no such table: settings"));
    }
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheDeadline() {
    try (TinyServer server = new TinyServer("hang", Duration.ofSeconds(3), false)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);

      assertThat(e.getMessage(), containsString("the tiny server was not ready within 3 s"));
    }
  }

  @Test
  void aFailingProbeEndsTheWaitAtOnce() {
    try (TinyServer server = new TinyServer("serve", STARTUP, true)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);

      assertThat(e.getMessage(), containsString("the probe refused the server"));
      assertThat(e.getMessage(), containsString("launch 1"));
    }
  }

  /** {@link Main} in a JVM of its own, on this test's classpath. */
  private static final class TinyServer extends LocalServer {
    private final String mode;
    private final boolean refuse;

    TinyServer(String mode) {
      this(mode, STARTUP, false);
    }

    TinyServer(String mode, Duration startupTimeout, boolean refuse) {
      super("the tiny server", startupTimeout, Duration.ofSeconds(5), 0);
      this.mode = mode;
      this.refuse = refuse;
    }

    @Override
    protected List<String> command() {
      return List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx32m",
          "-cp",
          System.getProperty("java.class.path"),
          Main.class.getName(),
          mode,
          Integer.toString(port()));
    }

    @Override
    protected boolean ready() {
      if (!logSinceLaunch().contains("serving on")) {
        return false;
      }
      if (refuse) {
        throw new IllegalStateException("the probe refused the server");
      }
      return true;
    }
  }

  /**
   * The tiny server: {@code serve} listens on the port; {@code port-taken-once} reports the port
   * taken on its first launch, as a server that lost the race for it; {@code die} exits with 3;
   * {@code hang} never listens. Launches are counted in its working directory.
   */
  public static final class Main {
    public static void main(String[] args) throws Exception {
      String mode = args[0];
      int port = Integer.parseInt(args[1]);
      Path launches = Path.of("launches");
      int launch = Files.exists(launches) ? Integer.parseInt(Files.readString(launches)) + 1 : 1;
      Files.writeString(launches, Integer.toString(launch));
      System.out.println("launch " + launch);
      switch (mode) {
        case "die" -> {
          System.out.println("fatal: no such table: settings");
          System.exit(3);
        }
        case "hang" -> {
          System.out.println("waiting for a lock");
          Thread.sleep(Long.MAX_VALUE);
        }
        case "port-taken-once" -> {
          if (launch == 1) {
            System.out.println("java.net.BindException: Address already in use");
            System.exit(1);
          }
        }
        default -> {}
      }
      try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
        System.out.println("serving on " + port);
        while (true) {
          server.accept().close();
        }
      }
    }
  }
}
