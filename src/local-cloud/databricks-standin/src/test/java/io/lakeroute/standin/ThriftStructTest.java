package io.lakeroute.standin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.hive.service.rpc.thrift.TColumn;
import org.apache.hive.service.rpc.thrift.TFetchResultsResp;
import org.apache.hive.service.rpc.thrift.TI64Column;
import org.apache.hive.service.rpc.thrift.TOpenSessionReq;
import org.apache.hive.service.rpc.thrift.TProtocolVersion;
import org.apache.hive.service.rpc.thrift.TRowSet;
import org.apache.hive.service.rpc.thrift.TStatus;
import org.apache.hive.service.rpc.thrift.TStatusCode;
import org.apache.hive.service.rpc.thrift.TStringColumn;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

class ThriftStructTest {
  @Test
  void rewritesMessagesByteForByte() throws Exception {
    TOpenSessionReq request = new TOpenSessionReq(TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10);
    request.setUsername("token");
    request.setConfiguration(Map.of("use:database", "lake"));
    TMemoryBuffer buffer = new TMemoryBuffer(256);
    TBinaryProtocol out = new TBinaryProtocol(buffer);
    out.writeMessageBegin(new TMessage("OpenSession", TMessageType.CALL, 7));
    new TCLIService.OpenSession_args(request).write(out);
    out.writeMessageEnd();
    byte[] bytes = Arrays.copyOf(buffer.getArray(), buffer.length());

    ThriftMessage message = ThriftMessage.parse(bytes);
    assertThat(message.name, is("OpenSession"));
    assertThat(message.seqid, is(7));
    assertThat(message.request().string(2), is("token"));
    assertThat(Arrays.equals(message.toBytes(), bytes), is(true));
  }

  @Test
  void addedFieldsAreSkippedByHiveClasses() throws Exception {
    TRowSet rows = new TRowSet(0, List.of());
    rows.setColumns(
        List.of(
            TColumn.i64Val(new TI64Column(List.of(1L, 2L, 3L), ByteBuffer.allocate(1))),
            TColumn.stringVal(new TStringColumn(List.of("a", "b", "c"), ByteBuffer.allocate(1)))));
    TFetchResultsResp hive = new TFetchResultsResp(new TStatus(TStatusCode.SUCCESS_STATUS));
    hive.setHasMoreRows(false);
    hive.setResults(rows);
    byte[] bytes = new TSerializer(new TBinaryProtocol.Factory()).serialize(hive);
    ThriftStruct generic =
        ThriftStruct.read(
            new TBinaryProtocol(new org.apache.thrift.transport.TMemoryInputTransport(bytes)));
    assertThat(ThriftHttpAdapter.rowCount(generic.struct(3)), is(3L));

    generic.putBool(2, true).putStruct(0x501, new ThriftStruct().putI32(0x501, 1));
    TMemoryBuffer buffer = new TMemoryBuffer(256);
    generic.write(new TBinaryProtocol(buffer));
    TFetchResultsResp back = new TFetchResultsResp();
    new TDeserializer(new TBinaryProtocol.Factory())
        .deserialize(back, Arrays.copyOf(buffer.getArray(), buffer.length()));
    assertThat(back.isHasMoreRows(), is(true));
    assertThat(
        back.getResults().getColumns().get(1).getStringVal().getValues(),
        is(List.of("a", "b", "c")));
  }
}
