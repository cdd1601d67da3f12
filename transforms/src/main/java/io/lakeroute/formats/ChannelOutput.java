package io.lakeroute.formats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * An output stream over the channel FileIO gives a sink, counting the bytes written. Closing it
 * only flushes: FileIO owns the channel and closes it after {@code flush()}.
 */
final class ChannelOutput extends OutputStream {
  private static final int BUFFER = 256 * 1024;

  private final WritableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private long position;

  ChannelOutput(WritableByteChannel channel) {
    this.channel = channel;
  }

  long position() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.put((byte) b);
    position++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (length >= BUFFER) {
      drain();
      ByteBuffer wrapped = ByteBuffer.wrap(bytes, offset, length);
      while (wrapped.hasRemaining()) {
        channel.write(wrapped);
      }
    } else {
      if (buffer.remaining() < length) {
        drain();
      }
      buffer.put(bytes, offset, length);
    }
    position += length;
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public void flush() throws IOException {
    drain();
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
