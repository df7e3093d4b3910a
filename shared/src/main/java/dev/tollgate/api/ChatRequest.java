package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated OpenAI chat completion request. The JSON tree is kept whole so fields the gateway
 * does not know still reach OpenAI-compatible upstreams.
 */
public record ChatRequest(ObjectNode body) {

  public String model() {
    return body.path("model").asText();
  }

  public boolean stream() {
    return body.path("stream").asBoolean(false);
  }

  /** True when the client asked for a final usage chunk on a stream. */
  public boolean includeUsage() {
    return stream() && body.path("stream_options").path("include_usage").asBoolean(false);
  }

  /** The completion allowance the client set, or -1 when it set none. */
  public long maxCompletionTokens() {
    JsonNode value = body.get("max_completion_tokens");
    if (value == null || value.isNull()) {
      value = body.get("max_tokens");
    }
    return value == null || value.isNull() ? -1 : value.asLong();
  }

  /** The text of the last message with role {@code user}, text parts joined; empty if none. */
  public String lastUserText() {
    JsonNode messages = body.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        return MessageText.of(message.get("content"));
      }
    }
    return "";
  }
}
