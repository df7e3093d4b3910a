package dev.tollgate.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ApiException;
import dev.tollgate.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates an Anthropic Messages request into the OpenAI chat request the pipeline works on.
 *
 * <p>{@code system} becomes a leading system message; {@code tool_use} blocks become the
 * assistant's {@code tool_calls}; {@code tool_result} blocks become {@code role: tool} messages,
 * placed before the rest of their user turn as OpenAI requires. A streamed request asks for the
 * usage chunk, since Anthropic's stream always reports tokens.
 *
 * <p>Left out, having no OpenAI counterpart: {@code top_k}, {@code thinking} (and thinking blocks
 * of earlier assistant turns), {@code cache_control}, {@code service_tier}, {@code container},
 * {@code mcp_servers}, citations. Refused with a 400 naming the field: documents, images inside
 * tool results, and Anthropic's server tools (web search, code execution, ...), which only
 * Anthropic can run.
 */
public final class MessagesRequestTranslator {

  private MessagesRequestTranslator() {}

  /** The OpenAI chat body for {@code root}; throws {@link ApiException} with a 400 naming the field. */
  public static ObjectNode translate(JsonNode root) {
    return translate(root, false);
  }

  /**
   * As {@link #translate(JsonNode)}; with {@code templated} (the request names a prompt template,
   * whose messages come first) {@code messages} may be absent or empty.
   */
  public static ObjectNode translate(JsonNode root, boolean templated) {
    if (!(root instanceof ObjectNode request)) {
      throw invalid(null, "The request body must be a JSON object.");
    }
    ObjectNode chat = Json.object();
    chat.set("model", requiredString(request, "model"));
    chat.put("max_tokens", maxTokens(request.get("max_tokens")));
    ArrayNode messages = chat.putArray("messages");
    system(request.get("system"), "system", messages);
    conversation(request.get("messages"), messages, templated);
    number(request, "temperature", 0, 1, chat);
    number(request, "top_p", 0, 1, chat);
    stopSequences(request.get("stop_sequences"), chat);
    tools(request.get("tools"), chat);
    toolChoice(request.get("tool_choice"), chat);
    stream(request.get("stream"), chat);
    user(request.get("metadata"), chat);
    return chat;
  }

