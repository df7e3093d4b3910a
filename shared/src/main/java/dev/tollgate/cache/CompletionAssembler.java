package dev.tollgate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A stream passed through unchanged while its chunks are put together into the complete
 * {@code chat.completion} they stand for, so a streamed answer can be cached and later served
 * buffered or replayed. {@link #completion()} is there only once the upstream ended cleanly.
 */
final class CompletionAssembler implements ChunkStream {

  private final ChunkStream chunks;
  private final Map<Integer, ChoiceDraft> choices = new TreeMap<>();
  private ObjectNode header;
  private volatile ObjectNode completion;

  CompletionAssembler(ChunkStream chunks) {
    this.chunks = chunks;
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    Optional<ObjectNode> chunk = chunks.next();
    if (chunk.isPresent()) {
      add(chunk.get());
    } else {
      completion = build(chunks.usage());
    }
    return chunk;
  }

  /** The whole answer, once the stream ended cleanly; empty while it runs or after it broke. */
  Optional<ObjectNode> completion() {
    return Optional.ofNullable(completion);
  }

  private void add(ObjectNode chunk) {
    if (header == null) {
      header = chunk;
    }
    for (JsonNode choice : chunk.path("choices")) {
      ChoiceDraft draft = choices.computeIfAbsent(choice.path("index").asInt(0), i -> new ChoiceDraft());
      draft.add(choice);
    }
  }

  private ObjectNode build(Usage usage) {
    ObjectNode result = Json.object();
    result.put("id", header == null ? "" : header.path("id").asText());
    result.put("object", "chat.completion");
    result.put("created", header == null ? 0 : header.path("created").asLong());
    result.put("model", header == null ? "" : header.path("model").asText());
    if (header != null && header.hasNonNull("system_fingerprint")) {
      result.set("system_fingerprint", header.get("system_fingerprint"));
    }
    ArrayNode list = result.putArray("choices");
    choices.forEach((index, draft) -> list.add(draft.build(index)));
    result.set("usage", usage.toOpenAi());
    return result;
  }

  @Override
  public Usage usage() {
    return chunks.usage();
  }

  @Override
  public void close() {
    chunks.close();
  }

  /** One choice's message as its deltas arrive: text appended, tool calls merged by index. */
  private static final class ChoiceDraft {
    private String role = "assistant";
    private final StringBuilder content = new StringBuilder();
    private StringBuilder refusal;
    private final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
    private JsonNode finishReason;

    void add(JsonNode choice) {
      JsonNode delta = choice.path("delta");
      role = delta.path("role").isTextual() ? delta.path("role").asText() : role;
      content.append(delta.path("content").asText(""));
      if (delta.path("refusal").isTextual()) {
        refusal = refusal == null ? new StringBuilder() : refusal;
        refusal.append(delta.path("refusal").asText());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        merge(call);
      }
      if (choice.hasNonNull("finish_reason")) {
        finishReason = choice.get("finish_reason");
      }
    }

    private void merge(JsonNode call) {
      ObjectNode draft = toolCalls.computeIfAbsent(call.path("index").asInt(toolCalls.size()), i -> Json.object());
      if (call.path("id").isTextual()) {
        draft.put("id", call.path("id").asText());
      }
      draft.put("type", call.path("type").asText(draft.path("type").asText("function")));
      ObjectNode function = draft.has("function") ? (ObjectNode) draft.get("function") : draft.putObject("function");
      JsonNode fn = call.path("function");
      if (fn.path("name").isTextual()) {
        function.put("name", function.path("name").asText("") + fn.path("name").asText());
      }
      function.put("arguments", function.path("arguments").asText("") + fn.path("arguments").asText(""));
    }

    ObjectNode build(int index) {
      ObjectNode choice = Json.object();
      choice.put("index", index);
      ObjectNode message = choice.putObject("message");
      message.put("role", role);
      if (content.isEmpty() && !toolCalls.isEmpty()) {
        message.putNull("content");
      } else {
        message.put("content", content.toString());
      }
      if (refusal != null) {
        message.put("refusal", refusal.toString());
      }
      if (!toolCalls.isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        toolCalls.values().forEach(calls::add);
      }
      choice.putNull("logprobs");
      choice.set("finish_reason", finishReason == null ? Json.mapper().nullNode() : finishReason);
      return choice;
    }
  }
}
