package io.lakeroute.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A local server that runs on Node.js from an npm install in the source tree, {@code
 * src/local-cloud/<name>} with its lock file. The build installs it ({@code npm ci}) before the
 * integration tests; see {@code src/build/test-prerequisites.sh}. The directory comes from a system
 * property the build sets, the Node binary from {@value #NODE_PROPERTY} (default: {@code node} on
 * the PATH).
 */
abstract class LocalNodeServer extends LocalServer {
  public static final String NODE_PROPERTY = "lakeroute.node";

  private static final int MIN_NODE_MAJOR = 18;

  private final String dirProperty;
  private final Path sourceDir;
  private final String module;
  private final String node = System.getProperty(NODE_PROPERTY, "node");
  private Path installDir;

  /**
   * @param dirProperty the system property naming the install directory
   * @param sourceDir the install directory from the root of the source tree
   * @param module the npm package whose presence shows the install happened
   */
  protected LocalNodeServer(
      String name,
      String dirProperty,
      String sourceDir,
      String module,
      Duration stopGrace,
      int... wantedPorts) {
    super(name, Duration.ofSeconds(60), stopGrace, wantedPorts);
    this.dirProperty = dirProperty;
    this.sourceDir = Path.of(sourceDir);
    this.module = module;
  }

  /** Node running {@code script} (a path in the install directory) with {@code args}. */
  protected final List<String> node(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of(node, installDir.resolve(script).toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  protected final Path installDir() {
    return installDir;
  }

  @Override
  protected void prepare() {
    installDir = sourceTree(dirProperty, sourceDir);
    Result version = run(Duration.ofSeconds(20), List.of(node, "--version"));
    String text = version.output().strip();
    int major = -1;
    if (version.ok() && text.matches("v\\d+\\..*")) {
      major = Integer.parseInt(text.substring(1, text.indexOf('.')));
    }
    if (major < MIN_NODE_MAJOR) {
      throw new IllegalStateException(
          "the "
              + module
              + " test server needs Node.js "
              + MIN_NODE_MAJOR
              + "+ ("
              + node
              + " --version: "
              + (version.ok() ? text : "not runnable")
              + "); install it (apt-get install nodejs npm) or set system property "
              + NODE_PROPERTY
              + " to its binary");
    }
    if (!Files.isRegularFile(
        installDir.resolve("node_modules").resolve(module).resolve("package.json"))) {
      throw new IllegalStateException(
          module
              + " is not installed in "
              + installDir
              + ": run `npm ci --prefix "
              + installDir
              + " --ignore-scripts`, which the Maven build runs before the integration tests");
    }
  }
}
