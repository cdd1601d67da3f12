package io.lakeroute.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the rows are written: format, codec and CSV dialect. */
public interface FormatOptions extends PipelineOptions {
  @Description(
      "File format: parquet, avro, csv or json (JSON Lines). Default parquet; the demo writes"
          + " all four when not given.")
  String getFormat();

  void setFormat(String value);

  @Description(
      "Codec. parquet: snappy (default), none, gzip, zstd, lz4_raw. avro: snappy (default), none,"
          + " deflate, zstd. csv and json: none (default), gzip.")
  String getCompression();

  void setCompression(String value);

  @Description("CSV: write a header line with the column names.")
  @Default.Boolean(true)
  boolean getCsvHeader();

  void setCsvHeader(boolean value);

  @Description("CSV: field delimiter, one character.")
  @Default.String(",")
  String getCsvDelimiter();

  void setCsvDelimiter(String value);

  @Description("CSV: quote character.")
  @Default.String("\"")
  String getCsvQuote();

  void setCsvQuote(String value);

  @Description(
      "CSV: escape character for quotes inside quoted values (and, with --csvQuoteMode=none,"
          + " for delimiters and line breaks). Empty (default): quotes are doubled.")
  @Default.String("")
  String getCsvEscape();

  void setCsvEscape(String value);

  @Description("CSV: quote all values, minimal (only those that need it; default) or none.")
  @Default.String("minimal")
  String getCsvQuoteMode();

  void setCsvQuoteMode(String value);

  @Description("CSV: text written for NULL (default empty; empty strings are then quoted).")
  @Default.String("")
  String getCsvNullString();

  void setCsvNullString(String value);

  @Description("CSV: line ending, LF (default) or CRLF.")
  @Default.String("LF")
  String getCsvLineEnding();

  void setCsvLineEnding(String value);
}
