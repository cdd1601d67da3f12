package io.lakeroute.testing;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * H2 2.2 as a TCP server on 127.0.0.1, in a JVM of its own, for integration tests: the Synapse
 * stand-in's database where other processes reach it too. An embedded H2 lives in the JVM that
 * opened it, so the Databricks stand-in (Spark in a JVM of its own) could not read the table route
 * synapse loaded; over TCP it reads it through a {@code USING JDBC} table, as real Databricks reads
 * Synapse through federation.
 *
 * <pre>{@code
 * LocalH2 h2 = LocalH2.shared();
 * String url = h2.synapseUrl("synapse"); // created on first connect
 * }</pre>
 *
 * <p>The server binds loopback only ({@code h2.bindAddress}) and accepts no remote clients (no
 * {@code -tcpAllowOthers}); {@code -ifNotExists} lets the first connection create a database, which
 * is safe there. The databases are files in {@link #dir()}, kept across {@link #stop()}/{@link
 * #start()}.
 */
public final class LocalH2 extends LocalServer {

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static LocalH2 shared() {
    return shared(LocalH2.class, LocalH2::new);
  }

  /** A server of its own, started by {@link #start()}; close it when done. */
  public LocalH2() {
    super("H2", Duration.ofSeconds(60), Duration.ofSeconds(10), 0);
  }

  /**
   * The URL of {@code database} as the Synapse stand-in: T-SQL's quoting and types, names kept as
   * written.
   */
  public String synapseUrl(String database) {
    return "jdbc:h2:tcp://"
        + LOOPBACK
        + ":"
        + port()
        + "/"
        + database
        + ";MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE";
  }

  @Override
  protected void prepare() throws IOException {
    Files.createDirectories(dir().resolve("data"));
  }

  @Override
  protected List<String> command() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-Dh2.bindAddress=" + LOOPBACK,
        "-cp",
        h2Jar(),
        "org.h2.tools.Server",
        "-tcp",
        "-tcpPort",
        Integer.toString(port()),
        "-ifNotExists",
        "-baseDir",
        dir().resolve("data").toString());
  }

  /** The server prints its URL once it accepts connections. */
  @Override
  protected boolean ready() {
    return logSinceLaunch().contains("TCP server running at tcp://");
  }

  /** The jar of the H2 this JVM runs, so client and server are one version. */
  private static String h2Jar() {
    try {
      return new File(
              org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the H2 jar", e);
    }
  }
}
