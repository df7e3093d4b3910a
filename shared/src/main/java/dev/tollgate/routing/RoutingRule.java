package dev.tollgate.routing;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One context-aware routing rule ({@code rule#NAME}): when every condition holds, the request's
 * model alias is rewritten to {@code to}. Empty conditions match any request; the tri-state
 * features ({@code hasCode}, {@code hasImages}, {@code hasTools}) match any when empty, else only
 * requests that have (true) or lack (false) the feature. Patterns are compiled when the config is
 * validated and use {@code find}: anchor them with {@code ^...$} to match a whole value. The
 * semantic condition, the only one that costs a model call, is checked last, so a request pays for
 * an embedding only when every cheaper condition of the rule already holds.
 */
public record RoutingRule(
    String name,
    long order,
    String to,
    Set<String> models,
    Set<String> groups,
    Map<String, Pattern> headers,
    Map<String, Pattern> metadata,
    Optional<Pattern> pattern,
    List<String> keywords,
    long minPromptTokens,
    Optional<Boolean> hasCode,
    Optional<Boolean> hasImages,
    Optional<Boolean> hasTools,
    Optional<SemanticCondition> semantic) {

  /** The alias a client sends to have the rules pick its model. */
  public static final String AUTO = "auto";

  /** A rule without a semantic condition. */
  public RoutingRule(
      String name,
      long order,
      String to,
      Set<String> models,
      Set<String> groups,
      Map<String, Pattern> headers,
      Map<String, Pattern> metadata,
      Optional<Pattern> pattern,
      List<String> keywords,
      long minPromptTokens,
      Optional<Boolean> hasCode,
      Optional<Boolean> hasImages,
      Optional<Boolean> hasTools) {
    this(name, order, to, models, groups, headers, metadata, pattern, keywords, minPromptTokens, hasCode, hasImages,
        hasTools, Optional.empty());
  }

  public RoutingRule {
    models = Set.copyOf(models);
    groups = Set.copyOf(groups);
    headers = Map.copyOf(headers);
    metadata = Map.copyOf(metadata);
    // Compared against the lower-cased prompt: folded once here, not per request.
    keywords = keywords.stream().map(keyword -> keyword.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether every condition of this rule holds for the request, the semantic one last. */
  public boolean matches(RequestFeatures request) {
    return matchesWithoutSemantic(request) && semantic.map(condition -> condition.score(request).holds()).orElse(true);
  }

  /** Whether every condition but the semantic one holds: what is checked before any embedding. */
  public boolean matchesWithoutSemantic(RequestFeatures request) {
    return (models.isEmpty() || models.contains(request.model()))
        && (groups.isEmpty() || groups.contains(request.group()))
        && all(headers, name -> request.header(name))
        && all(metadata, key -> request.metadata(key))
        && pattern.map(p -> p.matcher(request.lastUserText()).find()).orElse(true)
        && (keywords.isEmpty() || keywords.stream().anyMatch(request.lastUserTextLowerCase()::contains))
        && (minPromptTokens <= 0 || request.promptTokens() >= minPromptTokens)
        && hasCode.map(wanted -> wanted == request.hasCode()).orElse(true)
        && hasImages.map(wanted -> wanted == request.hasImages()).orElse(true)
        && hasTools.map(wanted -> wanted == request.hasTools()).orElse(true);
  }

  /** This rule with {@code condition} as its semantic condition (once its examples are embedded). */
  public RoutingRule withSemantic(SemanticCondition condition) {
    return new RoutingRule(name, order, to, models, groups, headers, metadata, pattern, keywords, minPromptTokens,
        hasCode, hasImages, hasTools, Optional.of(condition));
  }

  private static boolean all(Map<String, Pattern> patterns, java.util.function.Function<String, Optional<String>> values) {
    for (Map.Entry<String, Pattern> entry : patterns.entrySet()) {
      Optional<String> value = values.apply(entry.getKey());
      if (value.isEmpty() || !entry.getValue().matcher(value.get()).find()) {
        return false;
      }
    }
    return true;
  }
}
