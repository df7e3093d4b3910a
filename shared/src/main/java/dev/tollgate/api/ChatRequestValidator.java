package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a chat completion body against OpenAI's documented request shape and names the first
 * offending parameter. Fields it does not know are left alone so they pass through.
 */
public final class ChatRequestValidator {

  private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
  private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private ChatRequestValidator() {}

  /** Returns the request, or throws {@link ApiException} with a 400 naming the field. */
  public static ChatRequest validate(JsonNode root) {
    return validate(root, false);
  }

  /**
   * As {@link #validate(JsonNode)}; with {@code templated} (the request names a prompt template,
   * whose messages come first) {@code messages} may be absent or empty.
   */
  public static ChatRequest validate(JsonNode root, boolean templated) {
    if (!(root instanceof ObjectNode body)) {
      throw new ApiException(
          ApiError.invalidField(null, "The request body must be a JSON object."));
    }
    Fields fields = new Fields(body);
    fields.requiredNonEmptyString("model");
    validateMessages(body.get("messages"), templated);
    fields.number("temperature", 0, 2);
    fields.number("top_p", 0, 1);
    fields.number("presence_penalty", -2, 2);
    fields.number("frequency_penalty", -2, 2);
    fields.integer("n", 1, 128);
    fields.integer("max_tokens", 1, Integer.MAX_VALUE);
    fields.integer("max_completion_tokens", 1, Integer.MAX_VALUE);
    fields.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    fields.integer("top_logprobs", 0, 20);
    fields.bool("stream");
    fields.bool("logprobs");
    fields.bool("parallel_tool_calls");
    fields.string("user");
    validateStop(body.get("stop"));
    validateResponseFormat(body.get("response_format"));
    validateTools(body.get("tools"));
    validateToolChoice(body.get("tool_choice"));
    validateStreamOptions(body);
    return new ChatRequest(body);
  }

  private static void validateMessages(JsonNode messages, boolean templated) {
    if (absent(messages)) {
      if (templated) {
        return;
      }
      throw new ApiException(ApiError.missingField("messages"));
    }
    if (!messages.isArray() || (messages.isEmpty() && !templated)) {
      throw invalid("messages", templated ? "expected an array of messages" : "expected a non-empty array of messages", messages);
    }
    for (int i = 0; i < messages.size(); i++) {
      MessageRules.check("messages[" + i + "]", messages.get(i));
    }
  }

  private static void validateStop(JsonNode stop) {
    if (absent(stop) || stop.isTextual()) {
      return;
    }
    if (!stop.isArray() || stop.size() > 4) {
      throw invalid("stop", "expected a string or an array of up to 4 strings", stop);
    }
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw invalid("stop[" + i + "]", "expected a string", stop.get(i));
      }
    }
  }

  private static void validateResponseFormat(JsonNode format) {
    if (absent(format)) {
      return;
    }
    if (!format.isObject()) {
      throw invalid("response_format", "expected an object", format);
    }
    String type = format.path("type").asText(null);
    if (type == null || !RESPONSE_FORMATS.contains(type)) {
      throw invalid(
          "response_format.type", "expected one of text, json_object, json_schema", format.get("type"));
    }
    if (type.equals("json_schema") && !format.path("json_schema").path("name").isTextual()) {
      throw invalid(
          "response_format.json_schema.name",
          "expected a string naming the schema",
          format.path("json_schema").get("name"));
    }
  }

  private static void validateTools(JsonNode tools) {
    if (absent(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools", "expected an array of tools", tools);
    }
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!tool.isObject() || !tool.path("type").isTextual()) {
        throw invalid(path + ".type", "expected a tool object with a string 'type'", tool.get("type"));
      }
      if (tool.path("type").asText().equals("function")) {
        JsonNode name = tool.path("function").get("name");
        if (name == null || !name.isTextual() || !FUNCTION_NAME.matcher(name.asText()).matches()) {
          throw invalid(
              path + ".function.name",
              "expected a function name of 1 to 64 letters, digits, '_' or '-'",
              name);
        }
        JsonNode parameters = tool.path("function").get("parameters");
        if (!absent(parameters) && !parameters.isObject()) {
          throw invalid(path + ".function.parameters", "expected a JSON Schema object", parameters);
        }
      }
    }
  }

  private static void validateToolChoice(JsonNode choice) {
    if (absent(choice)) {
      return;
    }
    if (choice.isTextual() && TOOL_CHOICES.contains(choice.asText())) {
      return;
    }
    if (choice.isObject() && choice.path("type").isTextual()) {
      return;
    }
    throw invalid(
        "tool_choice", "expected 'none', 'auto', 'required' or an object with a 'type'", choice);
  }

  private static void validateStreamOptions(ObjectNode body) {
    JsonNode options = body.get("stream_options");
    if (absent(options)) {
      return;
    }
    if (!options.isObject()) {
      throw invalid("stream_options", "expected an object", options);
    }
    if (!body.path("stream").asBoolean(false)) {
      throw new ApiException(
          ApiError.invalidField(
              "stream_options", "'stream_options' is only allowed when 'stream' is true."));
    }
    JsonNode includeUsage = options.get("include_usage");
    if (!absent(includeUsage) && !includeUsage.isBoolean()) {
      throw invalid("stream_options.include_usage", "expected a boolean", includeUsage);
    }
  }

  static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  static ApiException invalid(String param, String expected, JsonNode got) {
    return new ApiException(
        ApiError.invalidField(
            param, "Invalid value for '" + param + "': " + expected + ", got " + shown(got) + "."));
  }

  /** A short rendering of an offending value; long values are cut so errors stay readable. */
  static String shown(JsonNode value) {
    if (absent(value)) {
      return "nothing";
    }
    String text = value.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  /** Typed checks of top-level optional fields. */
  private record Fields(ObjectNode body) {

    void requiredNonEmptyString(String name) {
      JsonNode value = body.get(name);
      if (absent(value)) {
        throw new ApiException(ApiError.missingField(name));
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        throw invalid(name, "expected a non-empty string", value);
      }
    }

    void number(String name, double min, double max) {
      JsonNode value = body.get(name);
      if (absent(value)) {
        return;
      }
      if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
        throw invalid(name, "expected a number from " + fmt(min) + " to " + fmt(max), value);
      }
    }

    void integer(String name, long min, long max) {
      JsonNode value = body.get(name);
      if (absent(value)) {
        return;
      }
      if (!value.isIntegralNumber()
          || !value.canConvertToLong()
          || value.asLong() < min
          || value.asLong() > max) {
        String range =
            max == Long.MAX_VALUE ? "an integer" : max == Integer.MAX_VALUE
                ? "an integer of at least " + min
                : "an integer from " + min + " to " + max;
        throw invalid(name, "expected " + range, value);
      }
    }

    void bool(String name) {
      JsonNode value = body.get(name);
      if (!absent(value) && !value.isBoolean()) {
        throw invalid(name, "expected a boolean", value);
      }
    }

    void string(String name) {
      JsonNode value = body.get(name);
      if (!absent(value) && !value.isTextual()) {
        throw invalid(name, "expected a string", value);
      }
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }
}
