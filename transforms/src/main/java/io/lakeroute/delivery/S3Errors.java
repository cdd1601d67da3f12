package io.lakeroute.delivery;

/**
 * What an S3 failure means, in one line. The AWS SDK reports missing credentials with the whole
 * provider chain and each provider's reason (about 1.7 KB): that says where it looked, not what to
 * do.
 */
final class S3Errors {
  private static final String NO_CREDENTIALS =
      "Unable to load credentials from any of the providers";

  private S3Errors() {}

  /** The explanation of {@code failure}, or null when it is not one this class knows. */
  static String explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(NO_CREDENTIALS)) {
        return "no AWS credentials were found (the SDK looked in the environment, the system"
            + " properties, the profile files and the instance's metadata). Give the access key as"
            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an AWS profile, an instance role, or a"
            + " credentials file. Nothing was read yet.";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
