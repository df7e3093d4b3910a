package dev.tollgate.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * Turns Bedrock {@code ConverseStream} events into OpenAI {@code chat.completion.chunk}s: the
 * message start as the role chunk, text deltas as content, a {@code toolUse} block as one tool
 * call (id and name when it starts, its input as argument fragments), the stop reason as the
 * finish chunk, and the closing {@code metadata} event as the usage. Reasoning and citation
 * deltas are left out, as in the buffered path. Stateful: one instance per stream.
 */
final class BedrockStreamToOpenAi {

  private final String id;
  private final String model;
  private final long created;
  /** Bedrock numbers content blocks; OpenAI numbers tool calls: block index to call index. */
  private final Map<Integer, Integer> toolCallByBlock = new HashMap<>();
  private boolean stopped;
  private boolean finished;
  private volatile Usage usage = Usage.NONE; // read by usage() from any thread

  /**
   * @param id the id suffix (Bedrock's request id, or the gateway's)
   * @param model the target's model id, as ConverseStream does not echo it
   */
  BedrockStreamToOpenAi(String id, String model, Instant now) {
    this.id = "chatcmpl-bedrock-" + id;
    this.model = model;
    this.created = now.getEpochSecond();
  }

  /** The chunks this event yields, none or one. */
  List<ObjectNode> onEvent(ConverseStreamOutput event) throws UpstreamFailure {
    return switch (event) {
      case MessageStartEvent e -> {
        ObjectNode delta = Json.object();
        delta.put("role", "assistant");
        delta.put("content", "");
        yield List.of(chunk(delta, null));
      }
      case ContentBlockStartEvent e when e.start() != null && e.start().toolUse() != null ->
          List.of(toolCallStart(blockIndex(e.contentBlockIndex()), e.start().toolUse()));
      case ContentBlockDeltaEvent e when e.delta() != null -> delta(blockIndex(e.contentBlockIndex()), e.delta());
      case MessageStopEvent e -> {
        stopped = true;
        String reason = BedrockConverseToOpenAi.finishReason(e.stopReason(), !toolCallByBlock.isEmpty());
        yield List.of(chunk(Json.object(), reason));
      }
      case ConverseStreamMetadataEvent e -> {
        usage = BedrockConverseToOpenAi.usage(e.usage());
        finished = true;
        yield List.of();
      }
      // contentBlockStop, text block starts, and event types newer than this code: nothing to say
      default -> List.of();
    };
  }

  /** Whether the closing {@code metadata} event arrived: nothing more is to come. */
  boolean finished() {
    return finished;
  }

  /**
   * Whether the model stopped ({@code messageStop}): a stream that ends after it, even without
   * its metadata, carried the whole answer.
   */
  boolean stopped() {
    return stopped;
  }

  Usage usage() {
    return usage;
  }

  private ObjectNode toolCallStart(int block, ToolUseBlockStart start) {
    int index = toolCallByBlock.size();
    toolCallByBlock.put(block, index);
    return chunk(ChunkHeader.toolCallStart(index, start.toolUseId(), start.name()), null);
  }

  private List<ObjectNode> delta(int block, ContentBlockDelta delta) throws UpstreamFailure {
    if (delta.text() != null) {
      if (delta.text().isEmpty()) {
        return List.of();
      }
      ObjectNode content = Json.object();
      content.put("content", delta.text());
      return List.of(chunk(content, null));
    }
    if (delta.toolUse() != null) {
      Integer index = toolCallByBlock.get(block);
      if (index == null) {
        throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "tool input arrived for a block that did not start a tool use");
      }
      String input = delta.toolUse().input() == null ? "" : delta.toolUse().input();
      if (input.isEmpty()) {
        return List.of();
      }
      return List.of(chunk(ChunkHeader.toolCallArguments(index, input), null));
    }
    // reasoning, citations, images: OpenAI's chunk has no place for them
    return List.of();
  }

  private static int blockIndex(Integer index) {
    return index == null ? 0 : index;
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    return new ChunkHeader(id, created, model).chunk(0, delta, finishReason);
  }
}