  private static JsonNode requiredString(ObjectNode request, String field) {
    JsonNode value = request.get(field);
    if (absent(value)) {
      throw missing(field);
    }
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw invalid(field, "expected a non-empty string", value);
    }
    return value;
  }

  private static long maxTokens(JsonNode value) {
    if (absent(value)) {
      throw missing("max_tokens");
    }
    if (!value.isIntegralNumber() || value.asLong() < 1) {
      throw invalid("max_tokens", "expected an integer of at least 1", value);
    }
    return value.asLong();
  }

  private static void system(JsonNode system, String path, ArrayNode messages) {
    if (absent(system)) {
      return;
    }
    String text = system.isTextual() ? system.asText() : textBlocks(path, system);
    if (!text.isEmpty()) {
      messages.addObject().put("role", "system").put("content", text);
    }
  }

  private static void conversation(JsonNode turns, ArrayNode messages, boolean templated) {
    if (absent(turns)) {
      if (templated) {
        return;
      }
      throw missing("messages");
    }
    if (!turns.isArray() || (turns.isEmpty() && !templated)) {
      throw invalid("messages", templated ? "expected an array of messages" : "expected a non-empty array of messages", turns);
    }
    for (int i = 0; i < turns.size(); i++) {
      String path = "messages[" + i + "]";
      JsonNode turn = turns.get(i);
      if (!turn.isObject()) {
        throw invalid(path, "expected a message object", turn);
      }
      JsonNode content = turn.get("content");
      if (absent(content)) {
        throw missing(path + ".content");
      }
      if (!content.isTextual() && !content.isArray()) {
        throw invalid(path + ".content", "expected a string or an array of content blocks", content);
      }
      switch (turn.path("role").asText()) {
        case "user" -> UserTurn.translate(path, content, messages);
        case "assistant" -> messages.add(assistant(path, content));
        // newer clients may place system turns inside the conversation
        case "system" -> system(content, path + ".content", messages);
        default -> throw invalid(path + ".role", "expected 'user', 'assistant' or 'system'", turn.get("role"));
      }
    }
  }

  private static ObjectNode assistant(String path, JsonNode content) {
    ObjectNode message = Json.object().put("role", "assistant");
    if (content.isTextual()) {
      return message.put("content", content.asText());
    }
    List<String> text = new ArrayList<>();
    ArrayNode toolCalls = Json.array();
    for (int i = 0; i < content.size(); i++) {
      String at = path + ".content[" + i + "]";
      JsonNode block = content.get(i);
      switch (blockType(at, block)) {
        case "text" -> text.add(blockText(at, block));
        case "tool_use" -> toolCalls.add(toolCall(at, block));
        case "thinking", "redacted_thinking" -> {
          // the reasoning of an earlier turn: no OpenAI counterpart, and not needed to continue
        }
        default -> throw unsupported(at + ".type", block.get("type"));
      }
    }
    if (text.isEmpty() && !toolCalls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", String.join("\n", text));
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    return message;
  }

  private static ObjectNode toolCall(String path, JsonNode block) {
    JsonNode id = block.get("id");
    JsonNode name = block.get("name");
    if (absent(id) || !id.isTextual()) {
      throw invalid(path + ".id", "expected a string", id);
    }
    if (absent(name) || !name.isTextual()) {
      throw invalid(path + ".name", "expected a string", name);
    }
    JsonNode input = block.get("input");
    if (!absent(input) && !input.isObject()) {
      throw invalid(path + ".input", "expected an object", input);
    }
    ObjectNode call = Json.object();
    call.set("id", id);
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.set("name", name);
    function.put("arguments", Json.text(absent(input) ? Json.object() : input));
    return call;
  }

  private static void tools(JsonNode tools, ObjectNode chat) {
    if (absent(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools", "expected an array of tools", tools);
    }
    ArrayNode converted = Json.array();
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!tool.isObject()) {
        throw invalid(path, "expected a tool object", tool);
      }
      JsonNode type = tool.get("type");
      if (!absent(type) && !"custom".equals(type.asText())) {
        throw new ApiException(
            ApiError.invalidField(
                path + ".type",
                "Invalid value for '" + path + ".type': Anthropic's server tools (" + type.asText()
                    + ") run only at Anthropic; declare your own tools with a name and an input_schema."));
      }
      JsonNode name = tool.get("name");
      if (absent(name) || !name.isTextual()) {
        throw invalid(path + ".name", "expected a string", name);
      }
      JsonNode schema = tool.get("input_schema");
      if (absent(schema) || !schema.isObject()) {
        throw invalid(path + ".input_schema", "expected a JSON Schema object", schema);
      }
      ObjectNode function = converted.addObject().put("type", "function").putObject("function");
      function.set("name", name);
      JsonNode description = tool.get("description");
      if (!absent(description) && description.isTextual()) {
        function.set("description", description);
      }
      function.set("parameters", schema);
    }
    // OpenAI refuses an empty tools array, and a tool_choice without tools
    if (!converted.isEmpty()) {
      chat.set("tools", converted);
    }
  }

  private static void toolChoice(JsonNode choice, ObjectNode chat) {
    if (absent(choice)) {
      return;
    }
    if (!choice.isObject()) {
      throw invalid("tool_choice", "expected an object with a 'type'", choice);
    }
    switch (choice.path("type").asText()) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> {
        JsonNode name = choice.get("name");
        if (absent(name) || !name.isTextual()) {
          throw invalid("tool_choice.name", "expected the name of the tool to use", name);
        }
        chat.putObject("tool_choice").put("type", "function").putObject("function").set("name", name);
      }
      default -> throw invalid("tool_choice.type", "expected one of auto, any, tool, none", choice.get("type"));
    }
    if (!chat.has("tools")) {
      chat.remove("tool_choice");
      return;
    }
    JsonNode noParallel = choice.get("disable_parallel_tool_use");
    if (!absent(noParallel) && noParallel.asBoolean(false)) {
      chat.put("parallel_tool_calls", false);
    }
  }

  private static void stopSequences(JsonNode stop, ObjectNode chat) {
    if (absent(stop)) {
      return;
    }
    // OpenAI takes at most four; more would be refused downstream under the OpenAI name.
    if (!stop.isArray() || stop.size() > 4) {
      throw invalid("stop_sequences", "expected an array of up to 4 strings", stop);
    }
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw invalid("stop_sequences[" + i + "]", "expected a string", stop.get(i));
      }
    }
    if (!stop.isEmpty()) {
      chat.set("stop", stop);
    }
  }

  private static void stream(JsonNode stream, ObjectNode chat) {
    if (absent(stream)) {
      return;
    }
    if (!stream.isBoolean()) {
      throw invalid("stream", "expected true or false", stream);
    }
    chat.set("stream", stream);
    if (stream.asBoolean()) {
      chat.putObject("stream_options").put("include_usage", true);
    }
  }

  private static void user(JsonNode metadata, ObjectNode chat) {
    if (absent(metadata)) {
      return;
    }
    if (!metadata.isObject()) {
      throw invalid("metadata", "expected an object", metadata);
    }
    JsonNode userId = metadata.get("user_id");
    if (!absent(userId)) {
      if (!userId.isTextual()) {
        throw invalid("metadata.user_id", "expected a string", userId);
      }
      chat.set("user", userId);
    }
  }

  private static void number(ObjectNode request, String field, double min, double max, ObjectNode chat) {
    JsonNode value = request.get(field);
    if (absent(value)) {
      return;
    }
    if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
      throw invalid(field, "expected a number from " + (int) min + " to " + (int) max, value);
    }
    chat.set(field, value);
  }

  /** The text of an array of text blocks (system prompt, tool result), joined by newlines. */
  static String textBlocks(String path, JsonNode blocks) {
    if (!blocks.isArray()) {
      throw invalid(path, "expected a string or an array of text blocks", blocks);
    }
    List<String> text = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode block = blocks.get(i);
      if (!"text".equals(blockType(at, block))) {
        throw invalid(at + ".type", "expected 'text'", block.get("type"));
      }
      text.add(blockText(at, block));
    }
    return String.join("\n", text);
  }

  static String blockType(String path, JsonNode block) {
    if (!block.isObject() || !block.path("type").isTextual()) {
      throw invalid(path + ".type", "expected a content block with a string 'type'", block.get("type"));
    }
    return block.path("type").asText();
  }

  static String blockText(String path, JsonNode block) {
    JsonNode text = block.get("text");
    if (absent(text) || !text.isTextual()) {
      throw invalid(path + ".text", "expected a string", text);
    }
    return text.asText();
  }

  static boolean absent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  static ApiException missing(String field) {
    return new ApiException(ApiError.missingField(field));
  }

  static ApiException unsupported(String field, JsonNode type) {
    return new ApiException(
        ApiError.invalidField(
            field, "Invalid value for '" + field + "': content blocks of type " + type + " are not supported here."));
  }

  static ApiException invalid(String field, String expected, JsonNode got) {
    String shown = absent(got) ? "nothing" : got.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return invalid(field, "Invalid value for '" + field + "': " + expected + ", got " + shown + ".");
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(ApiError.invalidField(field, message));
  }
}
