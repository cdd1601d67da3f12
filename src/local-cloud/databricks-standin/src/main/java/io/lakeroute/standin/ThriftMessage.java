package io.lakeroute.standin;

import java.io.ByteArrayOutputStream;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * One Thrift call or reply, as carried in the body of one HTTP request or response. Both sides use
 * the binary protocol: the Databricks driver builds its client on {@code TBinaryProtocol}, and
 * Hive's HTTP servlet on {@code TBinaryProtocol.Factory}.
 *
 * <p>The body of a call is the method's {@code _args} struct (field 1: the request); the body of a
 * reply is its {@code _result} struct (field 0: the response). A reply of type {@code EXCEPTION}
 * carries a {@code TApplicationException} instead.
 */
final class ThriftMessage {
  final String name;
  final byte type;
  final int seqid;
  final ThriftStruct body;

  ThriftMessage(String name, byte type, int seqid, ThriftStruct body) {
    this.name = name;
    this.type = type;
    this.seqid = seqid;
    this.body = body;
  }

  static ThriftMessage parse(byte[] bytes) throws TException {
    TProtocol in = new TBinaryProtocol(new TMemoryInputTransport(bytes));
    TMessage header = in.readMessageBegin();
    ThriftStruct body = ThriftStruct.read(in);
    in.readMessageEnd();
    return new ThriftMessage(header.name, header.type, header.seqid, body);
  }

  byte[] toBytes() throws TException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TProtocol out = new TBinaryProtocol(new TIOStreamTransport(bytes));
    out.writeMessageBegin(new TMessage(name, type, seqid));
    body.write(out);
    out.writeMessageEnd();
    out.getTransport().flush();
    return bytes.toByteArray();
  }

  /** The request of a call: field 1 of its {@code _args}. */
  ThriftStruct request() {
    return body.struct(1);
  }

  /** The response of a reply: field 0 of its {@code _result}; null for an exception. */
  ThriftStruct response() {
    return type == TMessageType.REPLY ? body.struct(0) : null;
  }
}
