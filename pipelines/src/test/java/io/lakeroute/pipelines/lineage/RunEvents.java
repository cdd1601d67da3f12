package io.lakeroute.pipelines.lineage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks an OpenLineage run event as its consumers read it. No artifact on Maven Central ships the
 * OpenLineage JSON schema (the Java client is generated from it but carries only the classes), so
 * the event is held to the client's generated model strictly: it must parse into {@link
 * OpenLineage.RunEvent} and serialize back to the very same JSON (no field the model does not know,
 * none of a wrong type), and carry what the schema requires: an event time with its offset, URIs
 * for the producer and schema, a UUID run id, named job and datasets, and on every facet the {@code
 * _producer} and {@code _schemaURL} of the schema's BaseFacet.
 */
public final class RunEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The facet containers of the model, where every member is a facet. */
  private static final List<String> FACET_KEYS = List.of("facets", "inputFacets", "outputFacets");

  private RunEvents() {}

  /** {@code json} as a run event, after checking it as above. */
  public static OpenLineage.RunEvent checked(String json) {
    OpenLineage.RunEvent event = OpenLineageClientUtils.runEventFromJson(json);
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
      assertThat(
          "the event is exactly what the model holds",
          JSON.readTree(OpenLineageClientUtils.toJson(event)),
          equalTo(tree));
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
    OffsetDateTime.parse(tree.get("eventTime").asText());
    URI.create(tree.get("producer").asText());
    assertThat(
        tree.get("schemaURL").asText(),
        matchesPattern(
            "https://openlineage\\.io/spec/[0-9-]+/OpenLineage\\.json#/\\$defs/RunEvent"));
    UUID.fromString(tree.at("/run/runId").asText());
    assertThat(tree.at("/job/namespace").asText().isEmpty(), equalTo(false));
    assertThat(tree.at("/job/name").asText().isEmpty(), equalTo(false));
    for (String side : List.of("inputs", "outputs")) {
      for (JsonNode dataset : tree.path(side)) {
        assertThat(side, dataset.path("namespace").asText().isEmpty(), equalTo(false));
        assertThat(side, dataset.path("name").asText().isEmpty(), equalTo(false));
      }
    }
    facets(tree, "");
    return event;
  }

  /** Checks every facet under {@code node}, whose path is {@code where}. */
  private static void facets(JsonNode node, String where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String path = where + "/" + member.getKey();
      if (FACET_KEYS.contains(member.getKey())) {
        for (Iterator<Map.Entry<String, JsonNode>> f = member.getValue().fields(); f.hasNext(); ) {
          Map.Entry<String, JsonNode> facet = f.next();
          String at = path + "/" + facet.getKey();
          URI producer = URI.create(facet.getValue().path("_producer").asText());
          assertThat(at + " has a _producer", producer.getScheme() != null, equalTo(true));
          URI schema = URI.create(facet.getValue().path("_schemaURL").asText());
          assertThat(at, schema.getScheme(), equalTo("https"));
          assertThat(at, schema.getFragment(), startsWith("/$defs/"));
          assertThat(at, schema.getPath(), endsWith(".json"));
        }
      }
      if (member.getValue().isContainerNode()) {
        if (member.getValue().isArray()) {
          for (JsonNode item : member.getValue()) {
            facets(item, path + "[]");
          }
        } else {
          facets(member.getValue(), path);
        }
      }
    }
  }
}
