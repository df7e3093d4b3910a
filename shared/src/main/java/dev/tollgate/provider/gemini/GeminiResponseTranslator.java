package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import java.time.Instant;

/**
 * Turns Gemini's {@code GenerateContentResponse} into an OpenAI {@code chat.completion}: one
 * choice per candidate, function calls as tool calls, Gemini's finish reasons and usage in
 * OpenAI's terms. Thinking tokens count as completion tokens, as Gemini bills them as output.
 */
final class GeminiResponseTranslator {

  private GeminiResponseTranslator() {}

  /**
   * @param fallbackId the id suffix when Gemini sent no {@code responseId}
   * @param model the target's model, used when Gemini sent no {@code modelVersion}
   */
  static UpstreamResponse translate(byte[] body, String fallbackId, String model, Instant now)
      throws UpstreamFailure {
    ObjectNode gemini = parse(body);
    JsonNode candidates = gemini.path("candidates");
    boolean promptBlocked = gemini.path("promptFeedback").hasNonNull("blockReason");
    if (!candidates.isArray() && !promptBlocked) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response is not a Gemini answer (no 'candidates')");
    }
    ObjectNode completion = Json.object();
    completion.put("id", completionId(gemini, fallbackId));
    completion.put("object", "chat.completion");
    completion.put("created", now.getEpochSecond());
    completion.put("model", gemini.path("modelVersion").asText(model));
    ArrayNode choices = completion.putArray("choices");
    int callNumber = 0;
    for (int position = 0; position < candidates.size(); position++) {
      JsonNode candidate = candidates.get(position);
      ObjectNode choice = choices.addObject();
      choice.put("index", candidate.path("index").asInt(position));
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      StringBuilder text = new StringBuilder();
      ArrayNode toolCalls = Json.array();
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.has("functionCall")) {
          toolCalls.add(toolCall(part.get("functionCall"), "call_" + ++callNumber));
        } else if (isAnswerText(part)) {
          text.append(part.get("text").asText());
        }
      }
      if (toolCalls.isEmpty()) {
        message.put("content", text.toString());
      } else {
        if (text.isEmpty()) {
          message.putNull("content");
        } else {
          message.put("content", text.toString());
        }
        message.set("tool_calls", toolCalls);
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason(candidate.path("finishReason").asText(""), !toolCalls.isEmpty()));
    }
    if (choices.isEmpty() && promptBlocked) {
      // The prompt itself was refused: answer as OpenAI does when its filter stops a reply.
      ObjectNode choice = choices.addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", "");
      choice.putNull("logprobs");
      choice.put("finish_reason", "content_filter");
    }
    Usage usage = usage(gemini.path("usageMetadata"), completion);
    return new UpstreamResponse(completion, usage);
  }

  /** The OpenAI id of the answer: Gemini's {@code responseId}, else {@code fallbackId}. */
  static String completionId(JsonNode gemini, String fallbackId) {
    return "chatcmpl-gemini-" + gemini.path("responseId").asText(fallbackId);
  }

  /** A {@code functionCall} as an OpenAI tool call; Gemini sends whole calls without ids. */
  static ObjectNode toolCall(JsonNode call, String id) {
    ObjectNode toolCall = Json.object();
    toolCall.put("id", id);
    toolCall.put("type", "function");
    ObjectNode function = toolCall.putObject("function");
    function.put("name", call.path("name").asText());
    JsonNode args = call.get("args");
    function.put("arguments", Json.text(args == null || args.isNull() ? Json.object() : args));
    return toolCall;
  }

  /** A text part of the answer itself, not a thought summary. */
  static boolean isAnswerText(JsonNode part) {
    return part.has("text") && !part.path("thought").asBoolean(false);
  }

  /** Gemini's finish reason in OpenAI's words. */
  static String finishReason(String gemini, boolean calledFunctions) {
    return switch (gemini) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
      default -> calledFunctions ? "tool_calls" : "stop";
    };
  }

  /** Gemini's {@code usageMetadata} in OpenAI's counts: thinking tokens are output, billed as such. */
  static Usage usage(JsonNode metadata) {
    long prompt = metadata.path("promptTokenCount").asLong(0);
    long output = metadata.path("candidatesTokenCount").asLong(0) + metadata.path("thoughtsTokenCount").asLong(0);
    long total = metadata.path("totalTokenCount").asLong(prompt + output);
    return new Usage(prompt, output, total, metadata.path("cachedContentTokenCount").asLong(0));
  }

  private static Usage usage(JsonNode metadata, ObjectNode completion) {
    Usage counted = usage(metadata);
    long thoughts = metadata.path("thoughtsTokenCount").asLong(0);
    ObjectNode usage = completion.putObject("usage");
    usage.put("prompt_tokens", counted.promptTokens());
    usage.put("completion_tokens", counted.completionTokens());
    usage.put("total_tokens", counted.totalTokens());
    if (metadata.has("cachedContentTokenCount")) {
      usage.putObject("prompt_tokens_details").put("cached_tokens", counted.cachedTokens());
    }
    if (thoughts > 0) {
      usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
    }
    return counted;
  }

  private static ObjectNode parse(byte[] body) throws UpstreamFailure {
    JsonNode parsed = HttpFailures.parseJsonBody(body);
    if (!(parsed instanceof ObjectNode object)) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response is not a JSON object");
    }
    return object;
  }
}
