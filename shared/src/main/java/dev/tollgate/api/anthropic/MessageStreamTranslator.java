package dev.tollgate.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns OpenAI {@code chat.completion.chunk}s, one at a time, into Anthropic's stream events:
 * {@code message_start}, then per content block {@code content_block_start}, its deltas and
 * {@code content_block_stop}, then {@code message_delta} and {@code message_stop}.
 *
 * <p>Anthropic opens one block at a time, so a block is closed as soon as the next one begins:
 * text and each tool call (keyed by OpenAI's {@code tool_calls[].index}) get their own block in
 * the order they first appear. Argument deltas for a tool call whose block was already closed
 * (an upstream interleaving parallel calls) keep that block's index, which clients accumulate
 * by. Only the first choice is read.
 */
public final class MessageStreamTranslator {

  private final String alias;
  private final Map<Integer, Integer> blockOfToolCall = new HashMap<>();
  private boolean started;
  private int blocks;
  private int openBlock = -1;
  private boolean openIsText;
  private String finishReason = "";

  public MessageStreamTranslator(String alias) {
    this.alias = alias;
  }

  /** {@code message_start}, with the input tokens known so far (often 0 until the end). */
  public ObjectNode start(String upstreamId, Usage usageSoFar) {
    started = true;
    ObjectNode message = MessageResponseWriter.header(MessageResponseWriter.messageId(upstreamId), alias);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    MessageResponseWriter.usage(message, usageSoFar.promptTokens(), 0);
    ObjectNode event = event("message_start");
    event.set("message", message);
    return event;
  }

  public boolean started() {
    return started;
  }

  /** The events one chunk adds; none for a chunk that carries nothing new (the role chunk). */
  public List<ObjectNode> chunk(JsonNode chunk) {
    List<ObjectNode> events = new ArrayList<>();
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    text(delta.path("content"), events);
    text(delta.path("refusal"), events);
    for (JsonNode call : delta.path("tool_calls")) {
      toolCall(call, events);
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      finishReason = finish.asText();
    }
    return events;
  }

  /** Closes the open block and ends the message with its stop reason and final usage. */
  public List<ObjectNode> finish(Usage usage) {
    List<ObjectNode> events = new ArrayList<>();
    closeOpenBlock(events);
    ObjectNode messageDelta = event("message_delta");
    ObjectNode delta = messageDelta.putObject("delta");
    delta.put("stop_reason", MessageResponseWriter.stopReason(finishReason));
    delta.putNull("stop_sequence");
    ObjectNode counts = messageDelta.putObject("usage");
    // cumulative, as Anthropic's final counts are; input tokens are only known now
    counts.put("input_tokens", usage.promptTokens());
    counts.put("output_tokens", usage.completionTokens());
    events.add(messageDelta);
    events.add(event("message_stop"));
    return events;
  }

  /** The {@code error} event that ends a stream the upstream broke off. */
  public static ObjectNode error(String message) {
    return AnthropicErrors.body("api_error", message);
  }

  private void text(JsonNode text, List<ObjectNode> events) {
    if (!text.isTextual() || text.asText().isEmpty()) {
      return;
    }
    if (openBlock < 0 || !openIsText) {
      ObjectNode block = Json.object().put("type", "text").put("text", "");
      open(block, true, events);
    }
    ObjectNode delta = Json.object().put("type", "text_delta").put("text", text.asText());
    events.add(blockDelta(openBlock, delta));
  }

  private void toolCall(JsonNode call, List<ObjectNode> events) {
    int callIndex = call.path("index").asInt(0);
    Integer block = blockOfToolCall.get(callIndex);
    if (block == null) {
      ObjectNode start = Json.object().put("type", "tool_use");
      start.put("id", call.path("id").asText(""));
      start.put("name", call.path("function").path("name").asText(""));
      start.putObject("input");
      open(start, false, events);
      block = openBlock;
      blockOfToolCall.put(callIndex, block);
    }
    String arguments = call.path("function").path("arguments").asText("");
    if (!arguments.isEmpty()) {
      ObjectNode delta = Json.object().put("type", "input_json_delta").put("partial_json", arguments);
      events.add(blockDelta(block, delta));
    }
  }

  private void open(ObjectNode contentBlock, boolean text, List<ObjectNode> events) {
    closeOpenBlock(events);
    openBlock = blocks++;
    openIsText = text;
    ObjectNode start = event("content_block_start");
    start.put("index", openBlock);
    start.set("content_block", contentBlock);
    events.add(start);
  }

  private void closeOpenBlock(List<ObjectNode> events) {
    if (openBlock >= 0) {
      events.add(event("content_block_stop").put("index", openBlock));
      openBlock = -1;
    }
  }

  private static ObjectNode blockDelta(int index, ObjectNode delta) {
    ObjectNode event = event("content_block_delta");
    event.put("index", index);
    event.set("delta", delta);
    return event;
  }

  private static ObjectNode event(String type) {
    return Json.object().put("type", type);
  }
}
