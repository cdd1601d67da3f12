package io.lakeroute.pipelines.launch;

import io.lakeroute.pipelines.run.RunFailure;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Secrets never ride on the command line, where the process list, shell history and orchestrator
 * logs show them. Before anything is parsed, a flag that carries one is refused with the file or
 * environment variable to use instead; and no message ever repeats the value of a flag that can
 * hold one.
 */
final class SecretFlags {
  private static final String AWS =
      "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), an AWS profile, or"
          + " --awsCredentialsFile";

  private static final String CLIENT_SECRET =
      "--databricksClientSecretFile, or the variable --databricksClientSecretEnv names (default"
          + " DATABRICKS_CLIENT_SECRET)";

  /** Flags people try for a secret that lakeroute deliberately lacks, and what to use instead. */
  private static final Map<String, String> INSTEAD =
      Map.of(
          "jdbcpassword",
          "--jdbcPasswordFile, or the variable --jdbcPasswordEnv names (default"
              + " LAKEROUTE_JDBC_PASSWORD)",
          "password",
          "--jdbcPasswordFile, or the variable --jdbcPasswordEnv names (default"
              + " LAKEROUTE_JDBC_PASSWORD)",
          "warehousepassword",
          "--warehousePasswordFile, or the variable --warehousePasswordEnv"
              + " names (default LAKEROUTE_WAREHOUSE_PASSWORD)",
          "databrickstoken",
          "--databricksTokenFile, or the variable --databricksTokenEnv names"
              + " (default DATABRICKS_TOKEN)",
          "token",
          "--databricksTokenFile, or the variable --databricksTokenEnv names (default"
              + " DATABRICKS_TOKEN)",
          "databricksclientsecret",
          CLIENT_SECRET,
          "clientsecret",
          CLIENT_SECRET,
          "awssecretaccesskey",
          AWS,
          "secretaccesskey",
          AWS,
          "awsaccesskeyid",
          AWS);

  /** Flag names whose value can hold a secret, so a message must never repeat it. */
  private static final Pattern SENSITIVE =
      Pattern.compile("(?i).*(password|secret|token|key|credential|connectionstring|sas).*");

  /** A password inside a JDBC URL: a parameter, or user:password@ before the host. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)([?&;](password|pwd|passwd)=[^&;]+)|(//[^/@:]+:[^/@]+@)");

  private SecretFlags() {}

  /** Refuses, naming what to use instead and never the value, a flag that carries a secret. */
  static void refuse(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      String value = equals < 0 ? "" : arg.substring(equals + 1);
      String objection = objection(name, value, "the command line, where the process list shows");
      if (objection != null) {
        throw RunFailure.usage(objection);
      }
    }
  }

  /**
   * Why option {@code name} with {@code value} cannot be taken from {@code where} (a phrase ending
   * before "them"), or null when it can. Never repeats the value.
   */
  static String objection(String name, String value, String where) {
    String instead = INSTEAD.get(name.toLowerCase(Locale.ROOT));
    if (instead != null) {
      return "--"
          + name
          + " is not an option: secrets are never taken from "
          + where
          + " them. Use "
          + instead
          + ".";
    }
    if (name.equals("awsCredentialsProvider")
        && value.toLowerCase(Locale.ROOT).matches("(?s).*(secretaccesskey|sessiontoken).*")) {
      return "--awsCredentialsProvider holds an AWS secret key, which is never taken from "
          + where
          + " it: give the key through "
          + AWS
          + " (the value is not repeated here).";
    }
    if (name.equals("jdbcUrl") && URL_PASSWORD.matcher(value).find()) {
      return "--jdbcUrl holds a password, which is never taken from "
          + where
          + " it: remove it from the URL and give it with --jdbcPasswordFile or the variable"
          + " --jdbcPasswordEnv names (default LAKEROUTE_JDBC_PASSWORD).";
    }
    return null;
  }

  /** A secret-like parameter of a URL or connection string ({@code password=…;}). */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)\\b((?:password|pwd|passwd|secret|token|accountkey|accesskey|sig)=)[^;&\\s]+");

  /** A secret-like member of JSON ({@code "secretAccessKey":"…"}). */
  private static final Pattern SECRET_MEMBER =
      Pattern.compile(
          "(?i)(\"(?:secretaccesskey|sessiontoken|password|token|private_key)\"\\s*:\\s*\")[^\"]*");

  /**
   * {@code message} with the value of every flag that can hold a secret, and every secret-like
   * parameter, replaced by ***.
   */
  static String scrub(String message, String[] args) {
    String scrubbed =
        SECRET_MEMBER
            .matcher(SECRET_PARAMETER.matcher(message).replaceAll("$1***"))
            .replaceAll("$1***");
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 2 && equals < arg.length() - 1) {
        String name = arg.substring(2, equals);
        String value = arg.substring(equals + 1);
        // A …File, …Env or …Class flag names where a secret is, or its reader: not the secret.
        boolean pointer = name.endsWith("File") || name.endsWith("Env") || name.endsWith("Class");
        // …MergeKeys names columns (a message about a duplicate key must show them).
        boolean columns = name.endsWith("MergeKeys");
        if (!pointer && !columns && SENSITIVE.matcher(name).matches() && value.length() >= 4) {
          scrubbed = scrubbed.replace(value, "***");
        }
      }
    }
    return scrubbed;
  }
}
