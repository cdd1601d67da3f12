package io.lakeroute.pipelines;

import io.lakeroute.delivery.PathStyleS3ClientBuilderFactory;
import io.lakeroute.pipelines.options.RouteOptions;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;

/** Readies Beam's filesystems for a destination; the stores differ only in options. */
final class Stores {
  private static final Set<String> SCHEMES = Set.of("file", "s3");

  private Stores() {}

  static void configure(RouteOptions options, String destination) {
    int colon = destination.indexOf("://");
    String scheme =
        colon > 0 && destination.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
            ? destination.substring(0, colon).toLowerCase(Locale.ROOT)
            : "file";
    if (!SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException(
          "--destination="
              + destination
              + " uses "
              + scheme
              + "://, which --route="
              + options.getRoute()
              + " does not deliver to: use s3://bucket/prefix or file:///path");
    }
    if (options.getS3PathStyle()) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
  }
}
