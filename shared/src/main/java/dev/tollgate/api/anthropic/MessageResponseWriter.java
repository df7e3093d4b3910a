package dev.tollgate.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;

/**
 * Writes an OpenAI {@code chat.completion} as an Anthropic message: text and {@code tool_use}
 * blocks, the finish reason as a stop reason, and the usage. Only the first choice is used, as
 * Anthropic answers one message per request.
 */
public final class MessageResponseWriter {

  private MessageResponseWriter() {}

  /** The message answering {@code alias}, the model name the client asked for. */
  public static ObjectNode message(JsonNode completion, String alias) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode reply = choice.path("message");
    ObjectNode message = header(messageId(completion.path("id").asText("")), alias);
    ArrayNode content = message.putArray("content");
    String text = reply.path("content").isTextual() ? reply.path("content").asText() : "";
    if (text.isEmpty() && reply.path("refusal").isTextual()) {
      text = reply.path("refusal").asText();
    }
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : reply.path("tool_calls")) {
      ObjectNode block = content.addObject().put("type", "tool_use");
      block.put("id", call.path("id").asText());
      block.put("name", call.path("function").path("name").asText());
      block.set("input", input(call.path("function").path("arguments").asText("")));
    }
    message.put("stop_reason", stopReason(choice.path("finish_reason").asText("")));
    message.putNull("stop_sequence");
    JsonNode usage = completion.path("usage");
    usage(message, usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
    return message;
  }

  /** The fields every message starts with; content, stop reason and usage follow. */
  static ObjectNode header(String id, String alias) {
    ObjectNode message = Json.object();
    message.put("id", id);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", alias);
    return message;
  }

  static void usage(ObjectNode message, long inputTokens, long outputTokens) {
    ObjectNode usage = message.putObject("usage");
    usage.put("input_tokens", inputTokens);
    usage.put("output_tokens", outputTokens);
  }

  /** Anthropic ids start with {@code msg_}; an id that already does (an Anthropic upstream) is kept. */
  static String messageId(String upstreamId) {
    if (upstreamId.startsWith("msg_")) {
      return upstreamId;
    }
    return "msg_" + (upstreamId.isEmpty() ? "tollgate" : upstreamId);
  }

  /** OpenAI's {@code finish_reason} as Anthropic's {@code stop_reason}. */
  public static String stopReason(String finishReason) {
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /**
   * Tool-call arguments arrive as a JSON string; Anthropic sends the object. Arguments that are
   * not an object (a model's malformed output) are kept as a string under {@code _raw} rather
   * than lost.
   */
  static JsonNode input(String arguments) {
    JsonNode parsed = Json.parseOrNull(arguments);
    if (parsed != null && parsed.isObject()) {
      return parsed;
    }
    ObjectNode input = Json.object();
    if (!arguments.isBlank()) {
      input.put("_raw", arguments);
    }
    return input;
  }
}
