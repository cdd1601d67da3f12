package io.lakeroute.pipelines.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A service-account key's JSON, read once by the launcher and carried to the workers inside the
 * pipeline's options, the way the runner ships everything a task needs. Printed options show that a
 * key is there, never the key.
 */
public final class ServiceAccountKey implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String json;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public ServiceAccountKey(String json) {
    this.json = json;
  }

  @JsonValue
  public String json() {
    return json;
  }

  public byte[] bytes() {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "(a service-account key, not shown)";
  }
}
