package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's own part of a request body, {@code "tollgate": {"template": "NAME", "variables":
 * {"k": "v"}, "kb": "KB", "kbFilter": {"k": "v"}}}. It is taken out of the body before anything else
 * reads it, so no upstream ever sees it, whatever it contains. Variable and filter values are
 * strings, numbers or booleans, kept as text (numbers in plain decimal: {@code 1e3} is {@code 1000},
 * {@code 2.50} is {@code 2.5}). {@code kb} names the knowledge base to ground the answer in
 * ({@code "none"}: no retrieval, where the policy allows it); {@code kbFilter} narrows its chunks
 * by metadata.
 */
public record TollgateExtension(
    Optional<String> template, Map<String, String> variables, Optional<String> kb, Map<String, String> kbFilter) {

  /** The body field that carries the extension. */
  public static final String FIELD = "tollgate";
  public static final TollgateExtension NONE = new TollgateExtension(Optional.empty(), Map.of());
  private static final Set<String> FIELDS = Set.of("template", "variables", "kb", "kbFilter");
  private static final int MAX_KB_CHARS = 128;

  public TollgateExtension {
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    kbFilter = Collections.unmodifiableMap(new LinkedHashMap<>(kbFilter));
  }

  /** An extension that names no knowledge base. */
  public TollgateExtension(Optional<String> template, Map<String, String> variables) {
    this(template, variables, Optional.empty(), Map.of());
  }

  /**
   * Removes {@code tollgate} from {@code body} (when it is an object) and reads it; throws
   * {@link ApiException} with a 400 naming the field when it is malformed.
   */
  public static TollgateExtension take(JsonNode body) {
    if (!(body instanceof ObjectNode object) || !object.has(FIELD)) {
      return NONE;
    }
    JsonNode extension = object.remove(FIELD);
    if (extension.isNull()) {
      return NONE;
    }
    if (!extension.isObject()) {
      throw invalid(FIELD, "expected an object like {\"template\": \"name\", \"variables\": {...}}", extension);
    }
    Iterator<String> names = extension.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new ApiException(
            ApiError.invalidField(
                FIELD + "." + name,
                "Unknown parameter: '" + FIELD + "." + name + "'. Allowed: " + String.join(", ", new TreeSet<>(FIELDS)) + "."));
      }
    }
    Optional<String> template = template(extension.get("template"));
    Map<String, String> variables = scalars(extension.get("variables"), "variables", "variable names");
    if (template.isEmpty() && !variables.isEmpty()) {
      throw new ApiException(
          ApiError.invalidField(
              FIELD + ".variables", "'" + FIELD + ".variables' is only allowed with '" + FIELD + ".template'."));
    }
    Optional<String> kb = kb(extension.get("kb"));
    Map<String, String> kbFilter = scalars(extension.get("kbFilter"), "kbFilter", "metadata keys");
    if (kb.isEmpty() && !kbFilter.isEmpty()) {
      throw new ApiException(
          ApiError.invalidField(FIELD + ".kbFilter", "'" + FIELD + ".kbFilter' is only allowed with '" + FIELD + ".kb'."));
    }
    return new TollgateExtension(template, variables, kb, kbFilter);
  }

  private static Optional<String> kb(JsonNode kb) {
    if (ChatRequestValidator.absent(kb)) {
      return Optional.empty();
    }
    if (!kb.isTextual() || kb.asText().isBlank() || kb.asText().length() > MAX_KB_CHARS
        || kb.asText().chars().anyMatch(Character::isISOControl)) {
      throw invalid(FIELD + ".kb", "expected the name of a knowledge base (up to " + MAX_KB_CHARS + " characters), or \"none\"", kb);
    }
    return Optional.of(kb.asText());
  }

  private static Optional<String> template(JsonNode template) {
    if (ChatRequestValidator.absent(template)) {
      return Optional.empty();
    }
    if (!template.isTextual() || template.asText().isBlank()) {
      throw invalid(FIELD + ".template", "expected the name of a template", template);
    }
    return Optional.of(template.asText());
  }

  /** An object of names to strings, numbers or booleans, as text; absent gives empty. */
  private static Map<String, String> scalars(JsonNode object, String field, String names) {
    Map<String, String> values = new LinkedHashMap<>();
    if (ChatRequestValidator.absent(object)) {
      return values;
    }
    if (!object.isObject()) {
      throw invalid(FIELD + "." + field, "expected an object of " + names + " to values", object);
    }
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      JsonNode value = entry.getValue();
      String param = FIELD + "." + field + "." + entry.getKey();
      if (value.isTextual() || value.isBoolean()) {
        values.put(entry.getKey(), value.asText());
      } else if (value.isIntegralNumber()) {
        values.put(entry.getKey(), value.bigIntegerValue().toString());
      } else if (value.isNumber()) {
        // Plain decimal without trailing zeros: 2.50 gives 2.5, 1e3 gives 1000
        values.put(entry.getKey(), value.decimalValue().stripTrailingZeros().toPlainString());
      } else {
        throw new ApiException(
            ApiError.invalidField(
                param,
                "Invalid value for '" + param + "': expected a string, number or boolean, got "
                    + (value.isNull() ? "null" : value.isArray() ? "an array" : "an object") + "."));
      }
    }
    return values;
  }

  private static ApiException invalid(String param, String expected, JsonNode got) {
    return ChatRequestValidator.invalid(param, expected, got);
  }
}
