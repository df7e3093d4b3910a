package dev.tollgate.api.anthropic;

import static dev.tollgate.api.anthropic.MessagesRequestTranslator.absent;
import static dev.tollgate.api.anthropic.MessagesRequestTranslator.blockText;
import static dev.tollgate.api.anthropic.MessagesRequestTranslator.blockType;
import static dev.tollgate.api.anthropic.MessagesRequestTranslator.invalid;
import static dev.tollgate.api.anthropic.MessagesRequestTranslator.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One Anthropic user turn as OpenAI messages: its {@code tool_result} blocks as {@code role: tool}
 * messages first (OpenAI wants them right after the assistant's tool calls), then the text and
 * images as one user message.
 */
final class UserTurn {

  static final String TOOL_ERROR_PREFIX = "[tool error] ";

  private UserTurn() {}

  static void translate(String path, JsonNode content, ArrayNode messages) {
    if (content.isTextual()) {
      messages.addObject().put("role", "user").put("content", content.asText());
      return;
    }
    List<ObjectNode> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      String at = path + ".content[" + i + "]";
      JsonNode block = content.get(i);
      switch (blockType(at, block)) {
        case "text" -> parts.add(Json.object().put("type", "text").put("text", blockText(at, block)));
        case "image" -> parts.add(image(at, block.get("source")));
        case "tool_result" -> messages.add(toolResult(at, block));
        default -> throw unsupported(at + ".type", block.get("type"));
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "user");
    boolean textOnly = parts.stream().allMatch(part -> "text".equals(part.path("type").asText()));
    if (textOnly) {
      // plain string content reaches every OpenAI-compatible upstream, some refuse part arrays
      message.put("content", String.join("\n", parts.stream().map(part -> part.path("text").asText()).toList()));
    } else {
      message.putArray("content").addAll(parts);
    }
  }

  private static ObjectNode image(String path, JsonNode source) {
    if (absent(source) || !source.isObject()) {
      throw invalid(path + ".source", "expected an image source object", source);
    }
    String url =
        switch (source.path("type").asText()) {
          case "base64" -> {
            JsonNode mediaType = source.get("media_type");
            JsonNode data = source.get("data");
            if (absent(mediaType) || !mediaType.isTextual()) {
              throw invalid(path + ".source.media_type", "expected a media type such as image/png", mediaType);
            }
            if (absent(data) || !data.isTextual()) {
              throw invalid(path + ".source.data", "expected base64 image data", data);
            }
            yield "data:" + mediaType.asText() + ";base64," + data.asText();
          }
          case "url" -> {
            JsonNode location = source.get("url");
            if (absent(location) || !location.isTextual()) {
              throw invalid(path + ".source.url", "expected the image's URL", location);
            }
            yield location.asText();
          }
          default -> throw invalid(path + ".source.type", "expected 'base64' or 'url'", source.get("type"));
        };
    ObjectNode part = Json.object().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private static ObjectNode toolResult(String path, JsonNode block) {
    JsonNode id = block.get("tool_use_id");
    if (absent(id) || !id.isTextual()) {
      throw invalid(path + ".tool_use_id", "expected the id of the tool_use answered", id);
    }
    JsonNode content = block.get("content");
    String text;
    if (absent(content)) {
      text = "";
    } else if (content.isTextual()) {
      text = content.asText();
    } else if (content.isArray()) {
      text = resultText(path + ".content", content);
    } else {
      throw invalid(path + ".content", "expected a string or an array of text blocks", content);
    }
    // OpenAI has no error flag on tool output; the model still learns the call failed.
    if (block.path("is_error").asBoolean(false)) {
      text = TOOL_ERROR_PREFIX + text;
    }
    ObjectNode message = Json.object().put("role", "tool");
    message.set("tool_call_id", id);
    return message.put("content", text);
  }

  private static String resultText(String path, JsonNode blocks) {
    List<String> text = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode block = blocks.get(i);
      String type = blockType(at, block);
      if (!"text".equals(type)) {
        // OpenAI tool messages carry text only
        throw unsupported(at + ".type", block.get("type"));
      }
      text.add(blockText(at, block));
    }
    return String.join("\n", text);
  }
}
