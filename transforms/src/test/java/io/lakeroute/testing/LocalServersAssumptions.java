package io.lakeroute.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which addresses the local servers listen on, read from the kernel's socket tables rather than by
 * connecting: tests never send traffic to an address other than loopback.
 */
final class LocalServersAssumptions {
  private static final String LOOPBACK_V4 = "0100007F";
  private static final String LOOPBACK_V4_IN_V6 = "0000000000000000FFFF00000100007F";

  private LocalServersAssumptions() {}

  /** Local addresses (kernel hex form) of sockets listening on {@code port}, TCP over v4 and v6. */
  static List<String> listeningAddresses(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    List<String> addresses = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        String[] local = fields[1].split(":");
        if (local[1].equals(hexPort) && fields[3].equals("0A")) {
          addresses.add(local[0]);
        }
      }
    }
    return addresses;
  }

  /** Fails the test unless something listens on {@code port} and only on 127.0.0.1. */
  static void assertLoopbackOnly(String server, int port) throws IOException {
    assertTrue(
        loopbackOnly(port),
        server + " listens on " + listeningAddresses(port) + " (kernel's hex form)");
  }

  /** True when something listens on {@code port} and only on 127.0.0.1. */
  static boolean loopbackOnly(int port) throws IOException {
    List<String> addresses = listeningAddresses(port);
    return !addresses.isEmpty()
        && addresses.stream().allMatch(a -> a.equals(LOOPBACK_V4) || a.equals(LOOPBACK_V4_IN_V6));
  }
}
