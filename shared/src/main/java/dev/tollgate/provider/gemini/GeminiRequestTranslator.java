package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.api.MessageText;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an OpenAI chat completion body into Gemini's {@code GenerateContentRequest}.
 *
 * <p>Carried over: system and developer messages (as {@code systemInstruction}), user, assistant
 * and tool turns (text, images, function calls and results), {@code tools}, {@code tool_choice},
 * {@code temperature}, {@code top_p}, {@code max_tokens}/{@code max_completion_tokens},
 * {@code stop}, {@code n}, {@code seed} and {@code response_format}. Everything else is dropped
 * because Gemini has no equivalent or refuses it on some models: {@code stream}/{@code
 * stream_options} (streaming is chosen by the method called), {@code logprobs}/{@code
 * top_logprobs}, {@code logit_bias}, {@code presence_penalty}/{@code frequency_penalty} (rejected
 * by several Gemini models), {@code parallel_tool_calls}, {@code user}, {@code metadata}, {@code
 * store}, {@code reasoning_effort}, {@code service_tier}, audio parts and any unknown field.
 */
final class GeminiRequestTranslator {

  private GeminiRequestTranslator() {}

  static ObjectNode translate(ObjectNode openAi) {
    ObjectNode gemini = Json.object();
    ArrayNode system = Json.array();
    ArrayNode contents = Json.array();
    // tool_call_id -> function name, as the calls appear; Gemini names a result by its function.
    Map<String, String> callNames = new HashMap<>();
    for (JsonNode message : openAi.path("messages")) {
      String role = message.path("role").asText();
      switch (role) {
        case "system", "developer" -> textParts(message.get("content"), system);
        case "user" -> append(contents, "user", userParts(message.get("content")));
        case "assistant" -> append(contents, "model", assistantParts(message, callNames));
        case "tool", "function" -> append(contents, "user", functionResponse(message, callNames));
        default -> {
          // The gateway validates roles before this point; an unknown one has no Gemini turn.
        }
      }
    }
    if (!system.isEmpty()) {
      gemini.putObject("systemInstruction").set("parts", system);
    }
    gemini.set("contents", contents);
    tools(openAi, gemini);
    ObjectNode generation = generationConfig(openAi);
    if (!generation.isEmpty()) {
      gemini.set("generationConfig", generation);
    }
    return gemini;
  }

