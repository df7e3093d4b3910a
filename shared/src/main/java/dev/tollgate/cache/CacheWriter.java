package dev.tollgate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores complete, successful answers once the client has them, on {@code executor}: only a
 * completion whose every choice finished for a reason other than {@code content_filter}, no
 * bigger than the policy's {@code maxEntryBytes}. A semantic policy also adds the answer to its
 * bucket's index. A failing store costs a later hit, never the request.
 */
final class CacheWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CacheWriter.class);

  private final CacheStore store;
  private final CacheLookup lookup;
  private final InstantSource clock;
  private final Metrics metrics;
  private final Executor executor;

  CacheWriter(CacheStore store, CacheLookup lookup, InstantSource clock, Metrics metrics, Executor executor) {
    this.store = store;
    this.lookup = lookup;
    this.clock = clock;
    this.metrics = metrics;
    this.executor = executor;
  }

  void write(CacheRequest request, ObjectNode completion, float[] vector) {
    if (!storable(completion)) {
      return;
    }
    try {
      executor.execute(() -> store(request, completion, vector));
    } catch (RuntimeException rejected) {
      LOG.warn("Response cache: the write could not be scheduled: {}", rejected.toString());
    }
  }

  /** Complete answers only: every choice finished, none stopped by a content filter. */
  static boolean storable(JsonNode completion) {
    JsonNode choices = completion.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      return false;
    }
    for (JsonNode choice : choices) {
      String reason = choice.path("finish_reason").asText("");
      if (reason.isEmpty() || reason.equals("content_filter")) {
        return false;
      }
    }
    return true;
  }

  private void store(CacheRequest request, ObjectNode completion, float[] vector) {
    String body = completion.toString();
    if (body.getBytes(StandardCharsets.UTF_8).length > request.rule().maxEntryBytes()) {
      metrics.increment(MetricNames.CACHE_SKIPPED_OVERSIZE);
      return;
    }
    Instant now = clock.instant();
    Instant expires = now.plus(request.rule().ttl());
    try {
      store.put(new CachedAnswer(request.exactKey(), body, now, expires));
      if (request.semantic()) {
        index(request, vector == null ? lookup.embed(request.lastUserText()) : vector, now, expires);
      }
    } catch (RuntimeException e) {
      metrics.increment(MetricNames.CACHE_STORE_FAILED);
      LOG.warn("Response cache: the write failed: {}", e.toString());
    }
  }

  /** Read, add, write back: two instances adding at once may lose one entry, which costs one hit. */
  private void index(CacheRequest request, float[] vector, Instant now, Instant expires) {
    if (vector == null) {
      return;
    }
    SemanticIndex current =
        store.get(request.semanticKey())
            .filter(item -> item.freshAt(now))
            .map(item -> SemanticIndex.fromJson(item.body()))
            .orElse(SemanticIndex.EMPTY);
    SemanticIndex next =
        current.with(new SemanticIndex.Entry(request.exactKey(), now, vector), lookup.modelId(),
            SemanticIndex.oldest(now, request.rule().ttl()));
    store.put(new CachedAnswer(request.semanticKey(), next.toJson(), now, expires));
  }
}
