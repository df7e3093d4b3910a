package dev.tollgate.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a fresh stored answer for a request: by its exact key, then (semantic policies) by the
 * closest last user message in its semantic bucket. Every store or embedding failure is a miss.
 */
final class CacheLookup {

  private static final Logger LOG = LoggerFactory.getLogger(CacheLookup.class);

  /** A stored answer found for the request; {@code similarity} only for a semantic match. */
  record Hit(ObjectNode completion, Instant storedAt, OptionalDouble similarity) {}

  /** What a lookup found, and the vector it computed (reused when the answer is stored). */
  record Result(Optional<Hit> hit, float[] vector) {}

  private final CacheStore store;
  private final TextEmbedder embedder;
  private final Metrics metrics;

  CacheLookup(CacheStore store, TextEmbedder embedder, Metrics metrics) {
    this.store = store;
    this.embedder = embedder;
    this.metrics = metrics;
  }

  Result find(CacheRequest request, Instant now) {
    Optional<Hit> exact = read(request.exactKey(), now, request.rule().ttl()).map(a -> hit(a, OptionalDouble.empty()));
    if (exact.isPresent() || !request.semantic()) {
      return new Result(exact.filter(h -> h.completion() != null), null);
    }
    float[] vector = embed(request.lastUserText());
    if (vector == null) {
      return new Result(Optional.empty(), null);
    }
    Optional<SemanticIndex.Match> match =
        read(request.semanticKey(), now, request.rule().ttl())
            .map(item -> SemanticIndex.fromJson(item.body()))
            .flatMap(index -> index.best(vector, embedder.modelId(), request.rule().similarity(),
                SemanticIndex.oldest(now, request.rule().ttl())));
    Optional<Hit> semantic =
        match.flatMap(m -> read(m.key(), now, request.rule().ttl()).map(a -> hit(a, OptionalDouble.of(m.similarity()))));
    return new Result(semantic.filter(h -> h.completion() != null), vector);
  }

  /** The vector of {@code text}, or null (counted) when the model fails: the request goes on as a miss. */
  float[] embed(String text) {
    try {
      return embedder.embed(text);
    } catch (RuntimeException e) {
      metrics.increment(MetricNames.CACHE_EMBEDDING_FAILED);
      LOG.warn("Semantic cache: the embedding failed, lookup skipped: {}", e.toString());
      return null;
    }
  }

  String modelId() {
    return embedder.modelId();
  }

  /** An entry fresh by its own expiry and by the policy's ttl now (a ttl shortened since it was stored counts). */
  private Optional<CachedAnswer> read(String key, Instant now, Duration ttl) {
    try {
      return store.get(key).filter(answer -> answer.freshAt(now) && now.isBefore(answer.storedAt().plus(ttl)));
    } catch (RuntimeException e) {
      metrics.increment(MetricNames.CACHE_STORE_FAILED);
      LOG.warn("Response cache: the read failed, answered as a miss: {}", e.toString());
      return Optional.empty();
    }
  }

  private static Hit hit(CachedAnswer answer, OptionalDouble similarity) {
    // a damaged item is no answer: the null completion is filtered out as a miss
    ObjectNode completion = Json.parseOrNull(answer.body()) instanceof ObjectNode o ? o : null;
    return new Hit(completion, answer.storedAt(), similarity);
  }
}
