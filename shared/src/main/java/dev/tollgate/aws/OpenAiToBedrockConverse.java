package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.api.MessageText;
import dev.tollgate.provider.UpstreamFailure;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Turns an OpenAI chat completion body into a Bedrock {@code Converse} request.
 *
 * <p>Carried over: system and developer messages (as {@code system}), user and assistant turns
 * (text, base64 {@code data:} images, tool calls), tool results (as user {@code toolResult}
 * blocks), {@code tools}, {@code tool_choice}, {@code max_tokens}/{@code max_completion_tokens},
 * {@code temperature}, {@code top_p} and {@code stop}. Consecutive turns of one role are merged,
 * as Converse wants them to alternate. Images by http(s) URL are refused with a 400, because
 * Converse only takes image bytes and the gateway does not fetch URLs on a client's behalf.
 * {@code tool_choice: "none"} has no Converse equivalent: the tools are left out, unless the
 * conversation already holds tool calls or results, which Converse only accepts beside a tool
 * list (the model may then call a tool anyway). Everything else is dropped (no equivalent).
 */
final class OpenAiToBedrockConverse {

  private OpenAiToBedrockConverse() {}

  static ConverseRequest translate(ObjectNode openAi, String modelId) throws UpstreamFailure {
    List<SystemContentBlock> system = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    boolean toolHistory = false;
    int index = 0;
    for (JsonNode message : openAi.path("messages")) {
      String role = message.path("role").asText();
      switch (role) {
        case "system", "developer" -> texts(message.get("content")).forEach(t -> system.add(SystemContentBlock.fromText(t)));
        case "user" -> append(messages, ConversationRole.USER, userBlocks(message.get("content"), index));
        case "assistant" -> {
          List<ContentBlock> blocks = assistantBlocks(message);
          toolHistory |= message.path("tool_calls").size() > 0;
          append(messages, ConversationRole.ASSISTANT, blocks);
        }
        case "tool" -> {
          toolHistory = true;
          append(messages, ConversationRole.USER, List.of(toolResult(message)));
        }
        default -> {
          // The gateway validates roles before this point; an unknown one has no Converse turn.
        }
      }
      index++;
    }
    ConverseRequest.Builder request = ConverseRequest.builder().modelId(modelId).messages(messages);
    if (!system.isEmpty()) {
      request.system(system);
    }
    ToolConfiguration tools = toolConfig(openAi, toolHistory);
    if (tools != null) {
      request.toolConfig(tools);
    }
    InferenceConfiguration inference = inferenceConfig(openAi);
    if (inference != null) {
      request.inferenceConfig(inference);
    }
    return request.build();
  }

  /** The same translation as a {@code ConverseStream} request, which has the same fields. */
  static ConverseStreamRequest translateForStream(ObjectNode openAi, String modelId) throws UpstreamFailure {
    ConverseRequest converse = translate(openAi, modelId);
    ConverseStreamRequest.Builder request =
        ConverseStreamRequest.builder().modelId(converse.modelId()).messages(converse.messages());
    if (converse.hasSystem()) {
      request.system(converse.system());
    }
    if (converse.toolConfig() != null) {
      request.toolConfig(converse.toolConfig());
    }
    if (converse.inferenceConfig() != null) {
      request.inferenceConfig(converse.inferenceConfig());
    }
    return request.build();
  }

