package io.lakeroute.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a local server that can turn into a hung service: once the
 * server has answered a number of bytes, or the clients have sent a number of bytes, the relay
 * stops passing anything on, in either direction, and keeps every connection open, still reading
 * what the client sends (a server that accepted the request and never answers). New connections are
 * accepted and hang alike. What a client sees is silence, not a refused or reset connection: only a
 * timeout of its own ends its wait.
 *
 * <p>It can also go down and come back, a service that went away mid-run: {@link #goDown()} closes
 * the listener and every connection (new ones are refused), {@link #comeBack()} listens on the same
 * port again. That costs nothing, where stopping and starting the server itself takes seconds.
 *
 * <pre>{@code
 * try (StallingProxy proxy = StallingProxy.afterAnswered(postgres.port(), 1 << 20)) {
 *   // connect to proxy.port() instead of the server's port
 * }
 * }</pre>
 */
public final class StallingProxy implements AutoCloseable {
  private volatile ServerSocket listener;
  private final int target;
  private final long afterAnswered;
  private final long afterSent;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private StallingProxy(int target, long afterAnswered, long afterSent) throws IOException {
    this.target = target;
    this.afterAnswered = afterAnswered;
    this.afterSent = afterSent;
    listen(0);
  }

  private void listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    // The port was just ours: connections it closed may still linger in TIME_WAIT.
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = socket;
    Thread acceptor = new Thread(() -> accept(socket), "stalling-proxy-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A relay to {@code 127.0.0.1:targetPort} that passes everything until it {@link #goDown}. */
  public static StallingProxy passing(int targetPort) {
    return open(targetPort, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** A relay to {@code 127.0.0.1:targetPort} that hangs once the server answered {@code bytes}. */
  public static StallingProxy afterAnswered(int targetPort, long bytes) {
    return open(targetPort, bytes, Long.MAX_VALUE);
  }

  /** A relay to {@code 127.0.0.1:targetPort} that hangs once the clients sent {@code bytes}. */
  public static StallingProxy afterSent(int targetPort, long bytes) {
    return open(targetPort, Long.MAX_VALUE, bytes);
  }

  private static StallingProxy open(int targetPort, long afterAnswered, long afterSent) {
    try {
      return new StallingProxy(targetPort, afterAnswered, afterSent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** True once the relay has stopped passing bytes on. */
  public boolean stalled() {
    return answered.get() >= afterAnswered || sent.get() >= afterSent;
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(server);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean answers) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  if (stalled()) {
                    continue;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                  (answers ? answered : sent).addAndGet(n);
                }
              } catch (IOException ended) {
                // Either side closed: the relay of this connection is over.
              }
            },
            "stalling-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The service went away: every connection is closed and new ones are refused until {@link
   * #comeBack()}.
   */
  public void goDown() {
    close();
  }

  /** The service is back, on the same port. */
  public void comeBack() {
    try {
      listen(port());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
    sockets.clear();
  }
}
