package dev.tollgate.api;

import static dev.tollgate.api.ChatRequestValidator.absent;
import static dev.tollgate.api.ChatRequestValidator.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** The per-role rules for one chat message and its content parts. */
final class MessageRules {

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private MessageRules() {}

  static void check(String path, JsonNode message) {
    if (!message.isObject()) {
      throw invalid(path, "expected a message object", message);
    }
    JsonNode role = message.get("role");
    if (absent(role)) {
      throw new ApiException(ApiError.missingField(path + ".role"));
    }
    if (!role.isTextual() || !ROLES.contains(role.asText())) {
      throw invalid(
          path + ".role",
          "expected one of system, developer, user, assistant, tool, function",
          role);
    }
    JsonNode name = message.get("name");
    if (!absent(name) && !name.isTextual()) {
      throw invalid(path + ".name", "expected a string", name);
    }
    switch (role.asText()) {
      case "assistant" -> checkAssistant(path, message);
      case "tool" -> {
        requireContent(path, message);
        JsonNode id = message.get("tool_call_id");
        if (absent(id) || !id.isTextual()) {
          throw invalid(path + ".tool_call_id", "expected the id of the tool call answered", id);
        }
      }
      default -> requireContent(path, message);
    }
  }

  private static void checkAssistant(String path, JsonNode message) {
    JsonNode toolCalls = message.get("tool_calls");
    boolean hasToolCalls = !absent(toolCalls);
    if (hasToolCalls) {
      checkToolCalls(path + ".tool_calls", toolCalls);
    }
    JsonNode content = message.get("content");
    if (absent(content)) {
      if (!hasToolCalls && absent(message.get("function_call")) && absent(message.get("refusal"))) {
        throw invalid(path + ".content", "expected content unless tool_calls is set", content);
      }
      return;
    }
    checkContent(path + ".content", content);
  }

  private static void checkToolCalls(String path, JsonNode toolCalls) {
    if (!toolCalls.isArray()) {
      throw invalid(path, "expected an array of tool calls", toolCalls);
    }
    for (int i = 0; i < toolCalls.size(); i++) {
      JsonNode call = toolCalls.get(i);
      String at = path + "[" + i + "]";
      if (!call.path("id").isTextual()) {
        throw invalid(at + ".id", "expected a string", call.get("id"));
      }
      if (call.path("type").asText("function").equals("function")) {
        if (!call.path("function").path("name").isTextual()) {
          throw invalid(at + ".function.name", "expected a string", call.path("function").get("name"));
        }
        if (!call.path("function").path("arguments").isTextual()) {
          throw invalid(
              at + ".function.arguments",
              "expected the arguments as a JSON-encoded string",
              call.path("function").get("arguments"));
        }
      }
    }
  }

  private static void requireContent(String path, JsonNode message) {
    JsonNode content = message.get("content");
    if (absent(content)) {
      throw new ApiException(ApiError.missingField(path + ".content"));
    }
    checkContent(path + ".content", content);
  }

  private static void checkContent(String path, JsonNode content) {
    if (content.isTextual()) {
      return;
    }
    if (!content.isArray()) {
      throw invalid(path, "expected a string or an array of content parts", content);
    }
    for (int i = 0; i < content.size(); i++) {
      checkPart(path + "[" + i + "]", content.get(i));
    }
  }

  private static void checkPart(String path, JsonNode part) {
    if (!part.isObject() || !part.path("type").isTextual()) {
      throw invalid(path + ".type", "expected a content part with a string 'type'", part.get("type"));
    }
    switch (part.path("type").asText()) {
      case "text" -> {
        if (!part.path("text").isTextual()) {
          throw invalid(path + ".text", "expected a string", part.get("text"));
        }
      }
      case "image_url" -> {
        if (!part.path("image_url").path("url").isTextual()) {
          throw invalid(
              path + ".image_url.url",
              "expected an object {\"url\": \"https://... or data:...\"}",
              part.path("image_url").get("url"));
        }
      }
      case "input_audio" -> {
        if (!part.path("input_audio").path("data").isTextual()) {
          throw invalid(
              path + ".input_audio.data", "expected base64 audio data", part.path("input_audio").get("data"));
        }
      }
      case "refusal" -> {
        if (!part.path("refusal").isTextual()) {
          throw invalid(path + ".refusal", "expected a string", part.get("refusal"));
        }
      }
      default -> {
        // Newer part types (file, ...) pass through to upstreams that know them.
      }
    }
  }
}
