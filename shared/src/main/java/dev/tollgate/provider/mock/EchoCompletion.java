package dev.tollgate.provider.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.api.MessageText;

/**
 * The deterministic answer of the mock model: the last user message echoed back, cut to
 * {@code max_tokens} (then {@code finish_reason: length}), with usage estimated at four
 * characters per token. Shared by the in-process mock provider and the mock upstream server.
 */
public final class EchoCompletion {

  private EchoCompletion() {}

  public static ObjectNode of(ChatRequest request, String model, String id, long createdEpochSeconds) {
    String text = request.lastUserText();
    long maxTokens = request.maxCompletionTokens();
    String finishReason = "stop";
    if (maxTokens > 0 && estimateTokens(text) > maxTokens) {
      text = text.substring(0, (int) Math.min(text.length(), maxTokens * 4));
      finishReason = "length";
    }
    ObjectNode completion = Json.object();
    completion.put("id", id);
    completion.put("object", "chat.completion");
    completion.put("created", createdEpochSeconds);
    completion.put("model", model);
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    long prompt = promptTokens(request.body().path("messages"));
    long completionTokens = estimateTokens(text);
    ObjectNode usage = completion.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", prompt + completionTokens);
    return completion;
  }

  /** Roughly four characters a token, as OpenAI's rule of thumb; at least one for any text. */
  public static long estimateTokens(String text) {
    return text.isEmpty() ? 0 : (text.length() + 3) / 4;
  }

  private static long promptTokens(JsonNode messages) {
    long tokens = 0;
    for (JsonNode message : messages) {
      tokens += 3 + estimateTokens(MessageText.of(message.get("content")));
    }
    return tokens;
  }
}