  /** Adds a turn, merged into the previous one when the role repeats, as Gemini wants turns to alternate. */
  private static void append(ArrayNode contents, String role, ArrayNode parts) {
    if (parts.isEmpty()) {
      return;
    }
    JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("parts")).addAll(parts);
      return;
    }
    ObjectNode content = contents.addObject();
    content.put("role", role);
    content.set("parts", parts);
  }

  private static void textParts(JsonNode content, ArrayNode into) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      addText(content.asText(), into);
      return;
    }
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        addText(part.path("text").asText(), into);
      }
    }
  }

  /** Gemini refuses an empty text part, which clients often send beside tool calls: leave it out. */
  private static void addText(String text, ArrayNode into) {
    if (!text.isEmpty()) {
      into.addObject().put("text", text);
    }
  }

  private static ArrayNode userParts(JsonNode content) {
    ArrayNode parts = Json.array();
    if (content == null || content.isNull() || content.isTextual()) {
      textParts(content, parts);
      return parts;
    }
    for (JsonNode part : content) {
      switch (part.path("type").asText()) {
        case "text" -> addText(part.path("text").asText(), parts);
        case "image_url" -> parts.add(image(part.path("image_url").path("url").asText()));
        default -> {
          // audio and file parts have no mapping here; see the class comment
        }
      }
    }
    return parts;
  }

  /** A {@code data:} URL inline, anything else as a file reference Gemini fetches. */
  static ObjectNode image(String url) {
    ObjectNode part = Json.object();
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String header = url.substring("data:".length(), Math.max(comma, "data:".length()));
      String mimeType = header.contains(";") ? header.substring(0, header.indexOf(';')) : header;
      ObjectNode inline = part.putObject("inlineData");
      inline.put("mimeType", mimeType.isEmpty() ? "image/jpeg" : mimeType);
      inline.put("data", comma < 0 ? "" : url.substring(comma + 1));
      return part;
    }
    ObjectNode file = part.putObject("fileData");
    file.put("mimeType", mimeTypeOf(url));
    file.put("fileUri", url);
    return part;
  }

  /** The image type a URL's extension names; JPEG when it names none we know. */
  static String mimeTypeOf(String url) {
    String path = url;
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    int dot = path.lastIndexOf('.');
    String extension = dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (extension) {
      case "png" -> "image/png";
      case "gif" -> "image/gif";
      case "webp" -> "image/webp";
      case "heic" -> "image/heic";
      case "heif" -> "image/heif";
      default -> "image/jpeg";
    };
  }

  private static int indexOfAny(String text, char a, char b) {
    int first = text.indexOf(a);
    int second = text.indexOf(b);
    if (first < 0) {
      return second;
    }
    return second < 0 ? first : Math.min(first, second);
  }

  private static ArrayNode assistantParts(JsonNode message, Map<String, String> callNames) {
    ArrayNode parts = Json.array();
    textParts(message.get("content"), parts);
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      String name = function.path("name").asText();
      callNames.put(call.path("id").asText(), name);
      ObjectNode functionCall = parts.addObject().putObject("functionCall");
      functionCall.put("name", name);
      functionCall.set("args", arguments(function.path("arguments").asText("")));
    }
    return parts;
  }

  /** The arguments string as a JSON object; Gemini wants an object, so anything else becomes {}. */
  private static JsonNode arguments(String text) {
    JsonNode parsed = Json.parseOrNull(text);
    return parsed instanceof ObjectNode ? parsed : Json.object();
  }

  private static ArrayNode functionResponse(JsonNode message, Map<String, String> callNames) {
    String id = message.path("tool_call_id").asText();
    String name = callNames.get(id);
    if (name == null) {
      // A result without a known call: the legacy role "function" names itself, else keep the id.
      name = message.path("name").asText(id);
    }
    String text = MessageText.of(message.get("content"));
    JsonNode parsed = Json.parseOrNull(text);
    ArrayNode parts = Json.array();
    ObjectNode response = parts.addObject().putObject("functionResponse");
    response.put("name", name);
    ObjectNode result = response.putObject("response");
    if (parsed != null && parsed.isContainerNode()) {
      result.set("content", parsed);
    } else {
      result.put("content", text);
    }
    return parts;
  }

  private static void tools(ObjectNode openAi, ObjectNode gemini) {
    ArrayNode declarations = Json.array();
    for (JsonNode tool : openAi.path("tools")) {
      if (!"function".equals(tool.path("type").asText())) {
        continue;
      }
      JsonNode function = tool.path("function");
      ObjectNode declaration = declarations.addObject();
      declaration.put("name", function.path("name").asText());
      copy(function, "description", declaration, "description");
      copy(function, "parameters", declaration, "parameters");
    }
    if (!declarations.isEmpty()) {
      gemini.putArray("tools").addObject().set("functionDeclarations", declarations);
    }
    JsonNode choice = openAi.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return;
    }
    ObjectNode config = Json.object();
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "none" -> config.put("mode", "NONE");
        case "auto" -> config.put("mode", "AUTO");
        case "required" -> config.put("mode", "ANY");
        default -> {
          return;
        }
      }
    } else {
      String name = choice.path("function").path("name").asText("");
      if (name.isEmpty()) {
        return;
      }
      config.put("mode", "ANY");
      config.putArray("allowedFunctionNames").add(name);
    }
    gemini.putObject("toolConfig").set("functionCallingConfig", config);
  }

  private static ObjectNode generationConfig(ObjectNode openAi) {
    ObjectNode config = Json.object();
    copy(openAi, "temperature", config, "temperature");
    copy(openAi, "top_p", config, "topP");
    if (!copy(openAi, "max_completion_tokens", config, "maxOutputTokens")) {
      copy(openAi, "max_tokens", config, "maxOutputTokens");
    }
    JsonNode stop = openAi.get("stop");
    if (stop != null && stop.isTextual()) {
      config.putArray("stopSequences").add(stop.asText());
    } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
      config.set("stopSequences", stop.deepCopy());
    }
    copy(openAi, "n", config, "candidateCount");
    copy(openAi, "seed", config, "seed");
    JsonNode format = openAi.path("response_format");
    switch (format.path("type").asText()) {
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema != null && schema.isObject()) {
          config.set("responseSchema", schema.deepCopy());
        }
      }
      default -> {
        // "text" is Gemini's default
      }
    }
    return config;
  }

  /** Copies a present, non-null field under a new name; true when it did. */
  private static boolean copy(JsonNode from, String name, ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    to.set(as, value.deepCopy());
    return true;
  }
}
