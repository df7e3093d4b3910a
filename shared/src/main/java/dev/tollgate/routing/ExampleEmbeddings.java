package dev.tollgate.routing;

import dev.tollgate.embedding.TextEmbedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds the examples of semantic routing rules when a config is loaded, never per request. Vectors
 * are kept by model and text across loads, so a reload (every few seconds) embeds only examples
 * that are new; those no rule uses any more are dropped. When the model cannot embed them the
 * rules keep their condition, unavailable (it never holds), and a warning is logged once per
 * distinct reason; the next load tries again.
 */
public final class ExampleEmbeddings {

  private static final Logger LOG = LoggerFactory.getLogger(ExampleEmbeddings.class);

  private final TextEmbedder embedder;
  private Map<String, float[]> cache = Map.of(); // key: model id, NUL, text
  private String lastWarning = "";

  public ExampleEmbeddings(TextEmbedder embedder) {
    this.embedder = embedder;
  }

  /** {@code rules} with every semantic condition embedded, or marked unavailable with the reason. */
  public synchronized List<RoutingRule> embed(List<RoutingRule> rules) {
    Set<String> texts = new LinkedHashSet<>();
    rules.forEach(rule -> rule.semantic().ifPresent(condition -> texts.addAll(condition.examples())));
    if (texts.isEmpty()) {
      cache = Map.of();
      return rules;
    }
    Optional<String> failure = fill(texts);
    failure.ifPresentOrElse(this::warnOnce, () -> lastWarning = "");
    List<RoutingRule> embedded = new ArrayList<>(rules.size());
    for (RoutingRule rule : rules) {
      embedded.add(rule.semantic().map(condition -> rule.withSemantic(embed(condition, failure))).orElse(rule));
    }
    return embedded;
  }

  /** How many example vectors are kept for the next load. */
  public synchronized int cached() {
    return cache.size();
  }

  private SemanticCondition embed(SemanticCondition condition, Optional<String> failure) {
    if (failure.isPresent()) {
      return condition.failed(failure.get());
    }
    return condition.embedded(embedder.modelId(), condition.examples().stream().map(text -> cache.get(key(text))).toList());
  }

  /** Keeps the vectors of {@code texts} only, embedding in one call those not kept yet; the failure, if any. */
  private Optional<String> fill(Set<String> texts) {
    Map<String, float[]> next = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String text : texts) {
      float[] known = cache.get(key(text));
      if (known != null) {
        next.put(key(text), known);
      } else {
        missing.add(text);
      }
    }
    if (!missing.isEmpty()) {
      try {
        List<float[]> vectors = embedder.embed(missing);
        for (int i = 0; i < missing.size(); i++) {
          next.put(key(missing.get(i)), vectors.get(i));
        }
      } catch (RuntimeException e) {
        cache = next; // keep what is known; the next load embeds the rest
        return Optional.of("the embedding model (" + embedder.modelId() + ") could not embed the examples: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }
    cache = next;
    return Optional.empty();
  }

  private void warnOnce(String reason) {
    if (!reason.equals(lastWarning)) {
      lastWarning = reason;
      LOG.warn("Semantic routing rules will not match until their examples are embedded: {}", reason);
    }
  }

  private String key(String text) {
    return embedder.modelId() + '\u0000' + text;
  }
}
