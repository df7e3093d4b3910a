package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.routing.RoutingRule;
import dev.tollgate.routing.SemanticCondition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and checks one routing rule item ({@code pk = rule#NAME}, {@code sk = rule}). Its patterns
 * are compiled here, once per config load, never per request. Whether {@code to} names an existing
 * alias is checked by {@link #checkTarget} once every item is read, since routes may come later.
 */
final class RuleReader {

  static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final String NAME_EXPECTED = "'rule#' followed by a name of 1 to 64 characters: letters, digits and . _ -";
  static final long MAX_ORDER = 1_000_000;
  static final long MAX_PROMPT_TOKENS = 10_000_000;
  static final int MAX_ENTRIES = 50;
  static final int MAX_PATTERN_LENGTH = 2_000;
  static final int MAX_KEYWORD_LENGTH = 200;
  static final int MAX_EXAMPLE_LENGTH = 2_000;
  private static final Set<String> SEMANTIC_FIELDS = Set.of("examples", "threshold");
  /** An HTTP header name (RFC 9110 token). */
  static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
  static final java.util.regex.Pattern METADATA_KEY = java.util.regex.Pattern.compile("[^\\p{Cntrl}]{1,64}");
  private static final Set<String> FIELDS =
      Set.of("order", "to", "models", "groups", "headers", "metadata", "pattern", "keywords", "minPromptTokens",
          "hasCode", "hasImages", "hasTools", "semantic", "description");

  private RuleReader() {}

  static Optional<RoutingRule> read(ConfigItem item, ItemReader reader) {
    String name = item.pk().substring(ItemKeys.RULE_PREFIX.length());
    if (!NAME.matcher(name).matches()) {
      reader.failText("pk", item.pk(), NAME_EXPECTED);
    }
    if (!item.sk().equals(ItemKeys.RULE_SK)) {
      reader.failItem("sk to be 'rule' for a routing rule item");
    }
    reader.rejectUnknown(FIELDS);
    long order = reader.integer("order", 0, -MAX_ORDER, MAX_ORDER);
    String to = reader.requiredString("to", ConfigValidator.ALIAS,
        "the model alias to route to: " + ConfigValidator.ALIAS_EXPECTED);
    List<String> models = optionalList(reader, "models", ConfigValidator.ALIAS,
        "requested model aliases ('auto' included) of " + ConfigValidator.ALIAS_EXPECTED);
    List<String> groups = optionalList(reader, "groups", ConfigValidator.NAME,
        "consumer group names of " + ConfigValidator.NAME_EXPECTED);
    Map<String, Pattern> headers = patternMap(reader, "headers", HEADER_NAME, "an HTTP header name");
    Map<String, Pattern> metadata = patternMap(reader, "metadata", METADATA_KEY, "a metadata key of 1 to 64 characters");
    Optional<Pattern> pattern = Optional.empty();
    Optional<String> source = reader.optionalString("pattern", java.util.regex.Pattern.compile("(?s).*"), "an RE2 pattern (a string)");
    if (source.isPresent()) {
      pattern = compile(reader, "pattern", source.get());
    }
    List<String> keywords = keywords(reader);
    long minPromptTokens = reader.integer("minPromptTokens", 0, 1, MAX_PROMPT_TOKENS);
    Optional<Boolean> hasCode = feature(reader, "hasCode");
    Optional<Boolean> hasImages = feature(reader, "hasImages");
    Optional<Boolean> hasTools = feature(reader, "hasTools");
    Optional<SemanticCondition> semantic = semantic(reader);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new RoutingRule(name, order, to, Set.copyOf(models), Set.copyOf(groups), headers, metadata, pattern,
        keywords, minPromptTokens, hasCode, hasImages, hasTools, semantic));
  }

  /** False, with an error naming the alias, when the rule routes to an alias that is not configured. */
  static boolean checkTarget(RoutingRule rule, ItemReader reader, Set<String> aliases) {
    if (aliases.contains(rule.to())) {
      return true;
    }
    reader.failText("to", rule.to(), "an existing model alias; '" + rule.to() + "' is not configured (configured: "
        + (aliases.isEmpty() ? "none" : String.join(", ", new TreeSet<>(aliases))) + ")");
    return false;
  }

  /**
   * {@code semantic: {examples: [...], threshold: 0.55}}; the examples are embedded later, once the
   * whole config is read (see ExampleEmbeddings).
   */
  private static Optional<SemanticCondition> semantic(ItemReader reader) {
    JsonNode value = reader.value("semantic");
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      reader.fail("semantic", value, "a mapping with examples (a list of prompts) and threshold (a number from 0 to 1)");
      return Optional.empty();
    }
    value.properties().forEach(entry -> {
      if (!SEMANTIC_FIELDS.contains(entry.getKey())) {
        reader.fail("semantic." + entry.getKey(), entry.getValue(), "no such field; allowed: examples, threshold");
      }
    });
    List<String> examples = examples(reader, value.get("examples"));
    JsonNode threshold = value.get("threshold");
    boolean thresholdOk = threshold != null && threshold.isNumber() && threshold.asDouble() >= 0 && threshold.asDouble() <= 1;
    if (!thresholdOk) {
      reader.fail("semantic.threshold", threshold,
          "a number from 0 to 1: the cosine similarity to the nearest example at or above which the rule matches");
    }
    return examples.isEmpty() || !thresholdOk
        ? Optional.empty()
        : Optional.of(SemanticCondition.unembedded(examples, threshold.asDouble()));
  }

  private static List<String> examples(ItemReader reader, JsonNode value) {
    String expected = "a list of 1 to " + MAX_ENTRIES + " example prompts of 1 to " + MAX_EXAMPLE_LENGTH + " characters";
    if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_ENTRIES) {
      reader.fail("semantic.examples", value, expected);
      return List.of();
    }
    List<String> examples = new java.util.ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode example = value.get(i);
      if (!example.isTextual() || example.asText().isBlank() || example.asText().length() > MAX_EXAMPLE_LENGTH) {
        reader.fail("semantic.examples[" + i + "]", example, "an example prompt of 1 to " + MAX_EXAMPLE_LENGTH
            + " characters, not blank");
      } else {
        examples.add(example.asText());
      }
    }
    return examples.size() == value.size() ? examples : List.of();
  }

  private static Optional<Boolean> feature(ItemReader reader, String field) {
    return reader.has(field) ? Optional.of(reader.bool(field, false)) : Optional.empty();
  }

  private static List<String> optionalList(ItemReader reader, String field, java.util.regex.Pattern pattern, String expected) {
    return reader.has(field) ? reader.stringList(field, pattern, expected + " (leave it out to match all)") : List.of();
  }

  private static List<String> keywords(ItemReader reader) {
    String expected = "a list of up to " + MAX_ENTRIES + " keywords of 1 to " + MAX_KEYWORD_LENGTH + " characters";
    Optional<List<String>> read = reader.textList("keywords", expected);
    if (read.isEmpty()) {
      return List.of();
    }
    List<String> keywords = read.get();
    if (keywords.size() > MAX_ENTRIES) {
      reader.fail("keywords", reader.value("keywords"), expected);
      return List.of();
    }
    for (int i = 0; i < keywords.size(); i++) {
      String keyword = keywords.get(i);
      if (keyword.isBlank() || keyword.length() > MAX_KEYWORD_LENGTH) {
        reader.failText("keywords[" + i + "]", keyword, "a keyword of 1 to " + MAX_KEYWORD_LENGTH + " characters, not blank");
      }
    }
    return keywords;
  }

  /** A mapping of names to RE2 patterns (absent: empty); every bad name or pattern is reported. */
  private static Map<String, Pattern> patternMap(
      ItemReader reader, String field, java.util.regex.Pattern names, String nameExpected) {
    JsonNode value = reader.value(field);
    if (value == null) {
      return Map.of();
    }
    String expected = "a mapping of up to " + MAX_ENTRIES + " names (" + nameExpected + ") to RE2 patterns";
    if (!value.isObject() || value.isEmpty() || value.size() > MAX_ENTRIES) {
      reader.fail(field, value, expected);
      return Map.of();
    }
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    value.properties().forEach(entry -> {
      String at = field + "." + entry.getKey();
      if (!names.matcher(entry.getKey()).matches()) {
        reader.failText(field, entry.getKey(), nameExpected);
      } else if (!entry.getValue().isTextual()) {
        reader.fail(at, entry.getValue(), "an RE2 pattern (a string)");
      } else {
        compile(reader, at, entry.getValue().asText()).ifPresent(pattern -> patterns.put(entry.getKey(), pattern));
      }
    });
    return patterns;
  }

  private static Optional<Pattern> compile(ItemReader reader, String field, String source) {
    if (source.isEmpty() || source.length() > MAX_PATTERN_LENGTH) {
      reader.failText(field, source, "an RE2 pattern of 1 to " + MAX_PATTERN_LENGTH + " characters");
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(source));
    } catch (PatternSyntaxException e) {
      reader.failText(field, source, "an RE2 pattern (no backreferences or lookaround); RE2 says: " + e.getDescription());
      return Optional.empty();
    }
  }
}
