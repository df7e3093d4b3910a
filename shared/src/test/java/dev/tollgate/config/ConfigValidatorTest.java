package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.openAi;
import static dev.tollgate.config.Validation.validate;
import static dev.tollgate.testing.ConfigItems.item;
import static dev.tollgate.testing.ConfigItems.key;
import static dev.tollgate.testing.ConfigItems.route;
import static dev.tollgate.testing.ConfigItems.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Consumer;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.Target;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules for whole items: keys, route options, API keys, settings, duplicates; bad items are skipped alone. */
class ConfigValidatorTest {

  private static final String HASH = "a".repeat(64);

  // --- keys of route items

  @ParameterizedTest
  @ValueSource(strings = {"route#bad alias", "route#", "route#-leading-dash", "route#tab\tin"})
  void aRouteAliasMustBeValid(String pk) {
    ConfigItem item = item(pk, "target#t").with("provider", "mock").build();

    onlyError(item, "pk", "expected 'route#' followed by a model alias of 1 to 128 characters");
    assertTrue(validate(item).config().routes().isEmpty());
  }

  @Test
  void aRouteItemNeedsAKnownSortKey() {
    ConfigItem item = item("route#chat", "targets").with("provider", "mock").build();

    ConfigError error = onlyError(item, null, "expected sk to be 'route' or 'target#<id>' under pk 'route#chat'");

    assertEquals(item.location() + ": expected sk to be 'route' or 'target#<id>' under pk 'route#chat'", error.message());
  }

  // --- route options

  @ParameterizedTest
  @ValueSource(ints = {0, 11})
  void aRoutesAttemptLimitIsFromOneToTen(int maxAttempts) {
    onlyError(route("chat").with("maxAttempts", maxAttempts).build(), "maxAttempts", "expected an integer from 1 to 10");
  }

  @Test
  void routeOptionsAreReadAndUnknownOnesRefused() {
    onlyError(route("chat").with("retries", 2).build(), "retries", "no such field; allowed: auditPayloads, description, maxAttempts, probeShare, strategy");

    Route route =
        validate(route("chat").with("maxAttempts", 5).with("description", "the chat model").build(), openAi("t").build())
            .config()
            .route("chat")
            .orElseThrow();
    assertEquals(5, route.maxAttempts());
    assertEquals("the chat model", route.description());
  }

  // --- API keys

