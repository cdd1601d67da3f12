package io.lakeroute.testing;

import io.lakeroute.delivery.PathStyleS3ClientBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
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
public final class LocalS3 extends LocalServer {
  public static final String JAR_PROPERTY = "lakeroute.s3mock.jar";

  private static final String REGION = "us-east-1";
  private static final String ACCESS_KEY = "lakeroute-access-key";
  private static final String SECRET_KEY = "lakeroute-secret-key";

  private final List<String> initialBuckets;
  private S3Client client;

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static LocalS3 shared() {
    return shared(LocalS3.class, LocalS3::new);
  }

  /** A server of its own, started by {@link #start()}; close it when done. */
  public LocalS3(String... initialBuckets) {
    // Spring Boot takes most of a minute to start on a loaded 2-core machine.
    super("S3Mock", Duration.ofSeconds(120), Duration.ofSeconds(15), 0);
    this.initialBuckets = List.of(initialBuckets);
  }

  public String endpoint() {
    return "http://" + LOOPBACK + ":" + port();
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
    Path file = dir().resolve("aws-credentials");
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

  /** Closes the client, then stops the server and deletes its store. */
  @Override
  public synchronized void close() {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      super.close();
    }
  }

  @Override
  protected void prepare() throws IOException {
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
    Files.createDirectories(dir().resolve("store"));
    Files.writeString(dir().resolve("loopback-http.xml"), LOOPBACK_HTTP_CONNECTOR);
  }

  @Override
  protected List<String> command() {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-jar",
                System.getProperty(JAR_PROPERTY),
                "--server.address=" + LOOPBACK,
                "--server.port=0",
                "--http.port=" + port(),
                "--spring.main.sources=" + dir().resolve("loopback-http.xml").toUri(),
                "--server.shutdown=immediate",
                "--com.adobe.testing.s3mock.store.root=" + dir().resolve("store"),
                // Else S3Mock deletes the store on exit and a restart finds no buckets.
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=true",
                "--com.adobe.testing.s3mock.store.region=" + REGION));
    if (!initialBuckets.isEmpty()) {
      cmd.add(
          "--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", initialBuckets));
    }
    return cmd;
  }

  /** Ready once it lists buckets. */
  @Override
  protected boolean ready() {
    return answers200(endpoint() + "/");
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
