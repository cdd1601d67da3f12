package io.lakeroute.pipelines.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Secrets come from a file or an environment variable, never from a flag's value, so that they stay
 * out of the process list and shell history; messages name the file or variable, never the value.
 */
public final class Secrets {
  private Secrets() {}

  /** A secret from a file, trailing newline dropped; the message never shows the content. */
  public static String file(String path, String flag) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          flag + "=" + path + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The file's secret when {@code path} is given, else the variable {@code variable} names. */
  public static String fromFileOrEnv(
      String path, String fileFlag, String variable, Function<String, String> env) {
    return path != null ? file(path, fileFlag) : variable == null ? null : env.apply(variable);
  }
}