  @Test
  void aValidKeyBecomesAConsumer() {
    ValidatedConfig validated = validate(key(HASH).with("consumer", "search-team").with("models", List.of("chat", "embed")).build());

    assertEquals(List.of(), validated.errors());
    assertEquals(
        Optional.of(new Consumer("search-team", "default", Set.of("chat", "embed"), true)),
        validated.config().consumerByKeyHash(HASH));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ABC", "g", "A"})
  void aKeyHashIs64LowercaseHexDigits(String sample) {
    String hash = sample.repeat(64).substring(0, 64);
    ConfigItem item = key(hash).with("consumer", "c").with("models", List.of("*")).build();

    onlyError(item, "pk", "expected 'key#' followed by the SHA-256 of the key as 64 lowercase hex digits");
    assertTrue(validate(item).config().consumersByKeyHash().isEmpty());
  }

  @Test
  void aKeyHashOfTheWrongLengthIsRefused() {
    onlyError(key("abc123").with("consumer", "c").with("models", List.of("*")).build(), "pk", "64 lowercase hex digits");
  }

  @Test
  void aKeyNeedsAConsumerName() {
    onlyError(key(HASH).with("models", List.of("*")).build(), "consumer", "consumer is missing: expected a consumer name of 1 to 128");
    onlyError(key(HASH).with("consumer", "two words").with("models", List.of("*")).build(), "consumer", "expected a consumer name");
  }

  @Test
  void aKeyNeedsANonEmptyListOfModels() {
    String expected = "expected a non-empty list of model aliases, or [\"*\"] for all";
    onlyError(key(HASH).with("consumer", "c").build(), "models", "models is missing: " + expected);
    onlyError(key(HASH).with("consumer", "c").with("models", List.of()).build(), "models", expected);
    onlyError(key(HASH).with("consumer", "c").with("models", "chat").build(), "models", expected);
    onlyError(key(HASH).with("consumer", "c").with("models", List.of("chat", "bad alias")).build(), "models", expected);
  }

  @Test
  void aKeysEnabledFlagIsABoolean() {
    onlyError(key(HASH).with("consumer", "c").with("models", List.of("*")).with("enabled", "no").build(), "enabled", "true or false");
  }

  @Test
  void aKeyItemHasSortKeyKeyAndKnownFields() {
    ConfigItem wrongSk = item("key#" + HASH, "api").with("consumer", "c").with("models", List.of("*")).build();
    onlyError(wrongSk, null, "expected sk to be 'key' for an API key item");
    onlyError(key(HASH).with("consumer", "c").with("models", List.of("*")).with("owner", "x").build(), "owner", "no such field");
  }

  // --- settings

  @Test
  void settingsAreApplied() {
    Settings settings =
        validate(settings().with("maxAttempts", 5).with("maxRequestBytes", 2048).with("requestTimeoutMs", 10_000).build())
            .config()
            .settings();

    assertEquals(new Settings(5, 2048, Duration.ofSeconds(10)), settings);
  }

  @Test
  void settingsOutOfRangeAreReportedAndTheDefaultsKept() {
    assertEquals(Settings.DEFAULTS, validate().config().settings());
    for (ConfigItems.Builder bad :
        List.of(
            settings().with("maxAttempts", 0),
            settings().with("maxAttempts", 11),
            settings().with("maxRequestBytes", 1023),
            settings().with("maxRequestBytes", Settings.MAX_REQUEST_BYTES_CEILING + 1),
            settings().with("requestTimeoutMs", 99),
            settings().with("requestTimeoutMs", 900_001),
            settings().with("auditRetentionDays", 0),
            settings().with("auditRetentionDays", Settings.MAX_AUDIT_RETENTION_DAYS + 1))) {
      ConfigItem item = bad.with("description", "partly fine").build();
      String field = item.attributes().fieldNames().next();

      onlyError(item, field, "expected an integer from");
      assertEquals(Settings.DEFAULTS, validate(item).config().settings(), "a half-valid settings item is not applied");
    }
  }

  @Test
  void auditRetentionIsThirtyDaysUnlessSet() {
    assertEquals(30, validate().config().settings().auditRetentionDays());
    assertEquals(90, validate(settings().with("auditRetentionDays", 90).build()).config().settings().auditRetentionDays());
  }

  @Test
  void aRoutesStrategyIsWeightedByDefaultAndOneOfTheFourNames() {
    Route plain = validate(openAi("t").build()).config().route("chat").orElseThrow();
    assertEquals(dev.tollgate.routing.Strategy.WEIGHTED, plain.strategy());
    assertEquals(0.05, plain.probeShare());
    Route latency =
        validate(route("chat").with("strategy", "latency").with("probeShare", 0.2).build(), openAi("t").build())
            .config().route("chat").orElseThrow();
    assertEquals(dev.tollgate.routing.Strategy.LATENCY, latency.strategy());
    assertEquals(0.2, latency.probeShare());

    onlyError(route("chat").with("strategy", "fastest").build(), "strategy",
        "expected one of [weighted, latency, cost, balanced]");
    onlyError(route("chat").with("strategy", 3).build(), "strategy", "expected one of [weighted, latency, cost, balanced]");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 0.51, 2})
  void aProbeShareIsFromZeroToAHalf(double share) {
    onlyError(route("chat").with("probeShare", share).build(), "probeShare", "expected a number from 0 to 0.5");
  }

