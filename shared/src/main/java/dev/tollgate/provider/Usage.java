package dev.tollgate.provider;

import com.fasterxml.jackson.databind.JsonNode;

/** Token usage an upstream reported for one call. */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {

  public static final Usage NONE = new Usage(0, 0, 0);

  /** Reads OpenAI's {@code usage} object; missing numbers count as zero. */
  public static Usage fromOpenAi(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return NONE;
    }
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long total = usage.path("total_tokens").asLong(prompt + completion);
    return new Usage(prompt, completion, total);
  }
}
