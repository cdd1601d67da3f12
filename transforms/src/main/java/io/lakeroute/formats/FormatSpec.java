package io.lakeroute.formats;

import java.io.Serializable;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * A format with its codec and, for CSV, its dialect: everything needed to write a file and to read
 * it back for verification. Immutable and validated.
 */
public final class FormatSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FileFormat format;
  private final String codec;
  private final CsvOptions csv;

  private FormatSpec(FileFormat format, String codec, CsvOptions csv) {
    this.format = format;
    this.codec = format.codec(codec);
    this.csv = csv;
  }

  /** The format with its default codec (Parquet and Avro snappy, CSV and JSON uncompressed). */
  public static FormatSpec of(FileFormat format) {
    return new FormatSpec(format, null, CsvOptions.defaults());
  }

  public FormatSpec withCodec(String codec) {
    return new FormatSpec(format, codec, csv);
  }

  public FormatSpec withCsv(CsvOptions csv) {
    return new FormatSpec(format, codec, csv);
  }

  public FileFormat format() {
    return format;
  }

  public String codec() {
    return codec;
  }

  public CsvOptions csv() {
    return csv;
  }

  /**
   * Fails with a message naming the column and what to do when this format cannot hold a column of
   * {@code schema}: check the query's schema at planning time, before a pipeline is built.
   */
  public void check(Schema schema) {
    if (format == FileFormat.AVRO) {
      AvroSink.checkNames(schema);
    }
  }

  /** The one FileIO sink of this format. */
  public FileIO.Sink<Row> sink(Schema schema) {
    switch (format) {
      case PARQUET:
        return new ParquetSink(schema, codec);
      case AVRO:
        return new AvroSink(schema, codec);
      case CSV:
        return new CsvSink(schema, csv);
      case JSON:
        return new JsonSink(schema);
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * Compression FileIO applies to the whole file: gzip for CSV and JSON when asked; Parquet and
   * Avro compress inside the file.
   */
  public Compression fileCompression() {
    return codec.equals("gzip") && (format == FileFormat.CSV || format == FileFormat.JSON)
        ? Compression.GZIP
        : Compression.UNCOMPRESSED;
  }

  /** The file name suffix, e.g. {@code .parquet} or {@code .csv.gz}. */
  public String suffix() {
    return format.extension() + fileCompression().getSuggestedSuffix();
  }

  @Override
  public String toString() {
    return format.id() + "/" + codec + (format == FileFormat.CSV ? " " + csv : "");
  }
}
