package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.audit.AuditTrail;
import dev.tollgate.audit.InMemoryAuditSink;
import dev.tollgate.audit.PayloadRedactor;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigSource;
import dev.tollgate.config.RefreshingConfig;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.limit.InMemoryQuotaStore;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.rag.Retriever;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.routing.TargetStatsStore;
import dev.tollgate.telemetry.InMemoryMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real {@link Gateway} built by {@link GatewayAssembly}, credentials from a given environment
 * map, and requests sent the way an edge sends them. Either over in-memory items with the
 * {@link ScriptedProvider} and the mock provider (then {@link #API_KEY} is always configured and
 * may use every alias), or over any config source with the standard providers on a real HTTP
 * client (then the source holds {@link ConfigItems#apiKey()}).
 */
public final class GatewayHarness {

  public static final String API_KEY = "tg-harness-test-key";
  public static final String CHAT_PATH = "/v1/chat/completions";

  private final ScriptedProvider provider = new ScriptedProvider();
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final MutableClock clock;
  private final ConfigSource source;
  private final Gateway gateway;
  private final AtomicInteger requestIds = new AtomicInteger();
  private final InMemoryAuditSink audit = new InMemoryAuditSink();
  private volatile PayloadRedactor redactor = AuditTrail.NO_REDACTION;

  public GatewayHarness(List<ConfigItem> items) {
    this(items, Map.of());
  }

  public GatewayHarness(List<ConfigItem> items, Map<String, String> environment) {
    this(new StaticConfigSource("test items", withHarnessKey(items)), environment, Duration.ofSeconds(15), false);
  }

  private GatewayHarness(
      ConfigSource source, Map<String, String> environment, Duration refresh, boolean standardProviders) {
    this(source, environment, refresh, standardProviders, (registry, clock) -> registry);
  }

  private GatewayHarness(
      ConfigSource source,
      Map<String, String> environment,
      Duration refresh,
      boolean standardProviders,
      java.util.function.BiFunction<ProviderRegistry, MutableClock, ProviderRegistry> extraProviders) {
    this(source, environment, refresh, standardProviders, extraProviders, new InMemoryQuotaStore(),
        MutableClock.startingAt("2026-01-02T03:04:05Z"), ports -> ports);
  }

  private GatewayHarness(
      ConfigSource source,
      Map<String, String> environment,
      Duration refresh,
      boolean standardProviders,
      java.util.function.BiFunction<ProviderRegistry, MutableClock, ProviderRegistry> extraProviders,
      QuotaStore quotaStore,
      MutableClock clock,
      UnaryOperator<GatewayAssembly.Ports> extraPorts) {
    this.source = source;
    this.clock = clock;
    ProviderRegistry providers =
        extraProviders.apply(
            standardProviders
                ? GatewayAssembly.standardProviders(new UpstreamHttp(), clock)
                : new ProviderRegistry().register(provider).register(new MockProvider(clock)),
            clock);
    gateway =
        GatewayAssembly.build(
            extraPorts.apply(new GatewayAssembly.Ports(
                source, new EnvCredentialResolver(environment), metrics, clock, refresh, RandomSource.seeded(7), quotaStore,
                audit)),
            providers,
            RefreshingConfig.IN_PLACE, // tests step the clock and expect the next request to see edits
            text -> redactor.redact(text));
  }

  /**
   * Over in-memory items like {@link #GatewayHarness(List)}, with cluster-mode limits counted in
   * {@code quotaStore} (shared by several harnesses to play several gateway instances) on a clock
   * starting at {@code start}.
   */
  public static GatewayHarness withQuotaStore(List<ConfigItem> items, QuotaStore quotaStore, Instant start) {
    return new GatewayHarness(
        new StaticConfigSource("test items", withHarnessKey(items)), Map.of(), Duration.ofSeconds(15), false,
        (registry, clock) -> registry, quotaStore, new MutableClock(start), ports -> ports);
  }

  /** Over in-memory items like {@link #GatewayHarness(List)}, with knowledge-base retrievals answered by {@code retriever}. */
  public static GatewayHarness withRetriever(List<ConfigItem> items, Retriever retriever) {
    return new GatewayHarness(
        new StaticConfigSource("test items", withHarnessKey(items)), Map.of(), Duration.ofSeconds(15), false,
        (registry, clock) -> registry, new InMemoryQuotaStore(), MutableClock.startingAt("2026-01-02T03:04:05Z"),
        ports -> ports.withRetriever(retriever));
  }

  /** Over in-memory items like {@link #GatewayHarness(List)}, with {@code embedder} as the gateway's embedding model. */
  public static GatewayHarness withEmbedder(List<ConfigItem> items, TextEmbedder embedder) {
    return new GatewayHarness(
        new StaticConfigSource("test items", withHarnessKey(items)), Map.of(), Duration.ofSeconds(15), false,
        (registry, clock) -> registry, new InMemoryQuotaStore(), MutableClock.startingAt("2026-01-02T03:04:05Z"),
        ports -> ports.withEmbedder(embedder));
  }

  /** How often a harness with a stats store merges into it (by its clock). */
  public static final Duration STATS_SYNC = Duration.ofSeconds(5);

  /**
   * The production providers over {@code source}, with target statistics and pauses shared through
   * {@code statsStore} (several harnesses on one store play several instances), on {@code clock}.
   */
  public static GatewayHarness withStatsStore(
      ConfigSource source, Map<String, String> environment, TargetStatsStore statsStore, MutableClock clock) {
    return new GatewayHarness(source, environment, Duration.ofMinutes(5), true, (registry, c) -> registry,
        new InMemoryQuotaStore(), clock, ports -> ports.withTargetStatsStore(statsStore, STATS_SYNC));
  }

  /**
   * Over in-memory items like {@link #GatewayHarness(List)}, on {@code clock}, with the ports
   * changed by {@code ports} (a cache store, an embedding model, ...).
   */
  public static GatewayHarness withPorts(
      List<ConfigItem> items, java.util.function.UnaryOperator<GatewayAssembly.Ports> ports, MutableClock clock) {
    return new GatewayHarness(
        new StaticConfigSource("test items", withHarnessKey(items)), Map.of(), Duration.ofSeconds(15), false,
        (registry, c) -> registry, new InMemoryQuotaStore(), clock, ports);
  }

  /** The production providers on a real HTTP client, over {@code source}. */
  public static GatewayHarness withStandardProviders(
      ConfigSource source, Map<String, String> environment, Duration refresh) {
    return new GatewayHarness(source, environment, refresh, true);
  }

  /** The production providers plus those {@code extraProviders} registers (given the harness clock). */
  public static GatewayHarness withStandardProviders(
      ConfigSource source,
      Map<String, String> environment,
      Duration refresh,
      java.util.function.BiFunction<ProviderRegistry, MutableClock, ProviderRegistry> extraProviders) {
    return new GatewayHarness(source, environment, refresh, true, extraProviders);
  }

  private static List<ConfigItem> withHarnessKey(List<ConfigItem> items) {
    List<ConfigItem> all = new ArrayList<>(items);
    all.add(ConfigItems.keyFor(API_KEY, "harness", "*").build());
    return all;
  }

  /** A minimal valid chat body for {@code alias}. */
  public static String chatBody(String alias) {
    return "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  /** The same minimal chat body as a JSON tree. */
  public static ObjectNode chatJson(String alias) {
    return (ObjectNode) Json.parse(chatBody(alias));
  }

  /** POSTs a chat completion with {@link #API_KEY}. */
  public GatewayResponse chat(String body) {
    return send("POST", CHAT_PATH, Map.of("Authorization", "Bearer " + API_KEY), body);
  }

  public GatewayResponse chatWith(String alias) {
    return chat(chatBody(alias));
  }

  public GatewayResponse send(String method, String path, Map<String, String> headers, String body) {
    return send(method, path, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  public GatewayResponse send(String method, String path, Map<String, String> headers, byte[] body) {
    return gateway.handle(new GatewayRequest(method, path, headers, body, "req-" + requestIds.incrementAndGet()));
  }

  public GatewayResponse send(GatewayRequest request) {
    return gateway.handle(request);
  }

  /** The response body as JSON. */
  public static JsonNode json(GatewayResponse response) {
    return Json.parse(response.bodyText());
  }

  /** The {@code error.code} of an error response. */
  public static String errorCode(GatewayResponse response) {
    return json(response).path("error").path("code").asText();
  }

  public static String errorMessage(GatewayResponse response) {
    return json(response).path("error").path("message").asText();
  }

  public ScriptedProvider provider() {
    return provider;
  }

  public InMemoryMetrics metrics() {
    return metrics;
  }

  /** The audit records every request left. */
  public InMemoryAuditSink audit() {
    return audit;
  }

  /** Audit payloads (routes with auditPayloads) are redacted by {@code redactor} from now on. */
  public void redactPayloadsWith(PayloadRedactor redactor) {
    this.redactor = redactor;
  }

  public MutableClock clock() {
    return clock;
  }

  /** The in-memory source of a harness built from items. */
  public StaticConfigSource source() {
    return (StaticConfigSource) source;
  }

  public Gateway gateway() {
    return gateway;
  }
}
