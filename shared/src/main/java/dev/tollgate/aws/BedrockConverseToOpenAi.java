package dev.tollgate.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import java.time.Instant;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Turns a Bedrock {@code Converse} answer into an OpenAI {@code chat.completion}: text blocks
 * joined, {@code toolUse} blocks as tool calls, the stop reason and usage in OpenAI's terms.
 * Reasoning blocks are left out (OpenAI's chat shape has no place for them).
 */
final class BedrockConverseToOpenAi {

  private BedrockConverseToOpenAi() {}

  /**
   * @param id the id suffix (Bedrock's request id, or the gateway's)
   * @param model the target's model id, as Converse does not echo it
   */
  static UpstreamResponse translate(ConverseResponse response, String id, String model, Instant now)
      throws UpstreamFailure {
    if (response.output() == null || response.output().message() == null) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response is not a Converse answer (no 'output.message')");
    }
    ObjectNode completion = Json.object();
    completion.put("id", "chatcmpl-bedrock-" + id);
    completion.put("object", "chat.completion");
    completion.put("created", now.getEpochSecond());
    completion.put("model", model);
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = Json.array();
    for (ContentBlock block : response.output().message().content()) {
      if (block.text() != null) {
        text.append(block.text());
      } else if (block.toolUse() != null) {
        ToolUseBlock use = block.toolUse();
        ObjectNode call = toolCalls.addObject();
        call.put("id", use.toolUseId());
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", use.name());
        function.put("arguments", Json.text(use.input() == null ? Json.object() : DocumentJson.toJson(use.input())));
      }
    }
    if (toolCalls.isEmpty() || !text.isEmpty()) {
      message.put("content", text.toString());
    } else {
      message.putNull("content");
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(response.stopReason(), !toolCalls.isEmpty()));
    return new UpstreamResponse(completion, usage(response.usage(), completion));
  }

  /** Bedrock's stop reason in OpenAI's words. */
  static String finishReason(StopReason reason, boolean calledTools) {
    if (reason == null) {
      return calledTools ? "tool_calls" : "stop";
    }
    return switch (reason) {
      case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
      case TOOL_USE -> "tool_calls";
      case GUARDRAIL_INTERVENED, CONTENT_FILTERED -> "content_filter";
      default -> calledTools ? "tool_calls" : "stop";
    };
  }

  private static Usage usage(TokenUsage tokens, ObjectNode completion) {
    Usage usage = usage(tokens);
    completion.set("usage", usage.toOpenAi());
    return usage;
  }

  /**
   * Bedrock's token counts, whole or from a stream's metadata event, in OpenAI's terms. Bedrock's
   * {@code inputTokens} are only the input neither read from nor written to the prompt cache
   * (AWS's prompt-caching guide: total input = inputTokens + cacheReadInputTokens +
   * cacheWriteInputTokens), while OpenAI's prompt tokens are the whole prompt, cached part
   * included; its {@code totalTokens} already count the cache.
   */
  static Usage usage(TokenUsage tokens) {
    if (tokens == null) {
      return Usage.NONE;
    }
    long cached = orZero(tokens.cacheReadInputTokens());
    long prompt = orZero(tokens.inputTokens()) + cached + orZero(tokens.cacheWriteInputTokens());
    long output = orZero(tokens.outputTokens());
    long total = tokens.totalTokens() == null ? prompt + output : tokens.totalTokens();
    return new Usage(prompt, output, total, cached);
  }

  private static long orZero(Integer count) {
    return count == null ? 0 : count;
  }
}
