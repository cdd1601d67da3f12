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
 * <pre>{@code
 * try (StallingProxy proxy = StallingProxy.afterAnswered(postgres.port(), 1 << 20)) {
 *   // connect to proxy.port() instead of the server's port
 * }
 * }</pre>
 */
public final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final long afterAnswered;
  private final long afterSent;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private StallingProxy(int target, long afterAnswered, long afterSent) throws IOException {
    this.target = target;
    this.afterAnswered = afterAnswered;
    this.afterSent = afterSent;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::accept, "stalling-proxy-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
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

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(server);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        if (!closed) {
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

  @Override
  public void close() {
    closed = true;
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
  }
}
