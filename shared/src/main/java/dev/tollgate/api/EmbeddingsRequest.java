package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A validated OpenAI embeddings request. The JSON tree is kept whole so fields the gateway does
 * not know still reach OpenAI-compatible upstreams.
 */
public record EmbeddingsRequest(ObjectNode body) {

  public String model() {
    return body.path("model").asText();
  }

  /** True when {@code input} holds token ids rather than text. */
  public boolean tokenInput() {
    JsonNode input = body.path("input");
    return input.isArray() && !input.isEmpty() && !input.get(0).isTextual();
  }

  /** The texts to embed, in order; empty when the input is token ids. */
  public List<String> texts() {
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        return List.of();
      }
      texts.add(item.asText());
    }
    return texts;
  }

  /** How many embeddings the answer must hold. */
  public int inputCount() {
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      return 1;
    }
    return input.get(0).isIntegralNumber() ? 1 : input.size(); // one flat token array is one input
  }

  /** The vector length the client asked for, if it did. */
  public OptionalInt dimensions() {
    JsonNode value = body.get("dimensions");
    return value == null || value.isNull() ? OptionalInt.empty() : OptionalInt.of(value.asInt());
  }

  /** True when the client wants each vector as base64 of little-endian float32. */
  public boolean base64() {
    return "base64".equals(body.path("encoding_format").asText());
  }
}
