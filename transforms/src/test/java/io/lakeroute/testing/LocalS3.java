package io.lakeroute.testing;

import static io.lakeroute.testing.LocalProcesses.LOOPBACK;

import io.lakeroute.delivery.PathStyleS3ClientBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Adobe S3Mock on 127.0.0.1, in its own JVM, for integration tests that need Amazon S3.
 *
 * <p>S3Mock runs out of process because in-process it brings Spring Boot 4 and Jackson 3 onto the
 * test classpath. Its exec jar is found through system property {@value #JAR_PROPERTY}, which the
 * build sets for surefire and failsafe.
 *
 * <pre>{@code
 * LocalS3 s3 = LocalS3.shared();
 * s3.createBucket("lake");
 * PipelineOptions options = PipelineOptionsFactory.fromArgs(s3.beamArgs()).create();
 * }</pre>
 *
 * <p>Both of S3Mock's connectors (HTTPS on {@code server.port}, plain HTTP on {@code http.port})
 * bind 127.0.0.1 only: {@code --server.address} covers HTTPS, and a one-bean Spring XML source sets
 * the address of the HTTP connector, which S3Mock builds itself and no property reaches. Tests use
 * plain HTTP; the HTTPS port is random and unused.
 *
 * <p>S3Mock accepts any credentials; the ones here only have to be well-formed for the SDK. {@link
 * #stop()} and {@link #start()} restart the server on the same port and store. A test that stops
 * the {@link #shared()} instance must start it again.
 */
public final class LocalS3 implements AutoCloseable {
  public static final String JAR_PROPERTY = "lakeroute.s3mock.jar";

  private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final int PORT_ATTEMPTS = 3;
  private static final String REGION = "us-east-1";
  private static final String ACCESS_KEY = "lakeroute-access-key";
  private static final String SECRET_KEY = "lakeroute-secret-key";

  /**
   * Starts every S3Mock JVM from one thread that lives as long as this JVM, because the kernel's
   * parent-death signal (set through setpriv) fires when the thread that forked the child ends.
   */
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lakeroute-local-s3-launcher");
            t.setDaemon(true);
            return t;
          });

  private static LocalS3 shared;

  private final List<String> initialBuckets;
  private Path baseDir;
  private Path logFile;
  private int port = -1;
  private Process process;
  private S3Client client;
  private boolean closed;
  private Thread exitHook;

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalS3 shared() {
    if (shared == null || shared.closed) {
      LocalS3 created = new LocalS3();
      created.start();
      shared = created;
    }
    return shared;
  }

  /** A server of its own, started by {@link #start()}; close it when done. */
  public LocalS3(String... initialBuckets) {
    this.initialBuckets = List.of(initialBuckets);
  }

  public String endpoint() {
    return "http://" + LOOPBACK + ":" + port();
  }

  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("LocalS3 has not been started");
    }
    return port;
  }

  public String region() {
    return REGION;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  /** Creates the bucket; one that exists already is fine. */
  public void createBucket(String bucket) {
    try {
      client().createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException alreadyThere) {
      // The state asked for holds.
    }
  }

  /**
   * A client for this server, kept and closed by this {@code LocalS3}: use it, don't close it. It
   * keeps working across {@link #stop()}/{@link #start()}.
   */
  public synchronized S3Client client() {
    if (client == null) {
      client =
          S3Client.builder()
              .endpointOverride(URI.create(endpoint()))
              .region(Region.of(REGION))
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
              .forcePathStyle(true)
              .httpClientBuilder(ApacheHttpClient.builder())
              .build();
    }
    return client;
  }

  /** Keys under the prefix, sorted. */
  public List<String> keys(String bucket, String prefix) {
    return client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  public byte[] get(String bucket, String key) {
    return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  public void put(String bucket, String key, byte[] content) {
    client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  /**
   * Pipeline flags that point Beam's S3 filesystem at this server. Registers {@link S3Options}
   * first, since {@code --s3ClientFactoryClass} is rejected by the parser otherwise.
   */
  public String[] beamArgs() {
    PipelineOptionsFactory.register(S3Options.class);
    return new String[] {
      "--awsRegion=" + REGION,
      "--endpoint=" + endpoint(),
      "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
          + ACCESS_KEY
          + "\",\"secretAccessKey\":\""
          + SECRET_KEY
          + "\"}",
      "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName()
    };
  }

  /**
   * The flags a lakeroute user gives to reach this server: the access key in a credentials file,
   * since the launcher refuses a secret key in --awsCredentialsProvider.
   */
  public String[] launcherArgs() {
    return new String[] {
      "--awsRegion=" + REGION,
      "--endpoint=" + endpoint(),
      "--awsCredentialsFile=" + credentialsFile(),
      "--s3PathStyle=true"
    };
  }

  /** An AWS credentials file holding this server's access key, written once. */
  public synchronized Path credentialsFile() {
    Path file = baseDir.resolve("aws-credentials");
    if (!Files.exists(file)) {
      try {
        Files.writeString(
            file,
            "[default]\naws_access_key_id = "
                + ACCESS_KEY
                + "\naws_secret_access_key = "
                + SECRET_KEY
                + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }

  /**
   * Starts the server and returns once it answers HTTP. The first call picks the port and store;
   * later calls restart on the same ones. Does nothing if it is running.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("LocalS3 was closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    boolean created = baseDir == null;
    if (created) {
      prepare();
      exitHook = LocalProcesses.onExit("LocalS3", this::shutDownQuietly);
    }
    for (int attempt = 1; ; attempt++) {
      if (created) {
        port = LocalProcesses.freePort();
      }
      process = launch();
      if (awaitHttp(started)) {
        break;
      }
      boolean portTaken = LocalProcesses.logContains(logFile, "Address already in use");
      LocalProcesses.terminate(process, STOP_GRACE);
      // Only a new server may move: restarts keep their port for the tests' sake.
      if (!(created && portTaken && attempt < PORT_ATTEMPTS)) {
        throw failure(
            "S3Mock did not answer on "
                + endpoint()
                + " within "
                + STARTUP_TIMEOUT.toSeconds()
                + " s"
                + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")"));
      }
      LOG.info("port {} was taken, retrying on another", port);
    }
    LOG.info(
        "S3Mock {} on {} ({}) in {} ms",
        created ? "started" : "restarted",
        endpoint(),
        baseDir,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Stops the server; the store and port are kept for {@link #start()}. */
  public synchronized void stop() {
    LocalProcesses.terminate(process, STOP_GRACE);
  }

  /** Stops the server and deletes its store. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (client != null) {
        client.close();
      }
      stop();
    } finally {
      closed = true;
      LocalProcesses.removeExitHook(exitHook);
      LocalProcesses.deleteRecursively(baseDir);
    }
  }

  private void shutDownQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("LocalS3: " + e.getMessage());
    }
  }

  private void prepare() {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "S3Mock exec jar not found (system property "
              + JAR_PROPERTY
              + " = "
              + jar
              + "); run `mvn -pl transforms generate-test-resources` or set the property to a"
              + " com.adobe.testing:s3mock:5.2.0:jar:exec");
    }
    try {
      baseDir = Files.createTempDirectory("lakeroute-s3-");
      logFile = baseDir.resolve("s3mock.log");
      Files.createDirectories(baseDir.resolve("store"));
      Files.writeString(baseDir.resolve("loopback-http.xml"), LOOPBACK_HTTP_CONNECTOR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for S3Mock", e);
    }
  }

  private Process launch() {
    List<String> cmd = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (Files.isExecutable(setpriv)) {
      // Dies with this JVM even when a kill -9 skips the shutdown hook.
      cmd.addAll(List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
    }
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-jar",
            System.getProperty(JAR_PROPERTY),
            "--server.address=" + LOOPBACK,
            "--server.port=0",
            "--http.port=" + port,
            "--spring.main.sources=" + baseDir.resolve("loopback-http.xml").toUri(),
            "--server.shutdown=immediate",
            "--com.adobe.testing.s3mock.store.root=" + baseDir.resolve("store"),
            // Else S3Mock deletes the store on exit and a restart finds no buckets.
            "--com.adobe.testing.s3mock.store.retainFilesOnExit=true",
            "--com.adobe.testing.s3mock.store.region=" + REGION));
    if (!initialBuckets.isEmpty()) {
      cmd.add(
          "--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", initialBuckets));
    }
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(baseDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      Process started = LAUNCHER.submit(builder::start).get();
      started.getOutputStream().close();
      return started;
    } catch (ExecutionException | IOException e) {
      throw new IllegalStateException("cannot start S3Mock: " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting S3Mock", e);
    }
  }

  /** True once the server lists buckets; false if it died or the deadline passed. */
  private boolean awaitHttp(long startedNanos) {
    long deadline = startedNanos + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(5000);
        int status = connection.getResponseCode();
        connection.disconnect();
        if (status == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      LocalProcesses.sleep(Duration.ofMillis(200));
    }
    return false;
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(
        message + "\n--- tail of " + logFile + " ---\n" + LocalProcesses.tail(logFile, 40));
  }

  /**
   * S3Mock adds its plain-HTTP connector itself ({@code S3MockConfiguration#httpConnector}) without
   * an address, so it listens on all interfaces whatever {@code --server.address} says. This bean,
   * loaded through {@code --spring.main.sources}, sets the address before Tomcat binds it; eager
   * because S3Mock makes every bean lazy.
   */
  private static final String LOOPBACK_HTTP_CONNECTOR =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <beans xmlns="http://www.springframework.org/schema/beans"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xsi:schemaLocation="http://www.springframework.org/schema/beans
               https://www.springframework.org/schema/beans/spring-beans.xsd">
        <bean id="lakerouteLoopbackHttpConnector" lazy-init="false"
              class="org.springframework.beans.factory.config.MethodInvokingBean">
          <property name="targetObject" ref="httpConnector"/>
          <property name="targetMethod" value="setProperty"/>
          <property name="arguments">
            <list>
              <value>address</value>
              <value>%s</value>
            </list>
          </property>
        </bean>
      </beans>
      """
          .formatted(LOOPBACK);
}
