package io.lakeroute.pipelines.lineage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.net.URI;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The check the ITs hold every received event to has teeth: what the model lacks is caught. */
class RunEventsTest {
  private static final OpenLineage OL = new OpenLineage(URI.create("urn:lakeroute:test"));

  private static String event() {
    return OpenLineageClientUtils.toJson(
        OL.newRunEventBuilder()
            .eventType(OpenLineage.RunEvent.EventType.START)
            .eventTime(ZonedDateTime.parse("2026-12-07T10:00:00.5Z"))
            .run(OL.newRunBuilder().runId(UUID.randomUUID()).build())
            .job(
                OL.newJobBuilder()
                    .namespace("lakeroute")
                    .name("s3:/lake")
                    .facets(
                        OL.newJobFacetsBuilder()
                            .sql(OL.newSQLJobFacetBuilder().query("SELECT 1").build())
                            .build())
                    .build())
            .inputs(
                List.of(OL.newInputDatasetBuilder().namespace("postgres://db").name("t").build()))
            .outputs(List.of())
            .build());
  }

  @Test
  void acceptsAnEventTheClientMade() {
    assertThat(
        RunEvents.checked(event()).getEventType(), equalTo(OpenLineage.RunEvent.EventType.START));
  }

  @Test
  void refusesAFieldTheModelDoesNotKnowAFacetWithoutItsProducerAndABadRunId() {
    String event = event();
    assertThrows(
        AssertionError.class, () -> RunEvents.checked(event.replaceFirst("\\{", "{\"extra\":1,")));
    assertThrows(
        AssertionError.class,
        () -> RunEvents.checked(event.replace("\"_producer\":\"urn:lakeroute:test\",", "")));
    assertThrows(
        RuntimeException.class,
        () -> RunEvents.checked(event.replaceFirst("\"runId\":\"[^\"]+\"", "\"runId\":\"r1\"")));
  }
}
