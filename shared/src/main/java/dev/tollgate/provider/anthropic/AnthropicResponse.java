package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;

/**
 * Translates an Anthropic Messages answer into an OpenAI {@code chat.completion}: text blocks
 * joined into {@code content}, {@code tool_use} blocks into {@code tool_calls}, the stop reason
 * into a finish reason and the usage into OpenAI's counts. Other block types (thinking, server
 * tool results) have no OpenAI counterpart and are left out.
 */
final class AnthropicResponse {

  private AnthropicResponse() {}

  static UpstreamResponse toCompletion(byte[] body, String fallbackModel, long createdEpochSecond)
      throws UpstreamFailure {
    JsonNode message = parse(body);
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = Json.array();
    for (JsonNode block : message.get("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject();
          call.put("id", block.path("id").asText());
          call.put("type", "function");
          ObjectNode function = call.putObject("function");
          function.put("name", block.path("name").asText());
          JsonNode input = block.get("input");
          function.put("arguments", Json.text(input == null || input.isNull() ? Json.object() : input));
        }
        default -> {
          // no OpenAI counterpart
        }
      }
    }
    ObjectNode completion = Json.object();
    completion.put("id", message.path("id").asText("msg-unknown"));
    completion.put("object", "chat.completion");
    completion.put("created", createdEpochSecond);
    completion.put("model", message.path("model").asText(fallbackModel));
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode reply = choice.putObject("message");
    reply.put("role", "assistant");
    if (text.isEmpty() && !toolCalls.isEmpty()) {
      reply.putNull("content"); // as OpenAI answers a pure tool call
    } else {
      reply.put("content", text.toString());
    }
    reply.putNull("refusal");
    if (!toolCalls.isEmpty()) {
      reply.set("tool_calls", toolCalls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(message.path("stop_reason").asText("")));
    Usage usage = usage(message.path("usage"), completion.putObject("usage"));
    return new UpstreamResponse(completion, usage);
  }

  /** Anthropic's {@code stop_reason} as OpenAI's {@code finish_reason}. */
  static String finishReason(String stopReason) {
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /**
   * Anthropic counts cache reads and cache writes apart from {@code input_tokens}; OpenAI's
   * {@code prompt_tokens} includes cached tokens, so all three are added up.
   */
  static Usage usage(JsonNode anthropic) {
    long cacheRead = anthropic.path("cache_read_input_tokens").asLong(0);
    long prompt =
        anthropic.path("input_tokens").asLong(0)
            + cacheRead
            + anthropic.path("cache_creation_input_tokens").asLong(0);
    long completion = anthropic.path("output_tokens").asLong(0);
    return new Usage(prompt, completion, prompt + completion, cacheRead);
  }

  private static Usage usage(JsonNode anthropic, ObjectNode openAi) {
    Usage usage = usage(anthropic);
    openAi.put("prompt_tokens", usage.promptTokens());
    openAi.put("completion_tokens", usage.completionTokens());
    openAi.put("total_tokens", usage.totalTokens());
    openAi.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
    return usage;
  }

  private static JsonNode parse(byte[] body) throws UpstreamFailure {
    JsonNode parsed = HttpFailures.parseJsonBody(body);
    if (!parsed.isObject() || !"message".equals(parsed.path("type").asText()) || !parsed.path("content").isArray()) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response is not an Anthropic message (no 'content')");
    }
    return parsed;
  }
}
