package dev.tollgate.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Anthropic's SSE framing: each event named by an {@code event:} line matching its {@code type}. */
public final class AnthropicSse {

  private AnthropicSse() {}

  public static byte[] frame(JsonNode event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("event: " + event.path("type").asText() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(Json.bytes(event));
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