  /** Adds blocks as a turn, merged into the previous one when the role repeats. */
  private static void append(List<Message> messages, ConversationRole role, List<ContentBlock> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!messages.isEmpty() && messages.getLast().role() == role) {
      Message last = messages.removeLast();
      List<ContentBlock> merged = new ArrayList<>(last.content());
      merged.addAll(blocks);
      messages.add(last.toBuilder().content(merged).build());
      return;
    }
    messages.add(Message.builder().role(role).content(blocks).build());
  }

  /** The non-empty texts of a string or content-part array; Converse refuses empty text blocks. */
  private static List<String> texts(JsonNode content) {
    List<String> texts = new ArrayList<>();
    if (content == null || content.isNull()) {
      return texts;
    }
    if (content.isTextual()) {
      addText(content.asText(), texts);
      return texts;
    }
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        addText(part.path("text").asText(), texts);
      }
    }
    return texts;
  }

  private static void addText(String text, List<String> into) {
    if (!text.isEmpty()) {
      into.add(text);
    }
  }

  private static List<ContentBlock> userBlocks(JsonNode content, int index) throws UpstreamFailure {
    List<ContentBlock> blocks = new ArrayList<>();
    if (content == null || content.isNull() || content.isTextual()) {
      texts(content).forEach(t -> blocks.add(ContentBlock.fromText(t)));
      return blocks;
    }
    int part = 0;
    for (JsonNode item : content) {
      switch (item.path("type").asText()) {
        case "text" -> {
          String text = item.path("text").asText();
          if (!text.isEmpty()) {
            blocks.add(ContentBlock.fromText(text));
          }
        }
        case "image_url" ->
            blocks.add(
                ContentBlock.fromImage(
                    image(item.path("image_url").path("url").asText(), "messages[" + index + "].content[" + part + "].image_url.url")));
        default -> {
          // audio and file parts have no mapping here; see the class comment
        }
      }
      part++;
    }
    return blocks;
  }

  /** A base64 {@code data:} URL as an image block; anything else is refused, naming the field. */
  static ImageBlock image(String url, String param) throws UpstreamFailure {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0) {
      throw rejected(param, "Bedrock takes images as bytes only: send a base64 data: URL (data:image/png;base64,...), not a link");
    }
    String header = url.substring("data:".length(), comma);
    if (!header.endsWith(";base64")) {
      throw rejected(param, "the data: URL must be base64-encoded");
    }
    ImageFormat format =
        switch (header.substring(0, header.length() - ";base64".length())) {
          case "image/png" -> ImageFormat.PNG;
          case "image/jpeg", "image/jpg" -> ImageFormat.JPEG;
          case "image/gif" -> ImageFormat.GIF;
          case "image/webp" -> ImageFormat.WEBP;
          default -> throw rejected(param, "Bedrock takes image/png, image/jpeg, image/gif or image/webp");
        };
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw rejected(param, "the data: URL is not valid base64");
    }
    return ImageBlock.builder().format(format).source(ImageSource.fromBytes(SdkBytes.fromByteArray(bytes))).build();
  }

  private static UpstreamFailure rejected(String param, String why) {
    return UpstreamFailure.rejected(
        400, new ApiError(400, "Invalid image at '" + param + "': " + why, ApiError.INVALID_REQUEST, param, "invalid_image_url", 0));
  }

  private static List<ContentBlock> assistantBlocks(JsonNode message) {
    List<ContentBlock> blocks = new ArrayList<>();
    texts(message.get("content")).forEach(t -> blocks.add(ContentBlock.fromText(t)));
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      blocks.add(
          ContentBlock.fromToolUse(
              ToolUseBlock.builder()
                  .toolUseId(call.path("id").asText())
                  .name(function.path("name").asText())
                  .input(arguments(function.path("arguments").asText("")))
                  .build()));
    }
    return blocks;
  }

  /** The arguments string as a JSON object; Converse wants an object, so anything else becomes {}. */
  private static Document arguments(String text) {
    JsonNode parsed = Json.parseOrNull(text);
    return DocumentJson.toDocument(parsed instanceof ObjectNode ? parsed : Json.object());
  }

  private static ContentBlock toolResult(JsonNode message) {
    String text = MessageText.of(message.get("content"));
    JsonNode parsed = Json.parseOrNull(text);
    ToolResultContentBlock result =
        parsed instanceof ObjectNode
            ? ToolResultContentBlock.fromJson(DocumentJson.toDocument(parsed))
            : ToolResultContentBlock.fromText(text);
    return ContentBlock.fromToolResult(
        ToolResultBlock.builder().toolUseId(message.path("tool_call_id").asText()).content(result).build());
  }

  private static ToolConfiguration toolConfig(ObjectNode openAi, boolean toolHistory) {
    List<Tool> tools = new ArrayList<>();
    for (JsonNode tool : openAi.path("tools")) {
      if (!"function".equals(tool.path("type").asText())) {
        continue;
      }
      JsonNode function = tool.path("function");
      ToolSpecification.Builder spec = ToolSpecification.builder().name(function.path("name").asText());
      if (function.hasNonNull("description")) {
        spec.description(function.get("description").asText());
      }
      JsonNode parameters = function.get("parameters");
      spec.inputSchema(
          ToolInputSchema.fromJson(
              DocumentJson.toDocument(parameters instanceof ObjectNode ? parameters : Json.object().put("type", "object"))));
      tools.add(Tool.fromToolSpec(spec.build()));
    }
    if (tools.isEmpty()) {
      return null;
    }
    JsonNode choice = openAi.get("tool_choice");
    ToolConfiguration.Builder config = ToolConfiguration.builder().tools(tools);
    if (choice == null || choice.isNull()) {
      return config.build();
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "none" -> toolHistory ? config.build() : null;
        case "required" -> config.toolChoice(ToolChoice.fromAny(AnyToolChoice.builder().build())).build();
        case "auto" -> config.toolChoice(ToolChoice.fromAuto(AutoToolChoice.builder().build())).build();
        default -> config.build();
      };
    }
    String name = choice.path("function").path("name").asText("");
    if (!name.isEmpty()) {
      config.toolChoice(ToolChoice.fromTool(SpecificToolChoice.builder().name(name).build()));
    }
    return config.build();
  }

  private static InferenceConfiguration inferenceConfig(ObjectNode openAi) {
    InferenceConfiguration.Builder config = InferenceConfiguration.builder();
    boolean any = false;
    JsonNode max = openAi.hasNonNull("max_completion_tokens") ? openAi.get("max_completion_tokens") : openAi.get("max_tokens");
    if (max != null && max.canConvertToInt()) {
      config.maxTokens(max.intValue());
      any = true;
    }
    if (openAi.path("temperature").isNumber()) {
      config.temperature(openAi.get("temperature").floatValue());
      any = true;
    }
    if (openAi.path("top_p").isNumber()) {
      config.topP(openAi.get("top_p").floatValue());
      any = true;
    }
    JsonNode stop = openAi.get("stop");
    if (stop != null && stop.isTextual()) {
      config.stopSequences(stop.asText());
      any = true;
    } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
      List<String> sequences = new ArrayList<>();
      stop.forEach(s -> sequences.add(s.asText()));
      config.stopSequences(sequences);
      any = true;
    }
    return any ? config.build() : null;
  }
}
