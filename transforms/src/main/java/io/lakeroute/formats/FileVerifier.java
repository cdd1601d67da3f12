package io.lakeroute.formats;

import io.lakeroute.fingerprint.FingerprintAccumulator;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads a delivered file back through Beam's filesystems and measures what it really holds: rows
 * (with the format's own structure: Parquet footers, Avro blocks, CSV records with quoting, JSON
 * lines), bytes and SHA-256. This is what the manifest records, not what the writer believed.
 */
public final class FileVerifier {
  private FileVerifier() {}

  /** What a file holds. */
  public static final class Stats {
    public final long rows;
    public final long bytes;
    public final String sha256;

    Stats(long rows, long bytes, String sha256) {
      this.rows = rows;
      this.bytes = bytes;
      this.sha256 = sha256;
    }
  }

  /**
   * What a file holds; its values, decoded as rows of the accumulator's schema, go into {@code
   * values} (a fingerprint, a check, or both). CSV and JSON are read once: the bytes are counted
   * and digested as the values are parsed, and the parser's records are the format's structure.
   * Parquet (read by column chunks, out of byte order) and Avro (whose blocks are checked against
   * the sync marker, which Avro's own reader skips quietly at a truncated block) are read a second
   * time for their values, and that count must be the count of the format's structure.
   */
  public static Stats verify(FormatSpec spec, ResourceId file, FingerprintAccumulator values)
      throws IOException {
    if (spec.format() == FileFormat.CSV || spec.format() == FileFormat.JSON) {
      return textInOnePass(spec, file, values);
    }
    Stats stats = verify(spec, file);
    long rows;
    try {
      rows = FileValues.read(spec, values.schema(), file, values::add);
    } catch (RuntimeException e) {
      throw notWritten(spec, file, e);
    }
    if (rows != stats.rows) {
      throw new IOException(
          file + " holds " + stats.rows + " records, but " + rows + " rows could be read from it");
    }
    return stats;
  }

