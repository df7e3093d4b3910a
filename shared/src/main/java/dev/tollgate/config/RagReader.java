package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.rag.RagRule;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks one retrieval policy item ({@code pk = rag#NAME}, {@code sk = rag}): which
 * knowledge base grounds the requests it matches, and how.
 */
final class RagReader {

  static final String NAME_EXPECTED = "'rag#' followed by a name of 1 to 64 characters: letters, digits and . _ -";
  static final String KB_EXPECTED =
      "a knowledge base id of 1 to 64 characters: letters, digits and . _ - (as given to 'tollgate kb ingest --kb')";
  static final long MAX_ORDER = 1_000_000;
  static final int MIN_CONTEXT_CHARS = 200;
  static final int MAX_CONTEXT_CHARS = 200_000;
  static final int MAX_FILTER_ENTRIES = 20;
  static final int MAX_FILTER_VALUE_CHARS = 256;
  static final Pattern METADATA_KEY = Pattern.compile("[^\\p{Cntrl}]{1,64}");
  private static final Pattern ANY = Pattern.compile("(?s).*");
  private static final Map<String, RagRule.Inject> INJECT = Map.of("system", RagRule.Inject.SYSTEM, "user", RagRule.Inject.USER);
  private static final Map<String, RagRule.OnError> ON_ERROR = Map.of("answer", RagRule.OnError.ANSWER, "fail", RagRule.OnError.FAIL);
  private static final Set<String> FIELDS =
      Set.of("kb", "models", "groups", "topK", "minScore", "filter", "inject", "onError", "maxContextChars", "order",
          "optional", "onRequest", "description");

  private RagReader() {}

  static Optional<RagRule> read(ConfigItem item, ItemReader reader) {
    String name = item.pk().substring(ItemKeys.RAG_PREFIX.length());
    if (!RagRule.NAME.matcher(name).matches()) {
      reader.failText("pk", item.pk(), NAME_EXPECTED);
    }
    if (!item.sk().equals(ItemKeys.RAG_SK)) {
      reader.failItem("sk to be 'rag' for a retrieval policy item");
    }
    reader.rejectUnknown(FIELDS);
    String kb = reader.requiredString("kb", RagRule.KB, KB_EXPECTED);
    if (RagRule.NO_KB.equals(kb)) {
      reader.failText("kb", kb, "a knowledge base id; '" + RagRule.NO_KB + "' is what requests send to ask for no retrieval");
    }
    List<String> models = optionalList(reader, "models", ConfigValidator.ALIAS, ConfigValidator.ALIAS_EXPECTED);
    List<String> groups = optionalList(reader, "groups", ConfigValidator.NAME, "consumer group names of " + ConfigValidator.NAME_EXPECTED);
    int topK = (int) reader.integer("topK", RagRule.DEFAULT_TOP_K, 1, RagRule.MAX_TOP_K);
    double minScore = reader.has("minScore") ? reader.decimal("minScore", BigDecimal.ZERO, BigDecimal.ONE).doubleValue() : 0.0;
    Map<String, String> filter = filter(reader);
    RagRule.Inject inject = choice(reader, "inject", INJECT, RagRule.Inject.SYSTEM,
        "system (one system message after the request's own) or user (in front of the last user message)");
    RagRule.OnError onError = choice(reader, "onError", ON_ERROR, RagRule.OnError.ANSWER,
        "answer (answer without context when retrieval fails) or fail (refuse with 503 retrieval_unavailable)");
    int maxContextChars =
        (int) reader.integer("maxContextChars", RagRule.DEFAULT_MAX_CONTEXT_CHARS, MIN_CONTEXT_CHARS, MAX_CONTEXT_CHARS);
    long order = reader.integer("order", 0, -MAX_ORDER, MAX_ORDER);
    boolean optional = reader.bool("optional", false);
    boolean onRequest = reader.bool("onRequest", false);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new RagRule(name, kb, Set.copyOf(models), Set.copyOf(groups), topK, minScore, filter, inject, onError,
        maxContextChars, order, optional, onRequest));
  }

  private static <T> T choice(ItemReader reader, String field, Map<String, T> choices, T fallback, String expected) {
    Optional<String> text = reader.optionalString(field, ANY, expected);
    if (text.isEmpty()) {
      return fallback;
    }
    T chosen = choices.get(text.get());
    if (chosen == null) {
      reader.failText(field, text.get(), expected);
      return fallback;
    }
    return chosen;
  }

  /** Metadata key to exact value; absent gives no filter. */
  private static Map<String, String> filter(ItemReader reader) {
    JsonNode value = reader.value("filter");
    if (value == null) {
      return Map.of();
    }
    String expected = "a mapping of up to " + MAX_FILTER_ENTRIES + " metadata keys (1 to 64 characters) to the exact value"
        + " every chunk must carry (text of up to " + MAX_FILTER_VALUE_CHARS + " characters)";
    if (!value.isObject() || value.isEmpty() || value.size() > MAX_FILTER_ENTRIES) {
      reader.fail("filter", value, expected);
      return Map.of();
    }
    Map<String, String> filter = new LinkedHashMap<>();
    value.properties().forEach(entry -> {
      JsonNode entryValue = entry.getValue();
      if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
        reader.failText("filter", entry.getKey(), "a metadata key of 1 to 64 characters, no control characters");
      } else if (!(entryValue.isTextual() || entryValue.isNumber() || entryValue.isBoolean())
          || entryValue.asText().length() > MAX_FILTER_VALUE_CHARS) {
        reader.fail("filter." + entry.getKey(), entryValue,
            "the value chunks must carry: a string, number or boolean of up to " + MAX_FILTER_VALUE_CHARS + " characters");
      } else {
        filter.put(entry.getKey(), entryValue.asText());
      }
    });
    return filter;
  }

  private static List<String> optionalList(ItemReader reader, String field, Pattern pattern, String expected) {
    return reader.has(field) ? reader.stringList(field, pattern, expected + " (leave it out to match all)") : List.of();
  }
}
