package dev.tollgate.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;

/**
 * Token usage an upstream reported for one call. {@code promptTokens} includes the
 * {@code cachedTokens} read from the provider's prompt cache, as OpenAI counts them.
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens) {

  public static final Usage NONE = new Usage(0, 0, 0);

  /** Usage from an upstream that reports no cache reads. */
  public Usage(long promptTokens, long completionTokens, long totalTokens) {
    this(promptTokens, completionTokens, totalTokens, 0);
  }

  /** Reads OpenAI's {@code usage} object; missing numbers count as zero. */
  public static Usage fromOpenAi(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return NONE;
    }
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long total = usage.path("total_tokens").asLong(prompt + completion);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    return new Usage(prompt, completion, total, cached);
  }

  /** OpenAI's {@code usage} object; cached tokens appear only when there are some. */
  public ObjectNode toOpenAi() {
    ObjectNode body = Json.object();
    body.put("prompt_tokens", promptTokens);
    body.put("completion_tokens", completionTokens);
    body.put("total_tokens", totalTokens);
    if (cachedTokens > 0) {
      body.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    }
    return body;
  }
}
