package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.provider.UpstreamFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates an OpenAI chat completion body into an Anthropic Messages body.
 *
 * <p>System and developer messages become the top-level {@code system}; tool results become
 * user {@code tool_result} blocks; consecutive turns of one role are merged because Anthropic
 * requires user and assistant to alternate. {@code max_tokens} is required by Anthropic, so
 * {@value #DEFAULT_MAX_TOKENS} is sent when the client set none.
 *
 * <p>Parameters without an Anthropic equivalent are dropped: {@code logprobs},
 * {@code top_logprobs}, {@code response_format}, {@code seed}, {@code presence_penalty},
 * {@code frequency_penalty}, {@code logit_bias}, {@code metadata}, {@code store},
 * {@code service_tier}, {@code reasoning_effort}, {@code modalities}, {@code audio},
 * {@code prediction}, tools other than functions, and {@code refusal} parts of assistant turns.
 * Only {@code n > 1} is refused, since dropping it would silently answer with fewer choices;
 * so are content the Messages API cannot carry (audio and file parts, legacy {@code function}
 * messages) and malformed tool-call arguments.
 */
final class AnthropicRequest {

  static final int DEFAULT_MAX_TOKENS = 4096;

  private AnthropicRequest() {}

  /** The Messages body for {@code model}; fails as REQUEST_REJECTED when it cannot be expressed. */
  static ObjectNode from(ObjectNode chat, String model, String targetId) throws UpstreamFailure {
    JsonNode n = chat.get("n");
    if (n != null && n.isNumber() && n.asLong() > 1) {
      throw rejected(
          "n",
          "Target '" + targetId + "' (Anthropic) answers one choice per request; 'n' greater than 1 is not supported.");
    }
    ObjectNode body = Json.object();
    body.put("model", model);
    body.put("max_tokens", maxTokens(chat));
    List<String> system = new ArrayList<>();
    ArrayNode messages = body.putArray("messages");
    JsonNode chatMessages = chat.path("messages");
    for (int i = 0; i < chatMessages.size(); i++) {
      JsonNode message = chatMessages.get(i);
      String path = "messages[" + i + "]";
      switch (message.path("role").asText()) {
        case "system", "developer" -> system.add(text(message.get("content")));
        case "user" -> append(messages, "user", userBlocks(path, message.get("content")));
        case "assistant" -> append(messages, "assistant", assistantBlocks(path, message));
        case "tool" -> append(messages, "user", List.of(toolResult(message)));
        default ->
            throw rejected(
                path + ".role",
                "Target '" + targetId + "' (Anthropic) does not accept messages with role '"
                    + message.path("role").asText() + "'; use 'tool'.");
      }
    }
    if (!system.isEmpty()) {
      body.put("system", String.join("\n\n", system));
    }
    copyNumber(chat, "temperature", body);
    copyNumber(chat, "top_p", body);
    stopSequences(chat.get("stop"), body);
    tools(chat, body);
    JsonNode user = chat.get("user");
    if (user != null && user.isTextual()) {
      body.putObject("metadata").put("user_id", user.asText());
    }
    return body;
  }

  private static long maxTokens(ObjectNode chat) {
    for (String field : List.of("max_completion_tokens", "max_tokens")) {
      JsonNode value = chat.get(field);
      if (value != null && value.isNumber()) {
        return value.asLong();
      }
    }
    return DEFAULT_MAX_TOKENS;
  }

  /** Adds blocks as a turn of {@code role}, onto the previous turn when it has the same role. */
  private static void append(ArrayNode messages, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    ObjectNode last = messages.isEmpty() ? null : (ObjectNode) messages.get(messages.size() - 1);
    ArrayNode content;
    if (last != null && role.equals(last.path("role").asText())) {
      content = (ArrayNode) last.get("content");
    } else {
      ObjectNode message = messages.addObject();
      message.put("role", role);
      content = message.putArray("content");
    }
    content.addAll(blocks);
  }

  private static List<ObjectNode> userBlocks(String path, JsonNode content) throws UpstreamFailure {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      addText(blocks, content.asText());
      return blocks;
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = part.path("type").asText();
      switch (type) {
        case "text" -> addText(blocks, part.path("text").asText());
        case "image_url" -> blocks.add(image(path + ".content[" + i + "]", part.path("image_url").path("url").asText()));
        default ->
            throw rejected(
                path + ".content[" + i + "].type",
                "Anthropic targets do not accept content parts of type '" + type + "'.");
      }
    }
    return blocks;
  }

  private static List<ObjectNode> assistantBlocks(String path, JsonNode message) throws UpstreamFailure {
    List<ObjectNode> blocks = new ArrayList<>();
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      addText(blocks, content.asText());
    } else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asText())) {
          addText(blocks, part.path("text").asText());
        }
      }
    }
    if (message.hasNonNull("function_call")) {
      throw rejected(path + ".function_call", "Anthropic targets take 'tool_calls', not the legacy 'function_call'.");
    }
    JsonNode toolCalls = message.path("tool_calls");
    for (int i = 0; i < toolCalls.size(); i++) {
      JsonNode call = toolCalls.get(i);
      ObjectNode block = Json.object();
      block.put("type", "tool_use");
      block.put("id", call.path("id").asText());
      block.put("name", call.path("function").path("name").asText());
      block.set("input", arguments(path + ".tool_calls[" + i + "].function.arguments", call.path("function").path("arguments").asText()));
      blocks.add(block);
    }
    return blocks;
  }

  /** Tool-call arguments arrive as a JSON string; Anthropic wants the object itself. */
  private static JsonNode arguments(String path, String arguments) throws UpstreamFailure {
    if (arguments.isBlank()) {
      return Json.object();
    }
    try {
      JsonNode parsed = Json.mapper().readTree(arguments);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (IOException ignored) {
      // answered below
    }
    throw rejected(path, "Tool-call arguments must be a JSON object encoded as a string for Anthropic targets.");
  }

  private static ObjectNode toolResult(JsonNode message) {
    ObjectNode block = Json.object();
    block.put("type", "tool_result");
    block.put("tool_use_id", message.path("tool_call_id").asText());
    block.put("content", text(message.get("content")));
    return block;
  }

  private static ObjectNode image(String path, String url) throws UpstreamFailure {
    ObjectNode block = Json.object();
    block.put("type", "image");
    ObjectNode source = block.putObject("source");
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String header = comma < 0 ? "" : url.substring("data:".length(), comma);
      if (!header.endsWith(";base64") || header.length() == ";base64".length()) {
        throw rejected(path + ".image_url.url", "Image data URLs must be 'data:<media type>;base64,<data>'.");
      }
      source.put("type", "base64");
      source.put("media_type", header.substring(0, header.length() - ";base64".length()));
      source.put("data", url.substring(comma + 1));
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      source.put("type", "url");
      source.put("url", url);
    } else {
      throw rejected(path + ".image_url.url", "Image URLs must be http(s) or base64 data URLs.");
    }
    return block;
  }

  private static void addText(List<ObjectNode> blocks, String text) {
    // Anthropic refuses empty text blocks, and an empty string says nothing anyway.
    if (!text.isEmpty()) {
      ObjectNode block = Json.object();
      block.put("type", "text");
      block.put("text", text);
      blocks.add(block);
    }
  }

  /** String content as is, text parts joined by newlines. */
  private static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        parts.add(part.path("text").asText());
      }
    }
    return String.join("\n", parts);
  }

  private static void copyNumber(ObjectNode chat, String field, ObjectNode body) {
    JsonNode value = chat.get(field);
    if (value != null && value.isNumber()) {
      body.set(field, value);
    }
  }

  private static void stopSequences(JsonNode stop, ObjectNode body) {
    if (stop == null || stop.isNull()) {
      return;
    }
    ArrayNode sequences = Json.array();
    if (stop.isTextual()) {
      sequences.add(stop.asText());
    } else if (stop.isArray()) {
      stop.forEach(sequence -> sequences.add(sequence.asText()));
    }
    if (!sequences.isEmpty()) {
      body.set("stop_sequences", sequences);
    }
  }

  private static void tools(ObjectNode chat, ObjectNode body) {
    ArrayNode tools = Json.array();
    for (JsonNode tool : chat.path("tools")) {
      if (!"function".equals(tool.path("type").asText())) {
        continue;
      }
      JsonNode function = tool.path("function");
      ObjectNode converted = tools.addObject();
      converted.put("name", function.path("name").asText());
      if (function.path("description").isTextual()) {
        converted.put("description", function.path("description").asText());
      }
      JsonNode parameters = function.get("parameters");
      if (parameters != null && parameters.isObject()) {
        converted.set("input_schema", parameters);
      } else {
        converted.putObject("input_schema").put("type", "object");
      }
    }
    if (!tools.isEmpty()) {
      body.set("tools", tools);
    }
    ObjectNode choice = toolChoice(chat.get("tool_choice"));
    if (!tools.isEmpty() && chat.path("parallel_tool_calls").isBoolean() && !chat.path("parallel_tool_calls").asBoolean()) {
      if (choice == null) {
        choice = Json.object().put("type", "auto");
      }
      if (!"none".equals(choice.path("type").asText())) {
        choice.put("disable_parallel_tool_use", true);
      }
    }
    if (choice != null) {
      body.set("tool_choice", choice);
    }
  }

  private static ObjectNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    ObjectNode converted = Json.object();
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "none" -> converted.put("type", "none");
        case "required" -> converted.put("type", "any");
        default -> converted.put("type", "auto");
      }
      return converted;
    }
    JsonNode name = choice.path("function").path("name");
    if ("function".equals(choice.path("type").asText()) && name.isTextual()) {
      converted.put("type", "tool");
      converted.put("name", name.asText());
      return converted;
    }
    return null;
  }

  private static UpstreamFailure rejected(String param, String message) {
    return UpstreamFailure.rejected(400, new ApiError(400, message, ApiError.INVALID_REQUEST, param, "unsupported_parameter", 0));
  }
}
