package dev.tollgate.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.AnswerText;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.auth.Consumer;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.moderation.ResponseFilter;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.Usage;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The response cache step, after routing and before the limits: a hit answers here (no upstream
 * call, no tokens reserved, usage 0); a miss goes on and its answer is stored once the client has
 * it whole (a stream once it ended cleanly). The first cache policy (by name) matching the routed
 * alias and the caller's group decides; none, or {@code mode: off}, leaves the request alone.
 */
public final class CachePolicy implements Policy {

  public static final String STATUS_HEADER = "x-tollgate-cache";
  public static final String SIMILARITY_HEADER = "x-tollgate-cache-similarity";
  public static final String AGE_HEADER = "age";
  public static final String HIT = "hit";
  public static final String MISS = "miss";
  public static final String BYPASS = "bypass";

  private final CacheLookup lookup;
  private final CacheWriter writer;
  private final InstantSource clock;
  private final Metrics metrics;

  /** Writes run on {@code writes}: the calling thread in Lambda, a background one where the process lives on. */
  public CachePolicy(CacheStore store, TextEmbedder embedder, InstantSource clock, Metrics metrics, Executor writes) {
    this.lookup = new CacheLookup(store, embedder, metrics);
    this.writer = new CacheWriter(store, lookup, clock, metrics, writes);
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    String alias = exchange.route().alias();
    Consumer consumer = exchange.consumer().orElseThrow();
    Optional<CacheRule> rule =
        exchange.config().caches().stream().filter(r -> r.matches(alias, consumer.group())).findFirst();
    if (rule.isEmpty() || rule.get().mode() == CacheRule.Mode.OFF) {
      return chain.proceed(exchange);
    }
    ChatRequest chat = exchange.chatRequest();
    if (rule.get().deterministicOnly() && !CacheRequest.deterministic(chat.body())) {
      return bypass(exchange, chain);
    }
    // with retrieval, the semantic lookup compares the caller's question (not the context block put
    // around it) and only among answers grounded in the same chunks
    String context = exchange.sources().stream().map(c -> c.kb() + "/" + c.chunkId()).collect(Collectors.joining(","));
    CacheRequest request =
        CacheRequest.of(rule.get(), chat.body(), alias, consumer, exchange.questionBeforeContext().orElse(chat.lastUserText()),
            exchange.request().header("cache-control"), context);
    if (request.noCache()) {
      return request.noStore() ? bypass(exchange, chain) : proceedAndStore(exchange, chain, request, null, BYPASS);
    }
    Instant now = clock.instant();
    CacheLookup.Result found = lookup.find(request, now);
    if (found.hit().isPresent()) {
      return answer(exchange, chat, found.hit().get(), now);
    }
    return proceedAndStore(exchange, chain, request, found.vector(), MISS);
  }

  private Reply bypass(Exchange exchange, PolicyChain chain) {
    mark(exchange, BYPASS, MetricNames.CACHE_BYPASSED);
    return chain.proceed(exchange);
  }

  private Reply answer(Exchange exchange, ChatRequest chat, CacheLookup.Hit hit, Instant now) {
    mark(exchange, HIT, MetricNames.CACHE_HITS);
    long age = Math.max(0, Duration.between(hit.storedAt(), now).toSeconds());
    exchange.responseHeaders().put(AGE_HEADER, Long.toString(age));
    hit.similarity().ifPresent(similarity -> {
      metrics.increment(MetricNames.CACHE_SEMANTIC_HITS);
      exchange.responseHeaders().put(SIMILARITY_HEADER, String.format(Locale.ROOT, "%.3f", similarity));
    });
    // no upstream answered: usage stays 0, so nothing is settled or priced (the body keeps the original usage)
    exchange.usage(Usage.NONE);
    // the response filters below this step do not see a hit: apply this caller's now (the entry may
    // have been stored under another group's filters, or before a filter was added or tightened)
    ObjectNode completion = ResponseFilter.filterForCaller(exchange, hit.completion());
    exchange.answerText(() -> AnswerText.ofCompletion(completion));
    return new Reply.Completion(completion, chat.stream(), chat.includeUsage());
  }

  private Reply proceedAndStore(
      Exchange exchange, PolicyChain chain, CacheRequest request, float[] vector, String status) {
    mark(exchange, status, status.equals(MISS) ? MetricNames.CACHE_MISSES : MetricNames.CACHE_BYPASSED);
    Reply reply = chain.proceed(exchange);
    if (request.noStore()) {
      return reply;
    }
    return switch (reply) {
      case Reply.Completion completion -> {
        exchange.whenComplete(() -> {
          if (exchange.outcome().filter("ok"::equals).isPresent() && exchange.status() == 200) {
            writer.write(request, completion.completion(), vector);
          }
        });
        yield completion;
      }
      // a stream is stored as the assembled completion, which keeps no logprobs: one asked with them is not stored
      case Reply.Stream stream when asksForLogprobs(exchange.chatRequest().body()) -> stream;
      case Reply.Stream stream -> {
        CompletionAssembler assembler = new CompletionAssembler(stream.chunks());
        exchange.whenComplete(() -> {
          if (exchange.outcome().filter("ok"::equals).isPresent()) {
            assembler.completion().ifPresent(completion -> writer.write(request, completion, vector));
          }
        });
        yield new Reply.Stream(assembler, stream.includeUsage());
      }
      default -> reply;
    };
  }

  private static boolean asksForLogprobs(ObjectNode body) {
    return body.path("logprobs").asBoolean(false) || body.hasNonNull("top_logprobs");
  }

  private void mark(Exchange exchange, String status, String metric) {
    exchange.cacheStatus(status);
    exchange.responseHeaders().put(STATUS_HEADER, status);
    metrics.increment(metric);
  }
}
