package io.lakeroute.formats;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The file formats lakeroute writes, each with its own FileIO sink. */
public enum FileFormat {
  PARQUET("parquet", List.of("snappy", "none", "gzip", "zstd", "lz4_raw"), ".parquet"),
  AVRO("avro", List.of("snappy", "none", "deflate", "zstd"), ".avro"),
  CSV("csv", List.of("none", "gzip"), ".csv"),
  JSON("json", List.of("none", "gzip"), ".json");

  private final String id;
  private final List<String> codecs;
  private final String extension;

  FileFormat(String id, List<String> codecs, String extension) {
    this.id = id;
    this.codecs = codecs;
    this.extension = extension;
  }

  /** The name {@link #of} takes. */
  public String id() {
    return id;
  }

  /** The codecs this format takes ({@link FormatSpec#withCodec}); the first is the default. */
  public List<String> codecs() {
    return codecs;
  }

  public String defaultCodec() {
    return codecs.get(0);
  }

  /** File name extension before any whole-file compression suffix. */
  public String extension() {
    return extension;
  }

  /** The format named {@code id}, or an error listing the valid names. */
  public static FileFormat of(String id) {
    for (FileFormat format : values()) {
      if (format.id.equalsIgnoreCase(id == null ? "" : id.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "FileFormat.of("
            + id
            + ") is not a format lakeroute writes: use one of "
            + Arrays.stream(values()).map(FileFormat::id).collect(Collectors.joining(", ")));
  }

  /** The codec named {@code codec} for this format (null: the default), validated. */
  public String codec(String codec) {
    if (codec == null || codec.isBlank()) {
      return defaultCodec();
    }
    String lower = codec.strip().toLowerCase(Locale.ROOT);
    if (lower.equals("uncompressed") || lower.equals("null")) {
      lower = "none";
    }
    if (!codecs.contains(lower)) {
      throw new IllegalArgumentException(
          "FormatSpec.withCodec("
              + codec
              + ") does not apply to "
              + id
              + ": use one of "
              + String.join(", ", codecs));
    }
    return lower;
  }
}
