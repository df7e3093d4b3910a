package dev.tollgate.routing;

import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.GatewayHarness.errorMessage;
import static dev.tollgate.testing.GatewayHarness.json;
import static dev.tollgate.testing.ScriptedProvider.errorBody;
import static dev.tollgate.testing.ScriptedProvider.fails;
import static dev.tollgate.testing.ScriptedProvider.httpStatus;
import static dev.tollgate.testing.ScriptedProvider.rateLimited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.config.ConfigItem;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Failover through a real gateway: which failures move on, how far, and what the client sees. */
class FailoverPolicyTest {

  /** Targets t1..tn of alias "chat", one per priority tier, so the attempt order is fixed. */
  private static List<ConfigItem> tiers(int count) {
    List<ConfigItem> items = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      items.add(scriptedTarget("chat", "t" + i).with("priority", i).build());
    }
    return items;
  }

  private static GatewayHarness gateway(List<ConfigItem> items) {
    return new GatewayHarness(items);
  }

  @ParameterizedTest
  @EnumSource(value = FailureKind.class, names = "REQUEST_REJECTED", mode = EnumSource.Mode.EXCLUDE)
  void aRetryableFailureMovesOnToTheNextTier(FailureKind kind) {
    GatewayHarness harness = gateway(tiers(2));
    harness.provider().on("t1", fails(kind));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(List.of("t1", "t2"), harness.provider().calledTargets());
    assertEquals("t2", response.header(Gateway.TARGET));
    assertEquals(1, harness.metrics().sum(MetricNames.FALLBACKS));
    assertEquals(1, harness.metrics().sum(MetricNames.UPSTREAM_FAILURES));
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404, 408, 429, 500, 502, 503})
  void anUpstreamHttpStatusAnotherTargetMightNotGiveMovesOn(int status) {
    GatewayHarness harness = gateway(tiers(2));
    harness.provider().on("t1", httpStatus(status));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(List.of("t1", "t2"), harness.provider().calledTargets());
  }

  @Test
  void aFailedTargetIsNotRetriedAndItsTierSiblingIsTriedBeforeTheNextTier() {
    GatewayHarness harness =
        gateway(
            List.of(
                scriptedTarget("chat", "a").with("priority", 1).build(),
                scriptedTarget("chat", "b").with("priority", 1).build(),
                scriptedTarget("chat", "c").with("priority", 2).build()));
    harness.provider().on("a", fails(FailureKind.SERVER_ERROR)).on("b", fails(FailureKind.SERVER_ERROR));

    GatewayResponse response = harness.chatWith("chat");

    List<String> called = harness.provider().calledTargets();
    assertEquals(3, called.size(), called.toString());
    assertEquals(Set.of("a", "b"), Set.copyOf(called.subList(0, 2)));
    assertEquals("c", response.header(Gateway.TARGET));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 409, 413, 422})
  void aRejectedRequestReturnsTheUpstreamsClientErrorAtOnce(int status) {
    GatewayHarness harness = gateway(tiers(3));
    harness.provider().on("t1", httpStatus(status, Map.of(), errorBody("'temperature' is not supported with this model")));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(status, response.status());
    assertEquals("upstream_rejected", errorCode(response));
    assertTrue(errorMessage(response).contains("'temperature' is not supported with this model"), response.bodyText());
    assertEquals(List.of("t1"), harness.provider().calledTargets());
    assertEquals("t1", response.header(Gateway.TARGET));
  }

  @Test
  void theSettingsBoundTheAttempts() {
    List<ConfigItem> items = new ArrayList<>(tiers(5));
    items.add(ConfigItems.settings().with("maxAttempts", 2).build());
    GatewayHarness harness = gateway(items);
    failAll(harness, 5);

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(List.of("t1", "t2"), harness.provider().calledTargets());
    assertTrue(errorMessage(response).contains("tried 2:"), response.bodyText());
  }

  @Test
  void aRouteMayAllowMoreAttemptsThanTheSettings() {
    List<ConfigItem> items = new ArrayList<>(tiers(5));
    items.add(ConfigItems.settings().with("maxAttempts", 2).build());
    items.add(ConfigItems.route("chat").with("maxAttempts", 4).build());
    GatewayHarness harness = gateway(items);
    failAll(harness, 5);

    harness.chatWith("chat");

    assertEquals(List.of("t1", "t2", "t3", "t4"), harness.provider().calledTargets());
  }

  @Test
  void withoutSettingsThreeAttemptsAreMade() {
    GatewayHarness harness = gateway(tiers(5));
    failAll(harness, 5);

    harness.chatWith("chat");

    assertEquals(3, harness.provider().calls().size());
  }

  @Test
  void allTimeoutsAreAGatewayTimeout() {
    GatewayHarness harness = gateway(tiers(3));
    for (int i = 1; i <= 3; i++) {
      harness.provider().on("t" + i, fails(FailureKind.TIMED_OUT));
    }

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(504, response.status());
    assertEquals("upstream_timeout", errorCode(response));
    assertNull(response.header("retry-after"));
  }

  @Test
  void allRateLimitedIsUnavailableWithTheShortestRetryAfter() {
    GatewayHarness harness = gateway(tiers(3));
    harness.provider().on("t1", rateLimited(20)).on("t2", rateLimited(4)).on("t3", rateLimited(9));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(503, response.status());
    assertEquals("upstream_rate_limited", errorCode(response));
    assertEquals("4", response.header("retry-after"));
  }

  @Test
  void mixedFailuresAreABadGatewayNamingEveryTargetTried() {
    GatewayHarness harness = gateway(tiers(3));
    harness
        .provider()
        .on("t1", fails(FailureKind.TIMED_OUT))
        .on("t2", rateLimited(5))
        .on("t3", httpStatus(500));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(502, response.status());
    assertEquals("upstream_error", errorCode(response));
    assertNull(response.header("retry-after"));
    String message = errorMessage(response);
    assertTrue(message.contains("'chat'") && message.contains("tried 3:"), message);
    assertTrue(message.contains("t1: timed out"), message);
    assertTrue(message.contains("t2: rate limited (HTTP 429)"), message);
    assertTrue(message.contains("t3: server error (HTTP 500)"), message);
    assertEquals("none", response.header(Gateway.TARGET));
  }

  @Test
  void noEnabledTargetIsUnavailableWithoutCallingAnything() {
    GatewayHarness harness =
        gateway(
            List.of(
                scriptedTarget("chat", "off").with("enabled", false).build(),
                scriptedTarget("chat", "weightless").with("weight", 0).build()));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(503, response.status());
    assertEquals("no_target_available", errorCode(response));
    assertTrue(harness.provider().calls().isEmpty());
  }

  @Test
  void theAnsweringTargetIsNamedInTheHeaderAndMatchesTheBody() {
    GatewayHarness harness = gateway(tiers(3));
    harness.provider().on("t1", fails(FailureKind.NETWORK_ERROR));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals("t2", response.header(Gateway.TARGET));
    assertEquals(
        ScriptedProvider.answerText("t2"), json(response).path("choices").get(0).path("message").path("content").asText());
  }

  @Test
  void eachAttemptGetsItsTargetsTimeoutWhileTheBudgetAllows() {
    GatewayHarness harness = gateway(List.of(scriptedTarget("chat", "a").with("timeoutMs", 1500).build()));

    harness.chatWith("chat");

    assertEquals(Duration.ofMillis(1500), harness.provider().calls().getFirst().timeout());
  }

  @Test
  void noAttemptMayOutliveTheRequestBudget() {
    GatewayHarness harness =
        gateway(
            List.of(
                scriptedTarget("chat", "a").with("timeoutMs", 60_000).build(),
                ConfigItems.settings().with("requestTimeoutMs", 1000).build()));

    harness.chatWith("chat");

    Duration timeout = harness.provider().calls().getFirst().timeout();
    assertTrue(timeout.compareTo(Duration.ofMillis(1000)) <= 0 && !timeout.isNegative(), timeout.toString());
  }

  @Test
  void anUnresolvableCredentialFailsOverAndIsNamedButNeverRevealed() {
    String secretValue = "sk-live-4f9a8b7c6d5e4f3a2b1c";
    GatewayHarness harness =
        new GatewayHarness(
            List.of(
                scriptedTarget("chat", "keyless").with("priority", 1).with("credential", "env:MISSING_KEY").build(),
                scriptedTarget("chat", "keyed").with("priority", 2).with("credential", "env:PRESENT_KEY").build()),
            Map.of("PRESENT_KEY", secretValue));
    harness.provider().on("keyed", httpStatus(500));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(502, response.status());
    assertEquals(List.of("keyed"), harness.provider().calledTargets(), "the keyless target is never called");
    String message = errorMessage(response);
    assertTrue(message.contains("keyless: credential unavailable (credential env:MISSING_KEY is not set)"), message);
    assertTrue(message.contains("keyed: server error"), message);
    assertFalse(response.bodyText().contains(secretValue), response.bodyText());
    UpstreamCall call = harness.provider().calls().getFirst();
    assertEquals(Optional.of(new Secret(secretValue)), call.credential(), "the resolved key reaches the provider");
  }

  @Test
  void aCredentialEchoedInAnUpstreamRejectionIsRedacted() {
    String secretValue = "0123456789abcdef0123456789abcdef";
    GatewayHarness harness =
        new GatewayHarness(
            List.of(scriptedTarget("chat", "azure-like").with("credential", "env:AZURE_KEY").build()),
            Map.of("AZURE_KEY", secretValue));
    harness.provider().on("azure-like", httpStatus(400, Map.of(), errorBody("bad request for key " + secretValue)));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(400, response.status());
    assertFalse(response.bodyText().contains(secretValue), response.bodyText());
    assertTrue(errorMessage(response).contains("[REDACTED]"), response.bodyText());
  }

  private static void failAll(GatewayHarness harness, int count) {
    for (int i = 1; i <= count; i++) {
      harness.provider().on("t" + i, fails(FailureKind.SERVER_ERROR));
    }
  }
}
