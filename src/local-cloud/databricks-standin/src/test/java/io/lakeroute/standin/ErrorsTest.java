package io.lakeroute.standin;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void analysisErrorKeepsClassAndMessageOnly() {
    String hive =
        "org.apache.hive.service.cli.HiveSQLException: Error running query:"
            + " [UNRESOLVED_COLUMN.WITH_SUGGESTION] org.apache.spark.sql.AnalysisException:"
            + " [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name"
            + " `nope` cannot be resolved. Did you mean one of the following? [`b`].; line 1 pos 7;\n"
            + "'Project ['nope]\n"
            + "+- SubqueryAlias spark_catalog.lake.t\n"
            + "\tat org.apache.spark.sql.hive.thriftserver.HiveThriftServerErrors$.runningQueryError";
    assertThat(
        Errors.clean(hive),
        is(
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope`"
                + " cannot be resolved. Did you mean one of the following? [`b`].; line 1 pos 7"));
  }

  @Test
  void parseErrorTakesTheTextFromTheNextLine() {
    String hive =
        "org.apache.hive.service.cli.HiveSQLException: Error running query: [PARSE_SYNTAX_ERROR]"
            + " org.apache.spark.sql.catalyst.parser.ParseException: \n"
            + "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)\n\n"
            + "== SQL ==\nSELEC 1\n^^^\n\n\tat org.apache.spark.sql.catalyst.parser.ParseException";
    assertThat(
        Errors.clean(hive),
        is("[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)"));
  }

  @Test
  void messageWithoutWrappingIsKept() {
    assertThat(Errors.clean("something failed"), is("something failed"));
  }

  @Test
  void failedOperationStatusMovesTheErrorIntoTheStatus() {
    ThriftStruct response =
        new ThriftStruct()
            .putStruct(1, new ThriftStruct().putI32(1, 0))
            .putI32(2, 5)
            .putString(3, "42P01")
            .putString(5, "org.apache.spark.sql.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] x");
    Errors.clarify("GetOperationStatus", response);
    assertThat(response.struct(1).string(5), is("[TABLE_OR_VIEW_NOT_FOUND] x"));
    assertThat(response.struct(1).string(3), is("42P01"));
    assertThat(response.string(5), is("[TABLE_OR_VIEW_NOT_FOUND] x"));
  }
}
