package io.lakeroute.validation;

import io.lakeroute.delivery.Manifest;
import io.lakeroute.fingerprint.Fingerprint;
import io.lakeroute.fingerprint.FingerprintAccumulator;
import io.lakeroute.formats.FileVerifier;
import io.lakeroute.formats.FormatSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Re-checks a published run against its manifest, days after it was published: every file listed is
 * read back as at delivery (rows, bytes, SHA-256) and its values fingerprinted
 * (docs/fingerprints.md), and each must equal what the manifest recorded. Only the fingerprint
 * catches a value changed in a file whose size and SHA-256 in the manifest were changed to match.
 *
 * <pre>{@code
 * VerifyPublished.Result result = VerifyPublished.of(manifest);
 * if (!result.differences().isEmpty()) { ... }
 * }</pre>
 */
public final class VerifyPublished {
  private VerifyPublished() {}

  /**
   * What was checked, and every difference found, one line each naming the file; {@code
   * fingerprinted} is false for a manifest without fingerprints (written with them off), whose
   * files were checked by rows, bytes and SHA-256 only.
   */
  public record Result(
      int files,
      long rows,
      Fingerprint fingerprint,
      boolean fingerprinted,
      List<String> differences) {}

  public static Result of(Manifest manifest) throws IOException {
    FormatSpec spec = manifest.formatSpec();
    Schema schema = manifest.schema();
    List<String> differences = new ArrayList<>();
    Fingerprint run = Fingerprint.empty(schema.getFieldNames());
    long rows = 0;
    for (Manifest.FileEntry file : manifest.files()) {
      FileVerifier.Stats stats;
      FingerprintAccumulator values = FingerprintAccumulator.of(schema);
      try {
        stats = FileVerifier.verify(spec, FileSystems.matchNewResource(file.uri(), false), values);
      } catch (IOException e) {
        differences.add(file.name() + ": cannot be read back: " + e.getMessage());
        continue;
      }
      rows += stats.rows;
      Fingerprint inFile = values.fingerprint();
      run = run.merge(inFile);
      if (stats.rows != file.rows()) {
        differences.add(
            file.name() + ": " + stats.rows + " rows, the manifest says " + file.rows());
      }
      if (stats.bytes != file.bytes() || !stats.sha256.equals(file.sha256())) {
        differences.add(
            file.name()
                + ": "
                + stats.bytes
                + " bytes, SHA-256 "
                + stats.sha256
                + "; the manifest says "
                + file.bytes()
                + " bytes, SHA-256 "
                + file.sha256());
      }
      if (file.fingerprint() != null) {
        List<String> columns = inFile.differences(file.fingerprint());
        if (!columns.isEmpty()) {
          differences.add(file.name() + ": values differ in " + String.join(", ", columns));
        }
      }
    }
    if (manifest.fingerprint() != null
        && differences.isEmpty()
        && !run.equals(manifest.fingerprint())) {
      differences.add(
          "the run's values differ from its manifest: " + run.differences(manifest.fingerprint()));
    }
    return new Result(
        manifest.files().size(), rows, run, manifest.fingerprint() != null, differences);
  }
}
