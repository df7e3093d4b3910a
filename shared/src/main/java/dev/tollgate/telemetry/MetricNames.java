package dev.tollgate.telemetry;

/** Metric names, in one place so dashboards and code agree. */
public final class MetricNames {

  public static final String CONFIG_ITEMS_REJECTED = "ConfigItemsRejected";
  public static final String CONFIG_LOAD_FAILED = "ConfigLoadFailed";
  public static final String REQUESTS = "Requests";
  public static final String CLIENT_ERRORS = "ClientErrors";
  /** Requests answered 5xx (gateway-wide, no dimensions): the 5xx-rate alarm divides it by Requests. */
  public static final String SERVER_ERRORS = "ServerErrors";
  /** Per model, target and consumer (see {@link RequestMetrics}): failed requests (5xx, broken streams). */
  public static final String ERRORS = "Errors";
  public static final String TOKENS_IN = "TokensIn";
  public static final String TOKENS_OUT = "TokensOut";
  public static final String COST_USD = "CostUsd";
  /** Per model, target and consumer: the whole request until its body was over. */
  public static final String LATENCY_MS = "Latency";
  /** Audit records the table refused after retries, written to the log instead. */
  public static final String AUDIT_FALLBACKS = "AuditFallbacks";
  public static final String UPSTREAM_FAILURES = "UpstreamFailures";
  public static final String FALLBACKS = "Fallbacks";
  public static final String OVERHEAD_MS = "GatewayOverhead";
  public static final String UPSTREAM_MS = "UpstreamLatency";
  public static final String PROMPT_TOKENS = "PromptTokens";
  public static final String COMPLETION_TOKENS = "CompletionTokens";
  public static final String STREAMS_INTERRUPTED = "StreamsInterrupted";
  /** Requests answered 429 (or 503 fail-closed) by a limit policy. */
  public static final String LIMIT_REJECTED = "LimitRejected";
  /** Targets passed over because their own limit was spent. */
  public static final String LIMIT_TARGET_SKIPPED = "LimitTargetSkipped";
  /** Targets passed over because their circuit breaker was open or an upstream Retry-After was pending. */
  public static final String BREAKER_SKIPPED = "BreakerSkipped";
  /** Circuit breakers that opened (from closed, or again after a failed half-open probe). */
  public static final String BREAKER_OPENED = "BreakerOpened";
  /** Target statistics the shared store refused or could not give (the request is never failed for it). */
  public static final String STATS_STORE_FAILURES = "StatsStoreFailures";
  public static final String LIMIT_STORE_FAIL_OPEN = "LimitStoreFailOpen";
  public static final String LIMIT_STORE_FAIL_CLOSED = "LimitStoreFailClosed";
  public static final String LIMIT_SETTLE_FAILED = "LimitSettleFailed";
  /** Requests whose semantic routing condition could not be evaluated (no model, or it failed); they route on. */
  public static final String ROUTING_SEMANTIC_UNAVAILABLE = "RoutingSemanticUnavailable";

  /** Chat requests answered from the response cache (exact and semantic). */
  public static final String CACHE_HITS = "CacheHits";
  /** Of those, answered by a semantic match. */
  public static final String CACHE_SEMANTIC_HITS = "CacheSemanticHits";
  public static final String CACHE_MISSES = "CacheMisses";
  /** Requests a cache policy covers that skipped it (Cache-Control, not deterministic). */
  public static final String CACHE_BYPASSED = "CacheBypassed";
  /** Answers not stored because they were over the policy's maxEntryBytes. */
  public static final String CACHE_SKIPPED_OVERSIZE = "CacheSkippedOversize";
  /** Cache reads or writes the store failed (the request went on as a miss). */
  public static final String CACHE_STORE_FAILED = "CacheStoreFailed";
  /** Semantic lookups or writes whose embedding failed (the request went on as an exact-only miss). */
  public static final String CACHE_EMBEDDING_FAILED = "CacheEmbeddingFailed";

  private MetricNames() {}
}
