package dev.tollgate.config;

import dev.tollgate.auth.Consumer;
import dev.tollgate.cache.CacheRule;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.ModelPrice;
import dev.tollgate.moderation.FilterPolicy;
import dev.tollgate.moderation.GuardrailRule;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.provider.ProviderCatalog;
import dev.tollgate.rag.RagRule;
import dev.tollgate.routing.BreakerSettings;
import dev.tollgate.routing.ExampleEmbeddings;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.Strategy;
import dev.tollgate.routing.RoutingRule;
import dev.tollgate.routing.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns raw items into a {@link GatewayConfig}. Every item is checked on its own: a bad one is
 * reported with its location, field, value and what is expected, and left out, so one typo can
 * never route traffic to a half-valid target or take the gateway down.
 */
public final class ConfigValidator {

  static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}");
  static final String ALIAS_EXPECTED =
      "a model alias of 1 to 128 characters: letters, digits and . _ : / @ + -";
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
  static final String NAME_EXPECTED = "1 to 128 characters: letters, digits and . _ @ + -";
  static final Pattern MODEL_GRANT = Pattern.compile(ALIAS.pattern() + "|\\*");
  static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{64}");
  static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{0,512}");
  private static final Set<String> SETTINGS_FIELDS =
      Set.of(
          "maxAttempts", "maxRequestBytes", "requestTimeoutMs", "description", "auditRetentionDays",
          "breakerFailures", "breakerErrorRate", "breakerMinCalls", "breakerWindowMs", "breakerCooldownMs");
  /** The largest probe share: above half, the favourite would no longer be favoured. */
  static final BigDecimal MAX_PROBE_SHARE = new BigDecimal("0.5");
  private static final Pattern STRATEGY_TEXT = Pattern.compile("(?s).{0,64}");
  private static final Set<String> ROUTE_FIELDS = Set.of("maxAttempts", "description", "auditPayloads", "strategy", "probeShare");
  private static final Set<String> KEY_FIELDS =
      Set.of("consumer", "group", "models", "enabled", "description", "createdAt");

  private final TargetReader targets;
  private final Optional<ExampleEmbeddings> examples;

  /** A validator that checks semantic routing rules but leaves their examples unembedded (config tools). */
  public ConfigValidator(ProviderCatalog providers) {
    this.targets = new TargetReader(providers);
    this.examples = Optional.empty();
  }

  /** A gateway's validator: semantic rules' examples are embedded by {@code embedder}, kept across loads. */
  public ConfigValidator(ProviderCatalog providers, TextEmbedder embedder) {
    this.targets = new TargetReader(providers);
    this.examples = Optional.of(new ExampleEmbeddings(embedder));
  }

  public ValidatedConfig validate(List<ConfigItem> items, Instant loadedAt) {
    List<ConfigError> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Settings settings = Settings.DEFAULTS;
    Map<String, RouteDraft> routes = new TreeMap<>();
    Map<String, Consumer> consumers = new LinkedHashMap<>();
    Map<LimitPolicy, ItemReader> limits = new LinkedHashMap<>();
    Map<String, ModelPrice> prices = new TreeMap<>();
    PromptReaders.Collected prompts = new PromptReaders.Collected();
    List<FilterPolicy> filters = new ArrayList<>();
    List<GuardrailRule> guardrails = new ArrayList<>();
    Map<RoutingRule, ItemReader> rules = new LinkedHashMap<>();
    List<RagRule> rag = new ArrayList<>();
    List<CacheRule> caches = new ArrayList<>();
    for (ConfigItem item : items) {
      if (!seen.add(item.pk() + "\u0000" + item.sk())) {
        errors.add(new ConfigError(item.location(), null, null, "each item only once; this one is a duplicate"));
        continue;
      }
      ItemReader reader = new ItemReader(item);
      String pk = item.pk();
      if (pk.equals(ItemKeys.SETTINGS_PK) && item.sk().equals(ItemKeys.SETTINGS_SK)) {
        Settings read = readSettings(reader);
        settings = reader.ok() ? read : settings;
      } else if (pk.startsWith(ItemKeys.ROUTE_PREFIX)) {
        readRouteItem(item, reader, routes);
      } else if (pk.startsWith(ItemKeys.KEY_PREFIX)) {
        readKey(item, reader).ifPresent(consumer -> consumers.put(pk.substring(ItemKeys.KEY_PREFIX.length()), consumer));
      } else if (pk.startsWith(ItemKeys.LIMIT_PREFIX)) {
        LimitReader.read(item, reader).ifPresent(policy -> limits.put(policy, reader));
      } else if (pk.startsWith(ItemKeys.PRICE_PREFIX)) {
        PriceReader.read(item, reader).ifPresent(price -> prices.put(PriceReader.model(item), price));
      } else if (PromptReaders.handles(pk)) {
        PromptReaders.read(item, reader, prompts);
      } else if (pk.startsWith(ItemKeys.FILTER_PREFIX)) {
        FilterReader.read(item, reader).ifPresent(filters::add);
      } else if (pk.startsWith(ItemKeys.GUARDRAIL_PREFIX)) {
        GuardrailReader.read(item, reader).ifPresent(guardrails::add);
      } else if (pk.startsWith(ItemKeys.RULE_PREFIX)) {
        RuleReader.read(item, reader).ifPresent(rule -> rules.put(rule, reader));
      } else if (pk.startsWith(ItemKeys.RAG_PREFIX)) {
        RagReader.read(item, reader).ifPresent(rag::add);
      } else if (pk.startsWith(ItemKeys.CACHE_PREFIX)) {
        CacheReader.read(item, reader).ifPresent(caches::add);
      } else {
        reader.failItem(
            "pk to be 'settings', 'route#<alias>', 'key#<sha256 hex>', 'limit#<name>', 'price#<model>', "
                + "'guard#<name>', 'decorator#<name>', 'template#<name>', 'filter#<name>', 'guardrail#<name>', "
                + "'rule#<name>', 'rag#<name>' or 'cache#<name>' "
                + "(see the README's item layout)");
      }
      errors.addAll(reader.errors());
    }
    Map<String, Route> built = new TreeMap<>();
    routes.forEach((alias, draft) -> built.put(alias, draft.build(alias)));
    List<LimitPolicy> policies = checkLimitTargets(limits, built, errors);
    List<RoutingRule> routingRules = checkRuleTargets(rules, built.keySet(), errors);
    if (examples.isPresent()) {
      routingRules = examples.get().embed(routingRules);
    }
    GatewayConfig config =
        new GatewayConfig(
            settings, built, consumers, policies, prices, loadedAt, prompts.build(), filters, guardrails, routingRules,
            rag,
            caches);
    return new ValidatedConfig(config, errors, items.size());
  }

  /** Keeps the policies whose {@code targets} all exist among the valid targets; targets may come after limits. */
  private static List<LimitPolicy> checkLimitTargets(
      Map<LimitPolicy, ItemReader> limits, Map<String, Route> routes, List<ConfigError> errors) {
    Set<String> targetIds = new HashSet<>();
    routes.values().forEach(route -> route.targets().forEach(target -> targetIds.add(target.id())));
    List<LimitPolicy> kept = new ArrayList<>();
    limits.forEach((policy, reader) -> {
      if (LimitReader.checkTargets(policy, reader, targetIds)) {
        kept.add(policy);
      } else {
        errors.addAll(reader.errors());
      }
    });
    return kept;
  }

  /** Keeps the rules whose {@code to} is a configured alias; routes may come after rules. */
  private static List<RoutingRule> checkRuleTargets(
      Map<RoutingRule, ItemReader> rules, Set<String> aliases, List<ConfigError> errors) {
    List<RoutingRule> kept = new ArrayList<>();
    rules.forEach((rule, reader) -> {
      if (RuleReader.checkTarget(rule, reader, aliases)) {
        kept.add(rule);
      } else {
        errors.addAll(reader.errors());
      }
    });
    return kept;
  }

  private static Settings readSettings(ItemReader reader) {
    reader.rejectUnknown(SETTINGS_FIELDS);
    int maxAttempts = (int) reader.integer("maxAttempts", Settings.DEFAULT_MAX_ATTEMPTS, 1, 10);
    long maxBytes =
        reader.integer(
            "maxRequestBytes", Settings.DEFAULT_MAX_REQUEST_BYTES, 1024, Settings.MAX_REQUEST_BYTES_CEILING);
    long timeoutMs =
        reader.integer("requestTimeoutMs", Settings.DEFAULT_REQUEST_TIMEOUT.toMillis(), 100, 900_000);
    reader.optionalString("description", TEXT, "text of up to 512 characters");
    int retention =
        (int) reader.integer(
            "auditRetentionDays", Settings.DEFAULT_AUDIT_RETENTION_DAYS, 1, Settings.MAX_AUDIT_RETENTION_DAYS);
    return new Settings(maxAttempts, maxBytes, Duration.ofMillis(timeoutMs), retention, readBreaker(reader));
  }

  private static BreakerSettings readBreaker(ItemReader reader) {
    int failures = (int) reader.integer("breakerFailures", BreakerSettings.DEFAULT_FAILURES, 0, 1000);
    double errorRate =
        reader.has("breakerErrorRate")
            ? reader.decimal("breakerErrorRate", new BigDecimal("0.01"), BigDecimal.ONE).doubleValue()
            : BreakerSettings.DEFAULT_ERROR_RATE;
    int minCalls = (int) reader.integer("breakerMinCalls", BreakerSettings.DEFAULT_MIN_CALLS, 1, 100_000);
    long windowMs = reader.integer("breakerWindowMs", BreakerSettings.DEFAULT_WINDOW.toMillis(), 1000, 3_600_000);
    long cooldownMs = reader.integer("breakerCooldownMs", BreakerSettings.DEFAULT_COOLDOWN.toMillis(), 1000, 3_600_000);
    return new BreakerSettings(failures, errorRate, minCalls, Duration.ofMillis(windowMs), Duration.ofMillis(cooldownMs));
  }

  private void readRouteItem(ConfigItem item, ItemReader reader, Map<String, RouteDraft> routes) {
    String alias = item.pk().substring(ItemKeys.ROUTE_PREFIX.length());
    if (!ALIAS.matcher(alias).matches()) {
      reader.failText("pk", item.pk(), "'route#' followed by " + ALIAS_EXPECTED);
      return;
    }
    if (item.sk().equals(ItemKeys.ROUTE_SK)) {
      reader.rejectUnknown(ROUTE_FIELDS);
      int maxAttempts = (int) reader.integer("maxAttempts", 0, 1, 10);
      String description = reader.optionalString("description", TEXT, "text of up to 512 characters").orElse("");
      boolean auditPayloads = reader.bool("auditPayloads", false);
      Strategy strategy = readStrategy(reader);
      double probeShare =
          reader.has("probeShare")
              ? reader.decimal("probeShare", BigDecimal.ZERO, MAX_PROBE_SHARE).doubleValue()
              : Route.DEFAULT_PROBE_SHARE;
      if (reader.ok()) {
        RouteDraft draft = routes.computeIfAbsent(alias, a -> new RouteDraft());
        draft.maxAttempts = maxAttempts;
        draft.description = description;
        draft.auditPayloads = auditPayloads;
        draft.strategy = strategy;
        draft.probeShare = probeShare;
      }
    } else if (item.sk().startsWith(ItemKeys.TARGET_PREFIX)) {
      String id = item.sk().substring(ItemKeys.TARGET_PREFIX.length());
      Optional<Target> target = targets.read(alias, id, reader);
      target.ifPresent(t -> routes.computeIfAbsent(alias, a -> new RouteDraft()).targets.add(t));
    } else {
      reader.failItem("sk to be 'route' or 'target#<id>' under pk 'route#" + alias + "'");
    }
  }

  private static Strategy readStrategy(ItemReader reader) {
    String expected = "one of " + Arrays.stream(Strategy.values()).map(Strategy::label).toList();
    Optional<String> text = reader.optionalString("strategy", STRATEGY_TEXT, expected);
    if (text.isEmpty()) {
      return Strategy.WEIGHTED;
    }
    Optional<Strategy> strategy = Strategy.parse(text.get());
    if (strategy.isEmpty()) {
      reader.failText("strategy", text.get(), expected);
    }
    return strategy.orElse(Strategy.WEIGHTED);
  }

  private static Optional<Consumer> readKey(ConfigItem item, ItemReader reader) {
    String hash = item.pk().substring(ItemKeys.KEY_PREFIX.length());
    if (!KEY_HASH.matcher(hash).matches()) {
      reader.failText(
          "pk",
          item.pk(),
          "'key#' followed by the SHA-256 of the key as 64 lowercase hex digits");
    }
    if (!item.sk().equals(ItemKeys.KEY_SK)) {
      reader.failItem("sk to be 'key' for an API key item");
    }
    reader.rejectUnknown(KEY_FIELDS);
    String consumer = reader.requiredString("consumer", NAME, "a consumer name of " + NAME_EXPECTED);
    String group = reader.optionalString("group", NAME, "a group name of " + NAME_EXPECTED).orElse("default");
    List<String> models = reader.stringList("models", MODEL_GRANT, "model aliases, or [\"*\"] for all");
    boolean enabled = reader.bool("enabled", true);
    reader.optionalString("description", TEXT, "text of up to 512 characters");
    reader.optionalString("createdAt", TEXT, "an ISO-8601 timestamp");
    return reader.ok() ? Optional.of(new Consumer(consumer, group, Set.copyOf(models), enabled)) : Optional.empty();
  }

  /** Targets and options of one alias, collected from its items before the route is built. */
  private static final class RouteDraft {
    final List<Target> targets = new ArrayList<>();
    int maxAttempts;
    String description = "";
    boolean auditPayloads;
    Strategy strategy = Strategy.WEIGHTED;
    double probeShare = Route.DEFAULT_PROBE_SHARE;

    Route build(String alias) {
      return new Route(alias, targets, maxAttempts, description, auditPayloads, strategy, probeShare);
    }
  }
}
