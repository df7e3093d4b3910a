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
 * {"k": "v"}}}. It is taken out of the body before anything else reads it, so no upstream ever sees
 * it, whatever it contains. Variable values are strings, numbers or booleans, kept as text
 * (numbers in plain decimal: {@code 1e3} is {@code 1000}, {@code 2.50} is {@code 2.5}).
 */
public record TollgateExtension(Optional<String> template, Map<String, String> variables) {

  /** The body field that carries the extension. */
  public static final String FIELD = "tollgate";
  public static final TollgateExtension NONE = new TollgateExtension(Optional.empty(), Map.of());
  private static final Set<String> FIELDS = Set.of("template", "variables");

  public TollgateExtension {
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
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
    Map<String, String> variables = variables(extension.get("variables"));
    if (template.isEmpty() && !variables.isEmpty()) {
      throw new ApiException(
          ApiError.invalidField(
              FIELD + ".variables", "'" + FIELD + ".variables' is only allowed with '" + FIELD + ".template'."));
    }
    return new TollgateExtension(template, variables);
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

  private static Map<String, String> variables(JsonNode variables) {
    Map<String, String> values = new LinkedHashMap<>();
    if (ChatRequestValidator.absent(variables)) {
      return values;
    }
    if (!variables.isObject()) {
      throw invalid(FIELD + ".variables", "expected an object of variable names to values", variables);
    }
    for (Map.Entry<String, JsonNode> entry : variables.properties()) {
      JsonNode value = entry.getValue();
      String param = FIELD + ".variables." + entry.getKey();
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