  @Test
  void auditPayloadsIsOffUnlessARouteTurnsItOn() {
    assertFalse(validate(openAi("t").build()).config().route("chat").orElseThrow().auditPayloads());
    assertTrue(
        validate(route("chat").with("auditPayloads", true).build(), openAi("t").build()).config().route("chat").orElseThrow().auditPayloads());
    onlyError(route("chat").with("auditPayloads", "yes").build(), "auditPayloads", "expected true or false");
  }

  @Test
  void anUnknownSettingIsRefused() {
    onlyError(
        settings().with("maxAttempt", 2).build(), "maxAttempt", "no such field; allowed: auditRetentionDays, breakerCooldownMs, breakerErrorRate");
  }

  // --- whole items

  @Test
  void aDuplicateItemIsReportedAndCountedOnce() {
    ConfigItem item = openAi("t").build();

    ValidatedConfig validated = validate(item, item);

    assertEquals(1, validated.errors().size());
    ConfigError error = validated.errors().getFirst();
    assertEquals(item.location(), error.location());
    assertNull(error.field());
    assertTrue(error.message().endsWith("expected each item only once; this one is a duplicate"), error.message());
    assertEquals(1, validated.config().route("chat").orElseThrow().targets().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"user#bob", "settings|other", "route"})
  void anUnknownKindOfItemIsReported(String key) {
    String[] parts = key.split("\\|");
    ConfigItem item = item(parts[0], parts.length > 1 ? parts[1] : "x").build();

    onlyError(item, null, "expected pk to be 'settings', 'route#<alias>', 'key#<sha256 hex>', 'limit#<name>', 'price#<model>',"
        + " 'guard#<name>', 'decorator#<name>', 'template#<name>', 'filter#<name>', 'guardrail#<name>', 'rule#<name>', 'rag#<name>' or 'cache#<name>'");
  }

  @Test
  void anInvalidTargetIsSkippedAndItsValidSiblingKept() {
    ValidatedConfig validated = validate(openAi("good").build(), openAi("bad").with("weight", -5).build());

    assertEquals(1, validated.errors().size());
    assertEquals("item {pk=route#chat, sk=target#bad}", validated.errors().getFirst().location());
    Route route = validated.config().route("chat").orElseThrow();
    assertEquals(List.of("good"), route.targets().stream().map(Target::id).toList());
    assertTrue(route.hasSelectableTarget());
    assertFalse(validated.valid());
    assertEquals(2, validated.itemCount());
  }

  @Test
  void theRouteOfASkippedTargetStillServesThroughItsValidSibling() {
    GatewayHarness harness =
        new GatewayHarness(
            List.of(
                ConfigItems.scriptedTarget("chat", "good").with("priority", 2).build(),
                ConfigItems.scriptedTarget("chat", "typo").with("priority", 1).with("wieght", 100).build()));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("good", response.header(Gateway.TARGET));
    assertEquals(List.of("good"), harness.provider().calledTargets());
    assertEquals(1, harness.metrics().sum(MetricNames.CONFIG_ITEMS_REJECTED));
  }

  @Test
  void aRoutesTargetsAreInPriorityThenIdOrder() {
    Route route =
        validate(openAi("z").with("priority", 1).build(), openAi("b").with("priority", 2).build(), openAi("a").with("priority", 1).build())
            .config()
            .route("chat")
            .orElseThrow();

    assertEquals(List.of("a", "z", "b"), route.targets().stream().map(Target::id).toList());
  }


  @Test
  void anErrorReadsAsOneLine() {
    assertEquals(
        "models.chat.targets[1]: weight = -5: expected an integer from 0 to 1000000",
        new ConfigError("models.chat.targets[1]", "weight", "-5", "an integer from 0 to 1000000").message());
    assertEquals("keys[0]: sha256 is missing: expected a hash", new ConfigError("keys[0]", "sha256", null, "a hash").message());
    assertEquals("(document): expected a mapping", new ConfigError("(document)", null, null, "a mapping").toString());
  }
}
