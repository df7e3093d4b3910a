package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tollgate.api.Json;
import dev.tollgate.testing.FakeUpstream;

/** Answers of Anthropic's Messages API as its documentation shows them, for a fake upstream. */
final class AnthropicBodies {

  private AnthropicBodies() {}

  /** A message with one text block, the given stop reason and usage. */
  static ObjectNode textMessage(String text, String stopReason, int inputTokens, int outputTokens) {
    ObjectNode message = message(stopReason, inputTokens, outputTokens);
    ObjectNode block = message.withArray("content").addObject();
    block.put("type", "text");
    block.put("text", text);
    return message;
  }

  /** A message with no content blocks yet. */
  static ObjectNode message(String stopReason, int inputTokens, int outputTokens) {
    ObjectNode message = Json.object();
    message.put("id", "msg_013Zva2CMHLNnXjNJJKqJ2EF");
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", "claude-sonnet-4-5-20250929");
    message.putArray("content");
    message.put("stop_reason", stopReason);
    message.putNull("stop_sequence");
    ObjectNode usage = message.putObject("usage");
    usage.put("input_tokens", inputTokens);
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", 0);
    usage.put("output_tokens", outputTokens);
    usage.put("service_tier", "standard");
    return message;
  }

  static ResponseDefinitionBuilder answers(String text) {
    return FakeUpstream.json(200, textMessage(text, "end_turn", 25, 7));
  }

  /** An error in Anthropic's shape {@code {"type":"error","error":{"type","message"}}}. */
  static ResponseDefinitionBuilder error(int status, String type, String message) {
    ObjectNode root = Json.object();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type);
    error.put("message", message);
    root.put("request_id", "req_011CSHoEeqs5C35K2UUqR7Fy");
    return FakeUpstream.json(status, root);
  }

  static ResponseDefinitionBuilder overloaded() {
    return error(529, "overloaded_error", "Overloaded");
  }
}
