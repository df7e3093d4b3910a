package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.moderation.Detector;
import dev.tollgate.moderation.FilterPolicy;
import dev.tollgate.moderation.FilterPolicy.Action;
import dev.tollgate.moderation.FilterPolicy.Side;
import dev.tollgate.moderation.PiiType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks one filter item ({@code pk = filter#NAME}, {@code sk = filter}). Its patterns
 * are compiled here, once per config snapshot: a pattern RE2 cannot compile, or one that matches
 * empty text, is an error on the item, which is then left out whole.
 */
final class FilterReader {

  static final String NAME_EXPECTED = "'filter#' followed by a filter name of 1 to 64 characters: letters, digits and . _ -";
  static final String PATTERN_EXPECTED = "an RE2 pattern of 1 to " + FilterReader.MAX_PATTERN_CHARS
      + " characters (linear-time syntax: no backreferences or lookaround)";
  static final int MAX_PATTERN_CHARS = 1000;
  static final int MAX_PATTERNS = 100;
  private static final java.util.regex.Pattern CUSTOM_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Map<String, Action> ACTIONS = Map.of("redact", Action.REDACT, "block", Action.BLOCK);
  private static final Map<String, Side> SIDES = Map.of("response", Side.RESPONSE, "request", Side.REQUEST, "both", Side.BOTH);
  private static final Set<String> FIELDS =
      Set.of("deny", "pii", "custom", "action", "on", "models", "groups", "maxMatchChars", "description");
  private static final java.util.regex.Pattern ANY = java.util.regex.Pattern.compile("(?s).*");

  private FilterReader() {}

  static Optional<FilterPolicy> read(ConfigItem item, ItemReader reader) {
    String name = item.pk().substring(ItemKeys.FILTER_PREFIX.length());
    if (!FilterPolicy.NAME.matcher(name).matches()) {
      reader.failText("pk", item.pk(), NAME_EXPECTED);
    }
    if (!item.sk().equals(ItemKeys.FILTER_SK)) {
      reader.failItem("sk to be 'filter' for a filter item");
    }
    reader.rejectUnknown(FIELDS);
    int maxMatchChars =
        (int) reader.integer("maxMatchChars", FilterPolicy.DEFAULT_MAX_MATCH_CHARS, FilterPolicy.MIN_MAX_MATCH_CHARS,
            FilterPolicy.MAX_MAX_MATCH_CHARS);
    List<Detector> detectors = new ArrayList<>();
    detectors.addAll(readDeny(reader));
    detectors.addAll(readPii(reader));
    detectors.addAll(readCustom(reader));
    if (detectors.isEmpty() && reader.ok()) {
      reader.failItem("at least one of deny, pii or custom (a filter that looks for nothing does nothing)");
    }
    Action action = oneOf(reader, "action", ACTIONS, Action.REDACT);
    Side on = oneOf(reader, "on", SIDES, Side.RESPONSE);
    Set<String> models = Set.copyOf(optionalList(reader, "models", ConfigValidator.ALIAS, ConfigValidator.ALIAS_EXPECTED));
    Set<String> groups =
        Set.copyOf(optionalList(reader, "groups", ConfigValidator.NAME, "group names of " + ConfigValidator.NAME_EXPECTED));
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new FilterPolicy(name, detectors, action, on, models, groups, maxMatchChars));
  }

  private static List<Detector> readDeny(ItemReader reader) {
    String expected = "a list of up to " + MAX_PATTERNS + " patterns, each " + PATTERN_EXPECTED;
    List<String> patterns = reader.textList("deny", expected).orElse(List.of());
    if (patterns.size() > MAX_PATTERNS) {
      reader.fail("deny", reader.raw("deny"), expected);
      return List.of();
    }
    List<Detector> detectors = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      int index = i;
      compile(reader, "deny", patterns.get(i))
          .ifPresent(p -> detectors.add(new Detector(p, "deny[" + index + "]", "[REDACTED:deny]", Detector.UNBOUNDED)));
    }
    return detectors;
  }

  private static List<Detector> readPii(ItemReader reader) {
    String expected = "a list of PII types, each at most once, from: " + PiiType.names();
    List<String> names = reader.textList("pii", expected).orElse(List.of());
    List<Detector> detectors = new ArrayList<>();
    Set<PiiType> seen = new HashSet<>();
    for (String name : names) {
      Optional<PiiType> type = PiiType.byConfigName(name);
      if (type.isEmpty() || !seen.add(type.get())) {
        reader.failText("pii", name, expected);
      } else {
        detectors.add(type.get().detector());
      }
    }
    return detectors;
  }

  private static List<Detector> readCustom(ItemReader reader) {
    JsonNode custom = reader.raw("custom");
    if (custom == null) {
      return List.of();
    }
    String expected = "a list of up to " + MAX_PATTERNS + " {name, pattern} entries";
    if (!custom.isArray() || custom.size() > MAX_PATTERNS) {
      reader.fail("custom", custom, expected);
      return List.of();
    }
    List<Detector> detectors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < custom.size(); i++) {
      String field = "custom[" + i + "]";
      JsonNode entry = custom.get(i);
      JsonNode name = entry.get("name");
      JsonNode pattern = entry.get("pattern");
      if (!entry.isObject() || entry.size() != 2 || name == null || pattern == null) {
        reader.fail(field, entry, "an entry with exactly a name and a pattern");
        continue;
      }
      if (!name.isTextual() || !CUSTOM_NAME.matcher(name.asText()).matches()) {
        reader.fail(field + ".name", name, "1 to 64 characters: letters, digits and . _ -");
        continue;
      }
      if (!names.add(name.asText())) {
        reader.failText(field + ".name", name.asText(), "a name no other custom pattern of this filter has");
        continue;
      }
      if (!pattern.isTextual()) {
        reader.fail(field + ".pattern", pattern, PATTERN_EXPECTED);
        continue;
      }
      compile(reader, field + ".pattern", pattern.asText())
          .ifPresent(p -> detectors.add(new Detector(p, "custom:" + name.asText(), Detector.UNBOUNDED)));
    }
    return detectors;
  }

  /** Compiles one pattern, or records why it cannot be used. */
  private static Optional<Pattern> compile(ItemReader reader, String field, String pattern) {
    if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_CHARS) {
      reader.failText(field, pattern, PATTERN_EXPECTED);
      return Optional.empty();
    }
    Pattern compiled;
    try {
      compiled = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      reader.failText(field, pattern, PATTERN_EXPECTED + "; RE2 says: " + e.getDescription());
      return Optional.empty();
    } catch (RuntimeException | StackOverflowError e) {
      reader.failText(field, pattern, PATTERN_EXPECTED + "; RE2 cannot compile it");
      return Optional.empty();
    }
    if (compiled.matcher("").find()) {
      reader.failText(field, pattern, "a pattern that cannot match empty text (this one would match everywhere)");
      return Optional.empty();
    }
    return Optional.of(compiled);
  }

  private static <T> T oneOf(ItemReader reader, String field, Map<String, T> values, T fallback) {
    String expected = "one of " + String.join(", ", new java.util.TreeSet<>(values.keySet()));
    Optional<String> text = reader.optionalString(field, ANY, expected);
    if (text.isEmpty()) {
      return fallback;
    }
    T value = values.get(text.get());
    if (value == null) {
      reader.failText(field, text.get(), expected);
      return fallback;
    }
    return value;
  }

  private static List<String> optionalList(ItemReader reader, String field, java.util.regex.Pattern pattern, String expected) {
    return reader.has(field) ? reader.stringList(field, pattern, expected + " (leave it out to match all)") : List.of();
  }
}
