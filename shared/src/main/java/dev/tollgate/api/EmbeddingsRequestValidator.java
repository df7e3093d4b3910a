package dev.tollgate.api;

import static dev.tollgate.api.ChatRequestValidator.absent;
import static dev.tollgate.api.ChatRequestValidator.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks an embeddings body against OpenAI's documented request shape and names the first
 * offending parameter. {@code input} is a string, an array of strings, an array of token ids or
 * an array of token-id arrays, never empty; fields it does not know are left alone.
 */
public final class EmbeddingsRequestValidator {

  /** OpenAI's limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private EmbeddingsRequestValidator() {}

  /** Returns the request, or throws {@link ApiException} with a 400 naming the field. */
  public static EmbeddingsRequest validate(JsonNode root) {
    if (!(root instanceof ObjectNode body)) {
      throw new ApiException(ApiError.invalidField(null, "The request body must be a JSON object."));
    }
    JsonNode model = body.get("model");
    if (absent(model)) {
      throw new ApiException(ApiError.missingField("model"));
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw invalid("model", "expected a non-empty string", model);
    }
    validateInput(body.get("input"));
    JsonNode dimensions = body.get("dimensions");
    if (!absent(dimensions)
        && (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.asInt() < 1)) {
      throw invalid("dimensions", "expected an integer of at least 1", dimensions);
    }
    JsonNode format = body.get("encoding_format");
    if (!absent(format)
        && !(format.isTextual() && (format.asText().equals("float") || format.asText().equals("base64")))) {
      throw invalid("encoding_format", "expected 'float' or 'base64'", format);
    }
    JsonNode user = body.get("user");
    if (!absent(user) && !user.isTextual()) {
      throw invalid("user", "expected a string", user);
    }
    return new EmbeddingsRequest(body);
  }

  private static void validateInput(JsonNode input) {
    if (absent(input)) {
      throw new ApiException(ApiError.missingField("input"));
    }
    if (input.isTextual()) {
      if (input.asText().isEmpty()) {
        throw invalid("input", "expected a non-empty string", input);
      }
      return;
    }
    if (!input.isArray() || input.isEmpty()) {
      throw invalid(
          "input", "expected a string, an array of strings, or an array of token arrays, not empty", input);
    }
    if (input.size() > MAX_INPUTS) {
      throw new ApiException(
          ApiError.invalidField(
              "input", "Invalid value for 'input': at most " + MAX_INPUTS + " inputs, got " + input.size() + "."));
    }
    JsonNode first = input.get(0);
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String path = "input[" + i + "]";
      if (first.isTextual()) {
        if (!item.isTextual() || item.asText().isEmpty()) {
          throw invalid(path, "expected a non-empty string, like the other inputs", item);
        }
      } else if (first.isIntegralNumber()) {
        tokenId(path, item);
      } else if (first.isArray()) {
        if (!item.isArray() || item.isEmpty()) {
          throw invalid(path, "expected a non-empty array of token ids, like the other inputs", item);
        }
        for (int j = 0; j < item.size(); j++) {
          tokenId(path + "[" + j + "]", item.get(j));
        }
      } else {
        throw invalid(path, "expected a string or an array of token ids", item);
      }
    }
  }

  private static void tokenId(String path, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
      throw invalid(path, "expected a token id (an integer of at least 0)", value);
    }
  }
}
