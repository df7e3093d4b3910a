package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a complete {@code chat.completion} into the {@code chat.completion.chunk} sequence a
 * streaming upstream would have sent: per choice a role chunk, a content/tool-call chunk and a
 * finish chunk, then the usage chunk when the client asked for it.
 */
public final class CompletionChunker {

  private CompletionChunker() {}

  public static List<ObjectNode> chunks(JsonNode completion, boolean includeUsage) {
    List<ObjectNode> chunks = new ArrayList<>();
    for (JsonNode choice : completion.path("choices")) {
      int index = choice.path("index").asInt(0);
      JsonNode message = choice.path("message");
      ObjectNode roleDelta = Json.object();
      roleDelta.put("role", message.path("role").asText("assistant"));
      roleDelta.put("content", "");
      chunks.add(chunk(completion, index, roleDelta, null, includeUsage));
      ObjectNode body = bodyDelta(message);
      if (!body.isEmpty()) {
        chunks.add(chunk(completion, index, body, null, includeUsage));
      }
      chunks.add(chunk(completion, index, Json.object(), choice.get("finish_reason"), includeUsage));
    }
    if (includeUsage) {
      ObjectNode usageChunk = header(completion);
      usageChunk.set("choices", Json.array());
      usageChunk.set("usage", completion.path("usage").deepCopy());
      chunks.add(usageChunk);
    }
    return chunks;
  }

  /** Splits each content delta into one chunk per word (the space kept with the word before it). */
  public static List<ObjectNode> wordByWord(List<ObjectNode> chunks) {
    List<ObjectNode> result = new ArrayList<>();
    for (ObjectNode chunk : chunks) {
      JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
      String text = content.asText("");
      if (!content.isTextual() || text.indexOf(' ') < 0) {
        result.add(chunk);
        continue;
      }
      for (String word : text.split("(?<= )")) {
        ObjectNode piece = chunk.deepCopy();
        ((ObjectNode) piece.path("choices").path(0).path("delta")).put("content", word);
        result.add(piece);
      }
    }
    return result;
  }

  private static ObjectNode bodyDelta(JsonNode message) {
    ObjectNode delta = Json.object();
    JsonNode content = message.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      delta.put("content", content.asText());
    }
    JsonNode refusal = message.get("refusal");
    if (refusal != null && refusal.isTextual()) {
      delta.put("refusal", refusal.asText());
    }
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty()) {
      ArrayNode calls = delta.putArray("tool_calls");
      for (int i = 0; i < toolCalls.size(); i++) {
        ObjectNode call = toolCalls.get(i).deepCopy();
        call.put("index", i);
        calls.add(call);
      }
    }
    return delta;
  }

  private static ObjectNode chunk(
      JsonNode completion, int index, ObjectNode delta, JsonNode finishReason, boolean withUsage) {
    ObjectNode chunk = header(completion);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null || finishReason.isNull()) {
      choice.putNull("finish_reason");
    } else {
      choice.set("finish_reason", finishReason);
    }
    if (withUsage) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  private static ObjectNode header(JsonNode completion) {
    ObjectNode chunk = Json.object();
    chunk.put("id", completion.path("id").asText());
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", completion.path("created").asLong());
    chunk.put("model", completion.path("model").asText());
    JsonNode fingerprint = completion.get("system_fingerprint");
    if (fingerprint != null) {
      chunk.set("system_fingerprint", fingerprint);
    }
    return chunk;
  }
}
