package dev.tollgate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What every {@code chat.completion.chunk} of one stream repeats (id, creation time, model); makes its chunks. */
public record ChunkHeader(String id, long created, String model) {

  /** One chunk for choice {@code index}; {@code finishReason} null while the choice goes on. */
  public ObjectNode chunk(int index, ObjectNode delta, String finishReason) {
    ObjectNode chunk = Json.object();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", model);
    addChoice(chunk, index, delta, finishReason);
    return chunk;
  }

  /** Adds the one choice of a chunk: {@code delta} for choice {@code index}, its finish reason or null. */
  public static void addChoice(ObjectNode chunk, int index, ObjectNode delta, String finishReason) {
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
  }

  /** The delta that opens tool call {@code index}: its id and name, arguments still empty. */
  public static ObjectNode toolCallStart(int index, String id, String name) {
    ObjectNode call = Json.object();
    call.put("index", index);
    call.put("id", id);
    call.put("type", "function");
    call.putObject("function").put("name", name).put("arguments", "");
    ObjectNode delta = Json.object();
    delta.putArray("tool_calls").add(call);
    return delta;
  }

  /** The delta that adds {@code fragment} to tool call {@code index}'s arguments. */
  public static ObjectNode toolCallArguments(int index, String fragment) {
    ObjectNode call = Json.object();
    call.put("index", index);
    call.putObject("function").put("arguments", fragment);
    ObjectNode delta = Json.object();
    delta.putArray("tool_calls").add(call);
    return delta;
  }
}