  private static Stats textInOnePass(
      FormatSpec spec, ResourceId file, FingerprintAccumulator values) throws IOException {
    MessageDigest digest = sha256();
    long rows;
    CountingStream raw;
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file)) {
      raw = digested(channel, digest);
      try {
        rows = FileValues.readText(spec, values.schema(), decompressed(spec, raw), values::add);
      } catch (RuntimeException e) {
        throw notWritten(spec, file, e);
      }
      raw.skipToEnd();
    }
    return new Stats(rows, raw.count, HexFormat.of().formatHex(digest.digest()));
  }

  /** The bytes of {@code channel}, counted and digested as they are read. */
  private static CountingStream digested(SeekableByteChannel channel, MessageDigest digest) {
    return new CountingStream(
        new DigestInputStream(
            new BufferedInputStream(Channels.newInputStream(channel), 1 << 16), digest));
  }

  private static IOException notWritten(FormatSpec spec, ResourceId file, RuntimeException e) {
    return new IOException(
        file + " holds a value lakeroute did not write (" + spec.format().id() + "): " + e, e);
  }

  public static Stats verify(FormatSpec spec, ResourceId file) throws IOException {
    MessageDigest digest = sha256();
    long rows;
    CountingStream raw;
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file)) {
      raw = digested(channel, digest);
      switch (spec.format()) {
        case AVRO:
          rows = avroRows(raw);
          break;
        case CSV:
          rows = csvRecords(decompressed(spec, raw), spec.csv());
          break;
        case JSON:
          rows = lines(decompressed(spec, raw));
          break;
        default:
          rows = -1;
      }
      raw.skipToEnd();
      if (rows < 0) {
        // Inside the try: parquet-mr reports a file that is not Parquet with a RuntimeException.
        rows = parquetRows(file, raw.count);
      }
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a valid " + spec.format().id() + " file: " + e, e);
    }
    return new Stats(rows, raw.count, HexFormat.of().formatHex(digest.digest()));
  }

  private static InputStream decompressed(FormatSpec spec, InputStream raw) throws IOException {
    return new BufferedInputStream(
        Channels.newInputStream(
            spec.fileCompression().readDecompressed(Channels.newChannel(nonClosing(raw)))),
        1 << 16);
  }

  /**
   * Counts records block by block, checking that each block ends with the file's sync marker.
   * Avro's DataFileStream is not used: it ends quietly at a truncated block, as if the file ended
   * before it, and the rows lost would go unnoticed.
   */
  private static long avroRows(InputStream in) throws IOException {
    BinaryDecoder avro = DecoderFactory.get().binaryDecoder(in, null);
    try {
      byte[] magic = new byte[DataFileConstants.MAGIC.length];
      avro.readFixed(magic);
      if (!Arrays.equals(magic, DataFileConstants.MAGIC)) {
        throw new IllegalArgumentException("no Avro magic number");
      }
      boolean hasSchema = false;
      for (long n = avro.readMapStart(); n != 0; n = avro.mapNext()) {
        for (long i = 0; i < n; i++) {
          String key = avro.readString();
          ByteBuffer value = avro.readBytes(null);
          if (key.equals(DataFileConstants.SCHEMA)) {
            new org.apache.avro.Schema.Parser()
                .parse(StandardCharsets.UTF_8.decode(value).toString());
            hasSchema = true;
          }
        }
      }
      if (!hasSchema) {
        throw new IllegalArgumentException("no schema in the Avro header");
      }
      byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
      avro.readFixed(sync);
      byte[] marker = new byte[DataFileConstants.SYNC_SIZE];
      byte[] block = new byte[1 << 16];
      long rows = 0;
      while (!avro.isEnd()) {
        long count = avro.readLong();
        long size = avro.readLong();
        if (count < 0 || size < 0) {
          throw new IllegalArgumentException("an Avro block has a negative count or size");
        }
        // Read, not skipped: skipping bypasses the digest and the byte count.
        for (long left = size; left > 0; left -= block.length) {
          avro.readFixed(block, 0, (int) Math.min(left, block.length));
        }
        avro.readFixed(marker);
        if (!Arrays.equals(marker, sync)) {
          throw new IllegalArgumentException("an Avro block does not end with the sync marker");
        }
        rows += count;
      }
      return rows;
    } catch (EOFException e) {
      throw new IllegalArgumentException("the file ends inside an Avro block or header", e);
    }
  }

  /** Counts records: line breaks outside quotes and not escaped, less the header. */
  static long csvRecords(InputStream in, CsvOptions csv) throws IOException {
    // Characters, not bytes: a non-ASCII quote or escape is several bytes in UTF-8, and its low
    // byte alone also occurs inside other characters. Read in blocks: a Reader locks per call.
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    char[] buffer = new char[1 << 16];
    int quote = csv.quote();
    int escape = csv.escape() == null ? -1 : csv.escape();
    boolean quoted = false;
    boolean pending = false;
    boolean escaped = false;
    long records = 0;
    int n;
    while ((n = reader.read(buffer, 0, buffer.length)) != -1) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (escaped) {
          escaped = false;
        } else if (c == escape) {
          escaped = true;
          pending = true;
        } else if (c == quote) {
          quoted = !quoted;
          pending = true;
        } else if (c == '\n' && !quoted) {
          records++;
          pending = false;
        } else if (c != '\r' || quoted) {
          pending = true;
        }
      }
    }
    if (pending) {
      records++;
    }
    return csv.header() ? Math.max(0, records - 1) : records;
  }

  private static long lines(InputStream in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long lines = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }
    return lines;
  }

  private static long parquetRows(ResourceId file, long length) throws IOException {
    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file);
        ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(channel, length))) {
      long rows = 0;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        rows += block.getRowCount();
      }
      return rows;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  /** Counts bytes, so the size measured is the size read, whatever the store reports. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    void skipToEnd() throws IOException {
      byte[] buffer = new byte[1 << 16];
      while (read(buffer, 0, buffer.length) != -1) {
        // digest and count what the format reader did not need
      }
    }
  }

  /** Parquet's view of a seekable Beam channel. */
  static final class ChannelInputFile implements InputFile {
    private final SeekableByteChannel channel;
    private final long length;

    ChannelInputFile(SeekableByteChannel channel, long length) {
      this.channel = channel;
      this.length = length;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() {
      return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          return channel.read(buf);
        }
      };
    }
  }
}
