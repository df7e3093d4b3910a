package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEvent;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.StreamTranslator;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Anthropic's Messages stream ({@code message_start}, {@code content_block_*},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}) into OpenAI chunks:
 * text deltas become content, {@code tool_use} blocks become tool-call deltas whose arguments
 * arrive as {@code input_json_delta} pieces, the stop reason becomes the finish chunk.
 *
 * <p>{@code message_start} yields no chunk of its own: the role rides on the first chunk with
 * something in it, so an upstream that fails before saying anything can still be failed over.
 * Thinking blocks and unknown events (Anthropic may add some) are skipped.
 */
final class AnthropicStreamTranslator implements StreamTranslator {

  private final long created;
  private String id = "msg-unknown";
  private String model;
  private final ObjectNode usage = Json.object();
  /** Anthropic content block index -> OpenAI tool-call index. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();
  private boolean roleSent;
  private boolean done;

  AnthropicStreamTranslator(String fallbackModel, long createdEpochSecond) {
    this.model = fallbackModel;
    this.created = createdEpochSecond;
  }

  @Override
  public List<ObjectNode> onEvent(SseEvent event) throws UpstreamFailure {
    if (!(Json.parseOrNull(event.data()) instanceof ObjectNode data)) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "a stream event is not a JSON object");
    }
    return switch (data.path("type").asText(event.event())) {
      case "message_start" -> messageStart(data.path("message"));
      case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
      case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> {
        done = true;
        yield List.of();
      }
      case "error" -> throw failure(data.path("error").path("type").asText(""));
      default -> List.of(); // ping, content_block_stop, events added later
    };
  }

  private List<ObjectNode> messageStart(JsonNode message) {
    id = message.path("id").asText(id);
    model = message.path("model").asText(model);
    mergeUsage(message.path("usage"));
    return List.of();
  }

  private List<ObjectNode> blockStart(int block, JsonNode content) {
    switch (content.path("type").asText()) {
      case "text" -> {
        String text = content.path("text").asText("");
        return text.isEmpty() ? List.of() : List.of(chunk(Json.object().put("content", text), null));
      }
      case "tool_use" -> {
        int index = toolCalls.size();
        toolCalls.put(block, index);
        return List.of(
            chunk(ChunkHeader.toolCallStart(index, content.path("id").asText(), content.path("name").asText()), null));
      }
      default -> {
        return List.of(); // thinking, redacted_thinking, server tools: no OpenAI counterpart
      }
    }
  }

  private List<ObjectNode> blockDelta(int block, JsonNode delta) {
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        String text = delta.path("text").asText("");
        return text.isEmpty() ? List.of() : List.of(chunk(Json.object().put("content", text), null));
      }
      case "input_json_delta" -> {
        Integer index = toolCalls.get(block);
        String json = delta.path("partial_json").asText("");
        if (index == null || json.isEmpty()) {
          return List.of();
        }
        return List.of(chunk(ChunkHeader.toolCallArguments(index, json), null));
      }
      default -> {
        return List.of(); // thinking_delta, signature_delta, citations_delta
      }
    }
  }

  private List<ObjectNode> messageDelta(JsonNode data) {
    mergeUsage(data.path("usage"));
    JsonNode stopReason = data.path("delta").path("stop_reason");
    if (!stopReason.isTextual()) {
      return List.of();
    }
    return List.of(chunk(Json.object(), AnthropicResponse.finishReason(stopReason.asText())));
  }

  /** {@code message_delta} repeats usage counts cumulatively: the latest number of each kind wins. */
  private void mergeUsage(JsonNode reported) {
    reported.properties().forEach(field -> {
      if (field.getValue().isNumber()) {
        usage.set(field.getKey(), field.getValue());
      }
    });
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    if (!roleSent) {
      roleSent = true;
      ObjectNode withRole = Json.object().put("role", "assistant");
      withRole.setAll(delta);
      delta = withRole;
    }
    return new ChunkHeader(id, created, model).chunk(0, delta, finishReason);
  }

  /**
   * An {@code error} event. Its message is Anthropic's text and is not passed on; the type is
   * one of Anthropic's documented names, kept when it looks like one.
   */
  private static UpstreamFailure failure(String type) {
    FailureKind kind = "rate_limit_error".equals(type) ? FailureKind.RATE_LIMITED : FailureKind.SERVER_ERROR;
    String name = type.matches("[a-z_]{1,40}") ? type : "an error";
    return UpstreamFailure.of(kind, "Anthropic reported " + name + " mid-stream");
  }

  @Override
  public boolean finished() {
    return done;
  }

  @Override
  public Usage usage() {
    return AnthropicResponse.usage(usage);
  }
}
