package io.lakeroute.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeroute.fingerprint.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The fingerprint and the check of the rows as read from the source, one small JSON file per
 * partition in the run's staging directory: written by the sink that read the partition, read by
 * the read-back, which compares the check with the file's and, when they are equal, records the
 * fingerprint as the file's. Staging is cleaned with the run, so they never reach the run
 * directory.
 */
final class ReadFingerprints implements Serializable {
  /** A partition's rows as read: their fingerprint and their check (FingerprintAccumulator). */
  record Values(Fingerprint fingerprint, Fingerprint check) {}

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String directory;

  ReadFingerprints(Layout layout) {
    this.directory =
        layout
            .stagingDirectory()
            .resolve("fingerprints", StandardResolveOptions.RESOLVE_DIRECTORY)
            .toString();
  }

  private ResourceId file(int partition) {
    return FileSystems.matchNewResource(directory, true)
        .resolve(String.format("read-%05d.json", partition), StandardResolveOptions.RESOLVE_FILE);
  }

  void write(int partition, Values values) throws IOException {
    // Serialized first: Jackson closes a stream it writes to, and a second close of an S3 channel
    // uploads to a multipart upload the first close already completed.
    byte[] json = JSON.writeValueAsBytes(values);
    try (WritableByteChannel channel =
        Staging.createReplacing(file(partition), "application/json")) {
      channel.write(ByteBuffer.wrap(json));
    }
  }

  Values read(int partition) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file(partition)))) {
      return JSON.readValue(in, Values.class);
    }
  }
}
