package io.lakeroute.pipelines.routes;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.fingerprint.FingerprintSql;
import io.lakeroute.pipelines.run.ExitCode;
import io.lakeroute.pipelines.run.RunFailure;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;

/** --verifyStrict: a column a hop cannot fingerprint refuses the run before any data moves. */
class ChecksTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addField(Schema.Field.nullable("id", Schema.FieldType.INT32).withDescription("int4"))
          .addField(
              Schema.Field.nullable("payload", Schema.FieldType.BYTES).withDescription("bytea"))
          .build();

  @Test
  void binaryHeldAsTextWhereTheEngineCannotDecodeItIsRefusedNamingTheColumn() {
    RunFailure e =
        assertThrows(
            RunFailure.class,
            () ->
                Checks.fingerprintable("the warehouse", FingerprintSql.sqlServer(), SCHEMA, "csv"));

    assertThat(e.exitCode(), equalTo(ExitCode.USAGE));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("--verifyStrict: the warehouse cannot fingerprint payload"),
            containsString("cannot render a bytes held as text canonically"),
            containsString("--format=csv"),
            containsString("Nothing was delivered")));
  }

  @Test
  void whatEveryEngineCanFingerprintPasses() {
    Checks.fingerprintable("the warehouse", FingerprintSql.sqlServer(), SCHEMA, "parquet");
    Checks.fingerprintable("the warehouse", FingerprintSql.postgres(), SCHEMA, "csv");
  }
}
