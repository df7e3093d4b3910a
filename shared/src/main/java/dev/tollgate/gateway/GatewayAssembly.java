package dev.tollgate.gateway;

import dev.tollgate.api.anthropic.MessagesRequestTranslator;
import dev.tollgate.audit.AuditSink;
import dev.tollgate.audit.AuditTrail;
import dev.tollgate.audit.PayloadRedactor;
import dev.tollgate.auth.AuthPolicy;
import dev.tollgate.cache.CachePolicy;
import dev.tollgate.cache.CacheStore;
import dev.tollgate.config.ConfigSource;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.RefreshingConfig;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.limit.InMemoryQuotaStore;
import dev.tollgate.limit.QuotaPolicy;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.moderation.Guardrail;
import dev.tollgate.moderation.GuardrailPolicy;
import dev.tollgate.moderation.ModerationEnqueuePolicy;
import dev.tollgate.moderation.ModerationQueue;
import dev.tollgate.moderation.PiiRedactor;
import dev.tollgate.moderation.RequestFilter;
import dev.tollgate.moderation.ResponseFilter;
import dev.tollgate.pipeline.AnswerCapture;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.ValidationPolicy;
import dev.tollgate.prompt.PromptDecoratorPolicy;
import dev.tollgate.prompt.PromptGuardPolicy;
import dev.tollgate.prompt.PromptTemplatePolicy;
import dev.tollgate.provider.CredentialResolver;
import dev.tollgate.rag.RagPolicy;
import dev.tollgate.rag.Retriever;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.anthropic.AnthropicProvider;
import dev.tollgate.provider.gemini.GeminiProvider;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.provider.openai.OpenAiCompatibleProvider;
import dev.tollgate.provider.openai.OpenAiVendor;
import dev.tollgate.routing.CircuitBreakers;
import dev.tollgate.routing.FailoverPolicy;
import dev.tollgate.routing.ModelListPolicy;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.routing.RoutePolicy;
import dev.tollgate.routing.RoutingRulePolicy;
import dev.tollgate.routing.SharedTargetStats;
import dev.tollgate.routing.TargetStatsStore;
import dev.tollgate.routing.WeightedSelector;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Builds a {@link Gateway} from its ports. The order of the request pipeline is written here and
 * nowhere else; later capabilities insert their policies into this list.
 */
public final class GatewayAssembly {

