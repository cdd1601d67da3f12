package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.testing.StagedRecords.CsvDialect;
import io.lakeroute.testing.StagedRecords.Record;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stand-ins' decoding of staged CSV and JSON, and their statement tokens, without servers. */
class StagedRecordsTest {
  private static final CsvDialect REDSHIFT =
      new CsvDialect(',', '"', "", 1, null, StandardCharsets.UTF_8);

  private static List<Record> csv(String text, CsvDialect dialect) throws Exception {
    return StagedRecords.csv(text.getBytes(StandardCharsets.UTF_8), dialect);
  }

  @Test
  void csvKeepsQuotedDelimitersNewlinesAndQuotesAndTellsNullFromEmpty() throws Exception {
    List<Record> records = csv("id,note,n\n1,\"a,\"\"b\"\"\nc\",\n2,\"\",7\r\n3,x,\n", REDSHIFT);
    assertThat(records.size(), equalTo(3));
    assertThat(records.get(0).line(), equalTo(2L));
    assertThat(records.get(0).values(), contains("1", "a,\"b\"\nc", null));
    // The record after a quoted newline starts two lines further; CR LF ends a record too.
    assertThat(records.get(1).line(), equalTo(4L));
    assertThat(records.get(1).values(), contains("2", "", "7"));
    assertThat(records.get(2).values(), contains("3", "x", null));
  }

  @Test
  void anExplicitRowTerminatorIsTheOnlyOne() throws Exception {
    CsvDialect lf = new CsvDialect(',', '"', "", 0, "\n", StandardCharsets.UTF_8);
    // A bare LF terminator keeps a CR as part of the last field, as SQL Server's 0x0A does.
    assertThat(csv("a,b\r\n", lf).get(0).values(), contains("a", "b\r"));
    CsvDialect crlf = new CsvDialect(',', '"', "", 0, "\r\n", StandardCharsets.UTF_8);
    assertThat(csv("a,b\nc,d\r\n", crlf).get(0).values(), contains("a", "b\nc", "d"));
  }

  @Test
  void malformedCsvNamesTheLine() {
    StagedRecords.BadRecord open =
        assertThrows(StagedRecords.BadRecord.class, () -> csv("h\n\"never closed\n", REDSHIFT));
    assertThat(open.line, equalTo(2L));
    assertThat(open.getMessage(), containsString("Missing closing quote"));
    StagedRecords.BadRecord after =
        assertThrows(StagedRecords.BadRecord.class, () -> csv("h\n\"a\"b\n", REDSHIFT));
    assertThat(after.getMessage(), containsString("text after a closing quote"));
  }

  @Test
  void fieldsMapToColumnsByPositionOrByName() throws Exception {
    Record positional = new Record(5, Arrays.asList("1", "x"), null);
    StagedRecords.BadRecord fewer =
        assertThrows(
            StagedRecords.BadRecord.class,
            () -> StagedRecords.forColumns(positional, List.of("a", "b", "c"), false));
    assertThat(fewer.getMessage(), containsString("Delimiter not found"));
    assertThat(fewer.line, equalTo(5L));

    List<Record> json =
        StagedRecords.json(
            "{\"ID\": 1, \"amount\": 12345678901234567890.0123456789, \"gone\": null}\n"
                .getBytes(StandardCharsets.UTF_8),
            StandardCharsets.UTF_8);
    assertThat(
        StagedRecords.forColumns(json.get(0), List.of("id", "amount", "gone", "absent"), true),
        contains("1", "12345678901234567890.0123456789", null, null));
    assertThat(
        StagedRecords.forColumns(json.get(0), List.of("id"), false), contains((Object) null));
  }

  @Test
  void tokensUnquoteIdentifiersAndLiteralsOfBothDialects() throws Exception {
    SqlTokens tokens = SqlTokens.of("COPY \"a\"\"b\".[c]]d] FROM N'it''s' x 12;");
    tokens.expect("copy");
    assertThat(tokens.peek().value(), equalTo("a\"b"));
    assertThat(tokens.identifierText(), equalTo("\"a\"\"b\""));
    tokens.expect(".");
    assertThat(tokens.peek().value(), equalTo("c]d"));
    tokens.identifierText();
    tokens.expect("FROM");
    assertThat(tokens.string(), equalTo("it's"));
    SQLException unknown = assertThrows(SQLException.class, tokens::string);
    assertThat(unknown.getMessage(), equalTo("syntax error at or near \"x\""));
    assertThat(tokens.number(), equalTo(12L));
    assertThat(tokens.atEnd(), equalTo(true));
  }
}
