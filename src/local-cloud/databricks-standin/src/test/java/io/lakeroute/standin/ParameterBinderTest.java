package io.lakeroute.standin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.lakeroute.standin.ParameterBinder.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterBinderTest {
  @Test
  void bindsPositionalMarkersAsTypedLiterals() {
    String sql =
        ParameterBinder.bind(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            List.of(
                new Parameter(1, null, "INT", "7"),
                new Parameter(2, null, "STRING", "it's a \\ test"),
                new Parameter(3, null, "DECIMAL(38,10)", "-0.0000000001"),
                new Parameter(4, null, "TIMESTAMP", null)));
    assertThat(
        sql,
        is(
            "INSERT INTO t VALUES (CAST('7' AS INT), 'it\\'s a \\\\ test',"
                + " CAST('-0.0000000001' AS DECIMAL(38,10)), CAST(NULL AS TIMESTAMP))"));
  }

  @Test
  void leavesMarkersInLiteralsIdentifiersAndComments() {
    String sql =
        ParameterBinder.bind(
            "SELECT '?', \"?\", `a?b`, x -- ?\n/* ? */ FROM t WHERE y = ?",
            List.of(new Parameter(1, null, "BIGINT", "5")));
    assertThat(
        sql, is("SELECT '?', \"?\", `a?b`, x -- ?\n/* ? */ FROM t WHERE y = CAST('5' AS BIGINT)"));
  }

  @Test
  void bindsNamedMarkersButNotCastsOrUnknownNames() {
    String sql =
        ParameterBinder.bind(
            "SELECT v:field, a::int FROM t WHERE id = :id AND day = :Day",
            List.of(
                new Parameter(null, "id", "INT", "1"),
                new Parameter(null, "day", "DATE", "1969-07-20")));
    assertThat(
        sql,
        is(
            "SELECT v:field, a::int FROM t WHERE id = CAST('1' AS INT)"
                + " AND day = CAST('1969-07-20' AS DATE)"));
  }

  @Test
  void readsTheDriversParameterStructs() {
    ThriftStruct.ThriftList parameters =
        new ThriftStruct.ThriftList(
            org.apache.thrift.protocol.TType.STRUCT,
            false,
            List.of(
                new ThriftStruct()
                    .putI32(1, 1)
                    .putString(3, "INT")
                    .putStruct(4, new ThriftStruct().putString(1, "42")),
                new ThriftStruct().putI32(2, 2).putString(3, "VOID")));
    ThriftStruct request =
        new ThriftStruct()
            .putString(2, "SELECT ?, ?")
            .put(0x508, org.apache.thrift.protocol.TType.LIST, parameters);
    ParameterBinder.bind(request);
    assertThat(request.string(2), is("SELECT CAST('42' AS INT), NULL"));
    assertThat(request.has(0x508), is(false));
  }
}