  /** How often config is reloaded at most; edits in the table take effect within this. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(15);

  private GatewayAssembly() {}

  /** What a gateway needs from its surroundings. */
  public record Ports(
      ConfigSource configSource,
      CredentialResolver credentials,
      Metrics metrics,
      InstantSource clock,
      Duration refreshInterval,
      RandomSource random,
      QuotaStore quotaStore,
      AuditSink auditSink,
      Guardrail guardrail,
      ModerationQueue moderationQueue,
      TextEmbedder embedder,
      Retriever retriever,
      TargetStatsStore targetStatsStore,
      Duration statsSyncInterval,
      CacheStore cacheStore) {

    /** These ports with target statistics and pauses shared through {@code store}, merged and read every {@code interval}. */
    public Ports withTargetStatsStore(TargetStatsStore store, Duration interval) {
      return new Ports(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, auditSink,
          guardrail, moderationQueue, embedder, retriever, store, interval, cacheStore);
    }

    /** These ports with {@code cacheStore} keeping cached responses. */
    public Ports withCacheStore(CacheStore cacheStore) {
      return new Ports(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, auditSink,
          guardrail, moderationQueue, embedder, retriever, targetStatsStore, statsSyncInterval, cacheStore);
    }

    /** Ports with no embedding model and no knowledge base (semantic features and RAG answer as unavailable). */
    public Ports(
        ConfigSource configSource,
        CredentialResolver credentials,
        Metrics metrics,
        InstantSource clock,
        Duration refreshInterval,
        RandomSource random,
        QuotaStore quotaStore,
        AuditSink auditSink,
        Guardrail guardrail,
        ModerationQueue moderationQueue) {
      this(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, auditSink, guardrail,
          moderationQueue, TextEmbedder.NONE, Retriever.NONE, TargetStatsStore.NONE, SharedTargetStats.DEFAULT_INTERVAL,
          CacheStore.NONE);
    }

    /** These ports with {@code embedder} as the gateway's embedding model. */
    public Ports withEmbedder(TextEmbedder embedder) {
      return new Ports(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, auditSink,
          guardrail, moderationQueue, embedder, retriever, targetStatsStore, statsSyncInterval, cacheStore);
    }

    /** These ports with {@code retriever} answering knowledge-base retrievals. */
    public Ports withRetriever(Retriever retriever) {
      return new Ports(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, auditSink,
          guardrail, moderationQueue, embedder, retriever, targetStatsStore, statsSyncInterval, cacheStore);
    }

    /**
     * Ports with an audit table but no guardrail service (input checks fail, as their onError
     * says) and no moderation queue (output moderation off).
     */
    public Ports(
        ConfigSource configSource,
        CredentialResolver credentials,
        Metrics metrics,
        InstantSource clock,
        Duration refreshInterval,
        RandomSource random,
        QuotaStore quotaStore,
        AuditSink auditSink) {
      this(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, auditSink, Guardrail.NONE,
          ModerationQueue.NONE);
    }

    /** Ports with guardrails and a moderation queue but no audit table: records are dropped. */
    public Ports(
        ConfigSource configSource,
        CredentialResolver credentials,
        Metrics metrics,
        InstantSource clock,
        Duration refreshInterval,
        RandomSource random,
        QuotaStore quotaStore,
        Guardrail guardrail,
        ModerationQueue moderationQueue) {
      this(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, AuditSink.NONE, guardrail,
          moderationQueue);
    }

    /** Ports without an audit table, guardrail service or moderation queue (tests and priming that need none). */
    public Ports(
        ConfigSource configSource,
        CredentialResolver credentials,
        Metrics metrics,
        InstantSource clock,
        Duration refreshInterval,
        RandomSource random,
        QuotaStore quotaStore) {
      this(configSource, credentials, metrics, clock, refreshInterval, random, quotaStore, AuditSink.NONE);
    }

    /**
     * Ports whose cluster-mode limits count in this process's memory: for tests and priming, where
     * one instance is all there is.
     */
    public Ports(
        ConfigSource configSource,
        CredentialResolver credentials,
        Metrics metrics,
        InstantSource clock,
        Duration refreshInterval,
        RandomSource random) {
      this(configSource, credentials, metrics, clock, refreshInterval, random, new InMemoryQuotaStore());
    }
  }

  /** Every provider type this build knows, sharing one HTTP client. */
  public static ProviderRegistry standardProviders(UpstreamHttp http, InstantSource clock) {
    ProviderRegistry registry = new ProviderRegistry();
    for (OpenAiVendor vendor : OpenAiVendor.ALL) {
      registry.register(new OpenAiCompatibleProvider(vendor, http));
    }
    registry.register(new AnthropicProvider(http, clock));
    registry.register(new GeminiProvider(http, clock));
    registry.register(new MockProvider(clock));
    return registry;
  }

  public static Gateway build(Ports ports, ProviderRegistry providers) {
    return build(ports, providers, RefreshingConfig.IN_BACKGROUND);
  }

  /**
   * As above, with due config reloads run by {@code configReloader}; audit payloads are redacted
   * by every built-in PII rule of the response filters.
   */
  public static Gateway build(Ports ports, ProviderRegistry providers, Executor configReloader) {
    return build(ports, providers, configReloader, PiiRedactor.ALL);
  }

