package io.lakeroute.delivery;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds Beam's S3 clients exactly as Beam does by default, but with path-style addressing ({@code
 * http://host/bucket/key} instead of {@code http://bucket.host/key}).
 *
 * <p>Beam 2.62 has no path-style option. With an endpoint override such as {@code
 * http://127.0.0.1:9090} or {@code https://minio.internal}, virtual-hosted addressing sends every
 * call to {@code bucket.127.0.0.1} or {@code bucket.minio.internal}, names that do not resolve. S3
 * compatible stores (MinIO, Ceph, S3Mock, most on-premise appliances) are addressed by path, so
 * select this factory whenever {@code --endpoint} points at one of them:
 *
 * <pre>{@code
 * PipelineOptionsFactory.register(S3Options.class); // else the flag below is rejected
 * --s3ClientFactoryClass=io.lakeroute.delivery.PathStyleS3ClientBuilderFactory
 * }</pre>
 *
 * <p>Against real Amazon S3 path style still works but is deprecated by AWS; leave the default
 * factory in place there.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  private final S3ClientBuilderFactory defaults = new DefaultS3ClientBuilderFactory();

  /** Beam instantiates the factory reflectively from the option's class name. */
  public PathStyleS3ClientBuilderFactory() {}

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return defaults.createBuilder(options).forcePathStyle(true);
  }
}
