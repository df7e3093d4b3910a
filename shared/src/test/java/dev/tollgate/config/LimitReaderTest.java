package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.openAi;
import static dev.tollgate.config.Validation.validate;
import static dev.tollgate.testing.ConfigItems.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.limit.LimitMatch;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.LimitPolicy.Metric;
import dev.tollgate.limit.LimitPolicy.Mode;
import dev.tollgate.limit.LimitPolicy.StoreFailure;
import dev.tollgate.limit.LimitScope;
import dev.tollgate.limit.LimitScope.Kind;
import dev.tollgate.limit.Window;
import dev.tollgate.testing.ConfigItems;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Limit policy items: every field read, defaulted or refused with a precise error; a bad policy is left out whole. */
class LimitReaderTest {

  /** The smallest valid policy: 1000 total tokens per minute for everyone together. */
  private static ConfigItems.Builder minimal(String name) {
    return limit(name).with("metric", "totalTokens").with("limit", 1000).with("window", "1m");
  }

  private static LimitPolicy onlyPolicy(ConfigItem... items) {
    ValidatedConfig validated = validate(items);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().limits().size());
    return validated.config().limits().getFirst();
  }

  @Test
  void aMinimalPolicyTakesTheDefaults() {
    LimitPolicy policy = onlyPolicy(minimal("tpm").build());

    assertEquals(
        new LimitPolicy(
            "tpm", Metric.TOTAL_TOKENS, 1000, Window.fixed(Duration.ofMinutes(1)), List.of(), LimitMatch.ANY,
            Mode.CLUSTER, StoreFailure.FAIL_CLOSED, 1024, false),
        policy);
    assertTrue(policy.global());
  }

  @Test
  void everyFieldIsRead() {
    ConfigItem item =
        limit("free-tier.daily_tokens")
            .with("metric", "completionTokens")
            .with("limit", 250_000)
            .with("window", "1d")
            .with("windowKind", "sliding")
            .with("scope", List.of("group", "consumer", "route", "target", "header:X-Tenant", "metadata:project"))
            .with("models", List.of("chat"))
            .with("targets", List.of("t"))
            .with("groups", List.of("free"))
            .with("consumers", List.of("alice", "bob"))
            .with("mode", "local")
            .with("onStoreFailure", "failOpen")
            .with("defaultMaxTokens", 512)
            .with("clampMaxTokens", true)
            .with("description", "free tier")
            .build();

    LimitPolicy policy = onlyPolicy(item, openAi("t").build());

    assertEquals(Metric.COMPLETION_TOKENS, policy.metric());
    assertEquals(250_000, policy.limit());
    assertEquals(Window.sliding(Duration.ofDays(1)), policy.window());
    assertEquals(
        List.of(
            new LimitScope(Kind.GROUP, null), new LimitScope(Kind.CONSUMER, null), new LimitScope(Kind.ROUTE, null),
            new LimitScope(Kind.TARGET, null), new LimitScope(Kind.HEADER, "x-tenant"), new LimitScope(Kind.METADATA, "project")),
        policy.scope());
    assertEquals(new LimitMatch(Set.of("chat"), Set.of("t"), Set.of("free"), Set.of("alice", "bob")), policy.match());
    assertEquals(Mode.LOCAL, policy.mode());
    assertEquals(StoreFailure.FAIL_OPEN, policy.onStoreFailure());
    assertEquals(512, policy.defaultMaxTokens());
    assertTrue(policy.clampMaxTokens());
  }

  @ParameterizedTest
  @CsvSource({
    "totalTokens, TOTAL_TOKENS", "promptTokens, PROMPT_TOKENS", "completionTokens, COMPLETION_TOKENS",
    "requests, REQUESTS", "costUsd, COST_USD"
  })
  void eachMetricHasItsName(String written, Metric metric) {
    assertEquals(metric, onlyPolicy(minimal("p").with("metric", written).build()).metric());
  }

  @Test
  void anUnknownOrMissingMetricIsRefused() {
    onlyError(minimal("p").with("metric", "tokens").build(), "metric",
        "metric = \"tokens\": expected one of completionTokens, costUsd, promptTokens, requests, totalTokens");
    onlyError(minimal("p").without("metric").build(), "metric", "metric is missing: expected one of completionTokens");
  }

  @ParameterizedTest
  @CsvSource({"30s, 30", "1m, 60", "90m, 5400", "1h, 3600", "1d, 86400", "30d, 2592000", "31d, 2678400", "1s, 1"})
  void windowLengthsUseSecondsMinutesHoursAndDays(String window, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), onlyPolicy(minimal("p").with("window", window).build()).window().length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"32d", "0s", "1w", "60", "1 m", "1M", "01m", "1.5h", "-1h", "", "999999999s"})
  void aBadWindowIsRefused(String window) {
    onlyError(minimal("p").with("window", window).build(), "window",
        "expected a window length like 30s, 1m, 1h, 1d or 30d (s, m, h, d; from 1s to 31d)");
  }

  @Test
  void aWindowIsRequiredAndText() {
    onlyError(minimal("p").without("window").build(), "window", "window is missing: expected a window length");
    onlyError(minimal("p").with("window", 60).build(), "window", "window = 60: expected a window length");
  }

  @Test
  void theWindowKindIsFixedOrSliding() {
    assertEquals(Window.Kind.FIXED, onlyPolicy(minimal("p").with("windowKind", "fixed").build()).window().kind());
    onlyError(minimal("p").with("windowKind", "rolling").build(), "windowKind", "expected one of fixed, sliding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "2.5", "\"1000\"", "1000000000000001"})
  void aTokenOrRequestLimitIsAPositiveInteger(String limit) {
    onlyError(minimal("p").with("limit", dev.tollgate.api.Json.parse(limit)).build(), "limit",
        "expected an integer from 1 to 1000000000000000");
  }

  @Test
  void aLimitIsRequired() {
    onlyError(minimal("p").without("limit").build(), "limit", "limit is missing: expected an integer from 1");
  }

  @Test
  void aCostLimitIsInUsdAndKeptInMicroDollars() {
    assertEquals(25_500_000, onlyPolicy(minimal("p").with("metric", "costUsd").with("limit", 25.5).build()).limit());
    assertEquals(3_000_000, onlyPolicy(minimal("p").with("metric", "costUsd").with("limit", 3).build()).limit());
    assertEquals(1, onlyPolicy(minimal("p").with("metric", "costUsd").with("limit", 0.000001).build()).limit());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "0.0000001", "1000000001", "\"5\""})
  void aCostLimitIsAPositiveAmountOfAtMostSixDecimals(String limit) {
    onlyError(minimal("p").with("metric", "costUsd").with("limit", dev.tollgate.api.Json.parse(limit)).build(), "limit",
        "expected a USD amount above 0 and up to 1000000000, at most 6 decimal places");
  }

  @Test
  void withAnUnknownMetricTheLimitIsOnlyCheckedToBePositive() {
    List<ConfigError> errors = validate(minimal("p").with("metric", "tokens").with("limit", 2.5).build()).errors();
    assertEquals(List.of("metric"), errors.stream().map(ConfigError::field).toList());

    errors = validate(minimal("p").with("metric", "tokens").with("limit", -3).build()).errors();
    assertEquals(List.of("metric", "limit"), errors.stream().map(ConfigError::field).toList());
    assertTrue(errors.get(1).message().endsWith("limit = -3: expected a number above 0"), errors.get(1).message());
  }

  @Test
  void anEmptyOrMissingScopeIsOneGlobalCounter() {
    assertTrue(onlyPolicy(minimal("p").with("scope", List.of()).build()).global());
    assertTrue(onlyPolicy(minimal("p").with("scope", null).build()).global());
  }

  @ParameterizedTest
  @ValueSource(strings = {"user", "Consumer", "header:", "header:bad name", "metadata:", "route:chat", "metadata:a#b", "header"})
  void aBadScopeEntryIsNamed(String entry) {
    ConfigError error =
        onlyError(minimal("p").with("scope", List.of("consumer", entry)).build(), "scope",
            "expected each entry one of route, target, consumer, group, header:<name> or metadata:<field>");
    assertEquals('"' + entry + '"', error.value());
  }

  @Test
  void aScopeEntryMayAppearOnlyOnce() {
    onlyError(minimal("p").with("scope", List.of("consumer", "header:X-A", "header:x-a")).build(), "scope",
        "scope = \"header:x-a\": expected each entry at most once");
  }

  @Test
  void theScopeIsAListOfText() {
    onlyError(minimal("p").with("scope", "consumer").build(), "scope", "expected a list of route, target");
    onlyError(minimal("p").with("scope", List.of("consumer", 3)).build(), "scope", "expected a list of route, target");
  }

  @Test
  void matchFiltersAreNonEmptyListsOfValidNames() {
    onlyError(minimal("p").with("models", List.of()).build(), "models", "expected a non-empty list of a model alias");
    onlyError(minimal("p").with("groups", List.of("a b")).build(), "groups", "expected a non-empty list of group names");
    onlyError(minimal("p").with("consumers", "alice").build(), "consumers", "expected a non-empty list of consumer names");
    onlyError(minimal("p").with("targets", List.of("-x")).build(), "targets", "expected a non-empty list of target ids");
  }

  @Test
  void aTargetsFilterMustNameExistingTargetsWhereverTheyComeInTheTable() {
    ConfigItem policy = minimal("p").with("targets", List.of("t", "gone", "typo")).build();

    ValidatedConfig validated = validate(policy, openAi("t").build());

    assertEquals(1, validated.errors().size(), validated.errors().toString());
    assertEquals(
        policy.location() + ": targets = \"gone, typo\": expected ids of configured targets; no valid target has these ids",
        validated.errors().getFirst().message());
    assertTrue(validated.config().limits().isEmpty());
    assertEquals(1, onlyPolicy(openAi("gone").build(), minimal("p").with("targets", List.of("gone")).build()).match().targets().size());
  }

  @Test
  void aTargetThatIsItselfInvalidDoesNotCount() {
    ValidatedConfig validated =
        validate(minimal("p").with("targets", List.of("t")).build(), openAi("t").with("weight", -1).build());

    assertEquals(List.of("weight", "targets"), validated.errors().stream().map(ConfigError::field).toList());
    assertTrue(validated.config().limits().isEmpty());
  }

  @Test
  void modeStoreFailureAndTokenOptionsAreChecked() {
    onlyError(minimal("p").with("mode", "global").build(), "mode", "expected one of cluster, local");
    onlyError(minimal("p").with("onStoreFailure", "open").build(), "onStoreFailure", "expected one of failClosed, failOpen");
    onlyError(minimal("p").with("defaultMaxTokens", 0).build(), "defaultMaxTokens", "expected an integer from 1 to 10000000");
    onlyError(minimal("p").with("clampMaxTokens", "yes").build(), "clampMaxTokens", "expected true or false");
    onlyError(
        minimal("p").with("metric", "requests").with("clampMaxTokens", true).build(),
        "clampMaxTokens",
        "expected false for metric requests (clamping lowers max_tokens: totalTokens and completionTokens only)");
  }

  @Test
  void anUnknownFieldIsRefused() {
    onlyError(minimal("p").with("windowSize", "1m").build(), "windowSize",
        "no such field; allowed: clampMaxTokens, consumers, defaultMaxTokens, description, groups, limit, metric, mode, "
            + "models, onStoreFailure, scope, targets, window, windowKind");
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit#", "limit#a#b", "limit#has space", "limit#nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"})
  void aPolicyNameIsShortWithoutHashOrSpaces(String pk) {
    ConfigItem item = ConfigItems.item(pk, "limit").with("metric", "requests").with("limit", 10).with("window", "1s").build();

    onlyError(item, "pk", "expected 'limit#' followed by a policy name of 1 to 64 characters: letters, digits and . _ -");
  }

  @Test
  void aLimitItemNeedsTheLimitSortKey() {
    ConfigItem item = ConfigItems.item("limit#p", "policy").with("metric", "requests").with("limit", 10).with("window", "1s").build();

    onlyError(item, null, "expected sk to be 'limit' for a limit policy item");
  }

  @Test
  void aBadPolicyIsLeftOutWholeAndCountedOnceWhileItsSiblingsStay() {
    ConfigItem bad = minimal("bad").with("window", "1w").with("mode", "global").with("limit", 0).build();

    ValidatedConfig validated = validate(bad, minimal("good").build());

    assertEquals(3, validated.errors().size(), validated.errors().toString());
    assertEquals(1, validated.rejectedItems());
    assertEquals(List.of("good"), validated.config().limits().stream().map(LimitPolicy::name).toList());
  }

  @Test
  void policiesComeInNameOrderWhateverTheItemOrder() {
    ValidatedConfig validated = validate(minimal("b").build(), minimal("c").build(), minimal("a").build());

    assertEquals(List.of("a", "b", "c"), validated.config().limits().stream().map(LimitPolicy::name).toList());
  }

  @Test
  void anUnknownPartitionKeyNamesTheLimitLayoutToo() {
    ConfigError error = onlyError(ConfigItems.item("limits#p", "limit").build(), null, "'limit#<name>'");
    assertFalse(error.message().contains("null"), error.message());
  }

  @Test
  void namedValuesAreCaseSensitive() {
    onlyError(minimal("p").with("mode", "Cluster").build(), "mode", "mode = \"Cluster\": expected one of cluster, local");
  }
}
