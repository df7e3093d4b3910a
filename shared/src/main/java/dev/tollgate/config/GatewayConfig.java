package dev.tollgate.config;

import dev.tollgate.auth.Consumer;
import dev.tollgate.cache.CacheRule;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.ModelPrice;
import dev.tollgate.moderation.FilterPolicy;
import dev.tollgate.moderation.GuardrailRule;
import dev.tollgate.prompt.PromptPolicies;
import dev.tollgate.rag.RagRule;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.RoutingRule;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A validated, immutable snapshot of everything the gateway is configured with. */
public record GatewayConfig(
    Settings settings,
    Map<String, Route> routes,
    Map<String, Consumer> consumersByKeyHash,
    List<LimitPolicy> limits,
    Map<String, ModelPrice> prices,
    Instant loadedAt,
    PromptPolicies prompts,
    List<FilterPolicy> filters,
    List<GuardrailRule> guardrails,
    List<RoutingRule> rules,
    List<RagRule> rag,
    List<CacheRule> caches) {

  public GatewayConfig {
    routes = Map.copyOf(routes);
    consumersByKeyHash = Map.copyOf(consumersByKeyHash);
    // Sorted by name, so every instance evaluates (and reserves) policies in the same order.
    limits = limits.stream().sorted(Comparator.comparing(LimitPolicy::name)).toList();
    // By upstream model or alias: what costUsd limits charge a target that has no prices of its own.
    prices = Map.copyOf(prices);
    prompts = prompts == null ? PromptPolicies.NONE : prompts;
    // Sorted by name, so a request's filters scan (and the first blocking one is named) alike everywhere.
    filters = filters.stream().sorted(Comparator.comparing(FilterPolicy::name)).toList();
    // Sorted by name: input checks run, and block, in the same order everywhere.
    guardrails = guardrails.stream().sorted(Comparator.comparing(GuardrailRule::name)).toList();
    // By order, then name: the first match wins, and it is the same rule on every instance.
    rules = rules == null
        ? List.of()
        : rules.stream().sorted(Comparator.comparingLong(RoutingRule::order).thenComparing(RoutingRule::name)).toList();
    // By order, then name: the first matching retrieval policy applies, the same one on every instance.
    rag = rag == null
        ? List.of()
        : rag.stream().sorted(Comparator.comparingLong(RagRule::order).thenComparing(RagRule::name)).toList();
    // Sorted by name: the first matching cache policy decides, the same one on every instance.
    caches = caches == null ? List.of() : caches.stream().sorted(Comparator.comparing(CacheRule::name)).toList();
  }

  /** A config without retrieval or response cache policies. */
  public GatewayConfig(
      Settings settings,
      Map<String, Route> routes,
      Map<String, Consumer> consumersByKeyHash,
      List<LimitPolicy> limits,
      Map<String, ModelPrice> prices,
      Instant loadedAt,
      PromptPolicies prompts,
      List<FilterPolicy> filters,
      List<GuardrailRule> guardrails,
      List<RoutingRule> rules) {
    this(settings, routes, consumersByKeyHash, limits, prices, loadedAt, prompts, filters, guardrails, rules, List.of(), List.of());
  }

  /** A config without routing rules. */
  public GatewayConfig(
      Settings settings,
      Map<String, Route> routes,
      Map<String, Consumer> consumersByKeyHash,
      List<LimitPolicy> limits,
      Map<String, ModelPrice> prices,
      Instant loadedAt,
      PromptPolicies prompts,
      List<FilterPolicy> filters,
      List<GuardrailRule> guardrails) {
    this(settings, routes, consumersByKeyHash, limits, prices, loadedAt, prompts, filters, guardrails, List.of());
  }

  /** A config without prompt policies, filters or guardrails. */
  public GatewayConfig(
      Settings settings,
      Map<String, Route> routes,
      Map<String, Consumer> consumersByKeyHash,
      List<LimitPolicy> limits,
      Map<String, ModelPrice> prices,
      Instant loadedAt) {
    this(settings, routes, consumersByKeyHash, limits, prices, loadedAt, PromptPolicies.NONE, List.of(), List.of());
  }

  /** A config without a price table. */
  public GatewayConfig(
      Settings settings,
      Map<String, Route> routes,
      Map<String, Consumer> consumersByKeyHash,
      List<LimitPolicy> limits,
      Instant loadedAt) {
    this(settings, routes, consumersByKeyHash, limits, Map.of(), loadedAt);
  }

  /** A config without limit policies or a price table. */
  public GatewayConfig(Settings settings, Map<String, Route> routes, Map<String, Consumer> consumersByKeyHash, Instant loadedAt) {
    this(settings, routes, consumersByKeyHash, List.of(), Map.of(), loadedAt);
  }

  public Optional<Route> route(String alias) {
    return Optional.ofNullable(routes.get(alias));
  }

  public Optional<Consumer> consumerByKeyHash(String sha256Hex) {
    return Optional.ofNullable(consumersByKeyHash.get(sha256Hex));
  }

  /** The routing effective for an alias: its own attempt limit, or the gateway's. */
  public int maxAttempts(Route route) {
    return route.maxAttempts() > 0 ? route.maxAttempts() : settings.maxAttempts();
  }
}
