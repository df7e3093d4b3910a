package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEvent;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.StreamTranslator;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code streamGenerateContent?alt=sse}: every event is a whole
 * {@code GenerateContentResponse} holding the next piece of each candidate. Text parts become
 * content deltas, function calls (which Gemini sends whole) complete tool-call deltas, a finish
 * reason the finish chunk, and the latest {@code usageMetadata} the usage.
 *
 * <p>Gemini sends no end marker: the answer is complete once every expected candidate carried a
 * finish reason (its last event also carries the final usage), or the prompt was blocked; a
 * stream that ends before that was cut.
 */
final class GeminiStreamTranslator implements StreamTranslator {

  private final String fallbackId;
  private final long created;
  private final int expectedCandidates;
  private String id;
  private String model;
  private Usage usage = Usage.NONE;
  private final Set<Integer> roleSent = new HashSet<>();
  private final Map<Integer, Integer> toolCallsSent = new HashMap<>();
  private final Set<Integer> finishedCandidates = new HashSet<>();
  private int callNumber;
  private boolean promptBlocked;

  /**
   * @param fallbackId the id suffix when Gemini sent no {@code responseId}
   * @param candidates how many candidates the request asked for ({@code n})
   */
  GeminiStreamTranslator(String fallbackId, String model, long createdEpochSecond, int candidates) {
    this.fallbackId = fallbackId;
    this.model = model;
    this.created = createdEpochSecond;
    this.expectedCandidates = Math.max(1, candidates);
  }

  @Override
  public List<ObjectNode> onEvent(SseEvent event) throws UpstreamFailure {
    if (!(Json.parseOrNull(event.data()) instanceof ObjectNode response)) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "a stream event is not a JSON object");
    }
    JsonNode error = response.get("error");
    if (error != null && error.isObject()) {
      FailureKind kind = error.path("code").asInt() == 429 ? FailureKind.RATE_LIMITED : FailureKind.SERVER_ERROR;
      throw UpstreamFailure.of(kind, "Gemini reported an error mid-stream");
    }
    if (id == null) {
      id = GeminiResponseTranslator.completionId(response, fallbackId);
      model = response.path("modelVersion").asText(model);
    }
    if (response.has("usageMetadata")) {
      usage = GeminiResponseTranslator.usage(response.path("usageMetadata"));
    }
    List<ObjectNode> chunks = new ArrayList<>();
    JsonNode candidates = response.path("candidates");
    for (int position = 0; position < candidates.size(); position++) {
      candidate(candidates.get(position), position, chunks);
    }
    if (candidates.isEmpty() && response.path("promptFeedback").hasNonNull("blockReason")) {
      // The prompt itself was refused: as OpenAI ends a reply its filter stopped.
      promptBlocked = true;
      chunks.add(chunk(0, Json.object(), "content_filter"));
    }
    return chunks;
  }

  private void candidate(JsonNode candidate, int position, List<ObjectNode> chunks) {
    int index = candidate.path("index").asInt(position);
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.array();
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        int callIndex = toolCallsSent.merge(index, 1, Integer::sum) - 1;
        ObjectNode call = Json.object().put("index", callIndex);
        call.setAll(GeminiResponseTranslator.toolCall(part.get("functionCall"), "call_" + ++callNumber));
        calls.add(call);
      } else if (GeminiResponseTranslator.isAnswerText(part)) {
        text.append(part.get("text").asText());
      }
    }
    ObjectNode delta = Json.object();
    if (!text.isEmpty()) {
      delta.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      delta.set("tool_calls", calls);
    }
    if (!delta.isEmpty()) {
      chunks.add(chunk(index, delta, null));
    }
    String reason = candidate.path("finishReason").asText("");
    if (!reason.isEmpty() && finishedCandidates.add(index)) {
      String finish = GeminiResponseTranslator.finishReason(reason, toolCallsSent.containsKey(index));
      chunks.add(chunk(index, Json.object(), finish));
    }
  }

  private ObjectNode chunk(int index, ObjectNode delta, String finishReason) {
    if (roleSent.add(index)) {
      ObjectNode withRole = Json.object().put("role", "assistant");
      withRole.setAll(delta);
      delta = withRole;
    }
    return new ChunkHeader(id, created, model).chunk(index, delta, finishReason);
  }

  @Override
  public boolean finished() {
    return promptBlocked || finishedCandidates.size() >= expectedCandidates;
  }

  @Override
  public Usage usage() {
    return usage;
  }
}
