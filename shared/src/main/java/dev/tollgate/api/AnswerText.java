package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;

/** The text an answer carries (content, refusal, tool call names and arguments), from a completion or a chunk. */
public final class AnswerText {

  private AnswerText() {}

  /** Appends what one streamed chunk adds, over all its choices. */
  public static void appendChunk(StringBuilder text, JsonNode chunk) {
    for (JsonNode choice : chunk.path("choices")) {
      append(text, choice.path("delta"));
    }
  }

  /** The text of a whole chat completion, over all its choices. */
  public static String ofCompletion(JsonNode completion) {
    StringBuilder text = new StringBuilder();
    for (JsonNode choice : completion.path("choices")) {
      append(text, choice.path("message"));
    }
    return text.toString();
  }

  private static void append(StringBuilder text, JsonNode message) {
    text.append(message.path("content").asText("")).append(message.path("refusal").asText(""));
    for (JsonNode call : message.path("tool_calls")) {
      text.append(call.path("function").path("name").asText("")).append(call.path("function").path("arguments").asText(""));
    }
  }
}
