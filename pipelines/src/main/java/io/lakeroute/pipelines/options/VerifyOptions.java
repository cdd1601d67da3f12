package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How far a run proves its values beyond counts (docs/fingerprints.md). */
public interface VerifyOptions extends PipelineOptions {
  @Description(
      "Prove values, not only counts: fingerprint the rows as read, check every file read back"
          + " against them, and compare the fingerprints with the warehouse's and Databricks'"
          + " rows. false checks rows by counts and files by counts and SHA-256 only, for a run"
          + " whose cost matters more than its proof (docs/performance.md measures the"
          + " difference); --verifySource and --verifyStrict need it.")
  @Default.Boolean(true)
  boolean getFingerprints();

  void setFingerprints(boolean value);

  @Description(
      "Also fingerprint the query's rows in the source database itself, in each partition's own"
          + " transaction (the run's snapshot), and compare with the rows as read: catches a value"
          + " the JDBC driver or the type mapping changed, which every later hop would copy; a"
          + " difference exits 7 naming the column and the rows by the query's first column. One"
          + " more scan of each partition in the source. PostgreSQL, H2, MariaDB and MySQL"
          + " (docs/fingerprints.md).")
  @Default.Boolean(false)
  boolean getVerifySource();

  void setVerifySource(boolean value);

  @Description(
      "Refuse, before any data moves, a run in which a hop cannot fingerprint a column (binary"
          + " held as base64 text in a Redshift or Synapse table over CSV or JSON files), instead"
          + " of leaving the column out of that hop's comparison with a warning in the summary.")
  @Default.Boolean(false)
  boolean getVerifyStrict();

  void setVerifyStrict(boolean value);
}