  /** As above, with audit payloads (routes with {@code auditPayloads}) redacted by {@code redactor}. */
  public static Gateway build(
      Ports ports, ProviderRegistry providers, Executor configReloader, PayloadRedactor redactor) {
    RefreshingConfig config =
        new RefreshingConfig(
            ports.configSource(),
            new ConfigValidator(providers, ports.embedder()), // embeds semantic rules' examples once per change
            ports.refreshInterval(),
            ports.clock(),
            ports.metrics(),
            configReloader);
    WeightedSelector selector = new WeightedSelector(ports.random());
    AuthPolicy auth = new AuthPolicy();
    // one breaker per target for this instance, shared by chat and embeddings requests
    CircuitBreakers breakers = new CircuitBreakers(ports.clock(), ports.metrics());
    // per-target latency and error figures, merged with other instances' through the stats store
    SharedTargetStats stats =
        new SharedTargetStats(
            ports.targetStatsStore(), ports.clock(), ports.statsSyncInterval(), configReloader, ports.metrics());
    FailoverPolicy failover = FailoverPolicy.chat(providers, ports.credentials(), selector, ports.metrics(), breakers, stats);
    QuotaPolicy limits = new QuotaPolicy(ports.quotaStore(), new InMemoryQuotaStore(), ports.clock(), ports.metrics());
    GuardrailPolicy guardrails = new GuardrailPolicy(ports.guardrail(), ports.metrics());
    ModerationEnqueuePolicy moderation = new ModerationEnqueuePolicy(ports.moderationQueue(), ports.metrics(), ports.clock());
    // the policies the OpenAI chat and the Anthropic messages pipelines share (same state, same counters)
    ChatStages stages =
        new ChatStages(
            auth,
            guardrails,
            new RoutingRulePolicy(ports.embedder(), ports.metrics()),
            new RagPolicy(ports.retriever(), ports.metrics()),
            // cache writes run on the thread that completes the body: in Lambda nothing may outlive the response
            new CachePolicy(ports.cacheStore(), ports.embedder(), ports.clock(), ports.metrics(), Runnable::run),
            limits,
            moderation,
            failover);
    Pipeline chat = chatPipeline(new ValidationPolicy(), stages);
    // Anthropic Messages clients: the same chat pipeline behind a translating validation step
    Pipeline messages = chatPipeline(new ValidationPolicy(MessagesRequestTranslator::translate), stages);
    Pipeline embeddings =
        new Pipeline(
            List.of(
                auth, // 401: who is calling
                ValidationPolicy.embeddings(), // 413 / 400: size, JSON, embeddings request shape
                new RoutePolicy(), // 404 / 403: which alias, may this consumer use it
                limits, // 429: reserve what the limit policies expect, settle when done
                FailoverPolicy.embeddings(providers, ports.credentials(), selector, ports.metrics(), breakers, stats)));
    Pipeline models = new Pipeline(List.of(auth, new ModelListPolicy()));
    AuditTrail audit = new AuditTrail(ports.auditSink(), redactor, ports.clock(), ports.metrics());
    return new Gateway(config, ports.random(), chat, messages, models, embeddings, ports.metrics(), audit);
  }

  /** The stateful policies built once per gateway and shared by its chat-shaped pipelines. */
  private record ChatStages(
      AuthPolicy auth,
      GuardrailPolicy guardrails,
      RoutingRulePolicy rules,
      RagPolicy rag,
      CachePolicy cache,
      QuotaPolicy limits,
      ModerationEnqueuePolicy moderation,
      FailoverPolicy failover) {}

  private static Pipeline chatPipeline(ValidationPolicy validation, ChatStages stages) {
    return new Pipeline(
        List.of(
            // audit: the Gateway registers the record's final hook on every exchange before this runs
            stages.auth(), // 401: who is calling
            validation, // 413 / 400: size, JSON, request shape; takes out the tollgate extension
            new PromptTemplatePolicy(), // 400 / 403: expands the template the request names
            new PromptDecoratorPolicy(), // puts configured messages around the request's
            new PromptGuardPolicy(), // 400 prompt_blocked, or a flag for the audit
            new RequestFilter(), // 400 request_blocked, or PII redacted from user messages before they leave
            stages.guardrails(), // 400 / 503: Bedrock guardrails check the prompt, before any token is reserved
            stages.rules(), // the first matching routing rule rewrites the alias; 400 for an unmatched auto
            new RoutePolicy(), // 404 / 403: which alias, may this consumer use it
            // 403 / 503: grounds the answer in a knowledge base; after routing (the alias is final and allowed,
            // so no retrieval is spent on a refused request), before limits (the context's tokens are reserved)
            stages.rag(),
            // a fresh cached answer answers here (no upstream, no reservation); a miss is stored when complete
            stages.cache(),
            stages.limits(), // 429: reserve what the limit policies expect (per attempt), settle when done
            new AnswerCapture(), // keeps the answer text the client is sent, for audit and moderation
            // after the audit hook (registered earlier in the list): enqueues the answer once it is over
            stages.moderation(),
            new ResponseFilter(), // redacts or blocks the answer (streams too) before capture and client see it
            stages.failover()));
  }
}
