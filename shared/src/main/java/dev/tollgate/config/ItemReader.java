package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.provider.Redaction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads typed fields out of one config item, recording a {@link ConfigError} for each field that
 * is missing or wrong instead of stopping at the first.
 */
final class ItemReader {

  private final ConfigItem item;
  private final List<ConfigError> errors = new ArrayList<>();

  ItemReader(ConfigItem item) {
    this.item = item;
  }

  List<ConfigError> errors() {
    return errors;
  }

  boolean ok() {
    return errors.isEmpty();
  }

  void fail(String field, JsonNode value, String expected) {
    errors.add(new ConfigError(item.location(), field, value == null ? null : shown(value), expected));
  }

  void failText(String field, String value, String expected) {
    errors.add(new ConfigError(item.location(), field, '"' + Redaction.redact(value, Optional.empty()) + '"', expected));
  }

  /** For a field whose wrong value may be a secret itself: says what is wrong without showing it. */
  void failHidden(String field, String expected) {
    errors.add(new ConfigError(item.location(), field, "(not shown)", expected));
  }

  void failItem(String expected) {
    errors.add(new ConfigError(item.location(), null, null, expected));
  }

  private JsonNode get(String field) {
    JsonNode value = item.attributes().get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** The raw value of {@code field}, null when absent or null, for callers that read nested structure. */
  JsonNode value(String field) {
    return get(field);
  }

  boolean has(String field) {
    return get(field) != null;
  }

  /** A field's value as it is, null when absent, for shapes the typed readers do not cover. */
  JsonNode raw(String field) {
    return get(field);
  }

  String requiredString(String field, Pattern pattern, String expected) {
    JsonNode value = get(field);
    if (value == null || !value.isTextual() || !pattern.matcher(value.asText()).matches()) {
      fail(field, value, expected);
      return null;
    }
    return value.asText();
  }

  Optional<String> optionalString(String field, Pattern pattern, String expected) {
    JsonNode value = get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
      fail(field, value, expected);
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  long integer(String field, long fallback, long min, long max) {
    JsonNode value = get(field);
    if (value == null) {
      return fallback;
    }
    if (!isWholeNumber(value) || value.asLong() < min || value.asLong() > max) {
      fail(field, value, "an integer from " + min + " to " + max);
      return fallback;
    }
    return value.asLong();
  }

  BigDecimal decimal(String field, BigDecimal min, BigDecimal max) {
    JsonNode value = get(field);
    if (value == null) {
      return BigDecimal.ZERO;
    }
    if (!value.isNumber() || value.decimalValue().compareTo(min) < 0 || value.decimalValue().compareTo(max) > 0) {
      fail(field, value, "a number from " + min.toPlainString() + " to " + max.toPlainString());
      return BigDecimal.ZERO;
    }
    return value.decimalValue();
  }

  /** A required number of any kind, for callers that check its range themselves. */
  Optional<JsonNode> number(String field, String expected) {
    JsonNode value = get(field);
    if (value == null || !value.isNumber()) {
      fail(field, value, expected);
      return Optional.empty();
    }
    return Optional.of(value);
  }

  boolean bool(String field, boolean fallback) {
    JsonNode value = get(field);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      fail(field, value, "true or false");
      return fallback;
    }
    return value.asBoolean();
  }

  /** A non-empty list of strings each matching {@code pattern}. */
  List<String> stringList(String field, Pattern pattern, String expected) {
    JsonNode value = get(field);
    if (value == null || !value.isArray() || value.isEmpty()) {
      fail(field, value, "a non-empty list of " + expected);
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual() || !pattern.matcher(element.asText()).matches()) {
        fail(field, value, "a non-empty list of " + expected);
        return List.of();
      }
      result.add(element.asText());
    }
    return result;
  }

  /**
   * An optional list of strings (absent: empty), for callers that check each element themselves;
   * anything else is an error and gives empty.
   */
  Optional<List<String>> textList(String field, String expected) {
    JsonNode value = get(field);
    if (value == null) {
      return Optional.of(List.of());
    }
    List<String> result = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode element : value) {
        if (!element.isTextual()) {
          break;
        }
        result.add(element.asText());
      }
    }
    if (!value.isArray() || result.size() != value.size()) {
      fail(field, value, expected);
      return Optional.empty();
    }
    return Optional.of(result);
  }

  /** Records an error per attribute outside {@code allowed}: a typo must not pass silently. */
  void rejectUnknown(Set<String> allowed) {
    Iterator<String> names = item.attributes().fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        fail(name, item.attributes().get(name), "no such field; allowed: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  private static boolean isWholeNumber(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.canConvertToLong();
    }
    if (!value.isNumber()) {
      return false;
    }
    BigDecimal decimal = value.decimalValue();
    return decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0;
  }

  private static String shown(JsonNode value) {
    // Errors are logged: a key pasted into the wrong field must not travel with them.
    String text = Redaction.redact(value.toString(), Optional.empty());
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
