package dev.tollgate.routing;

import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.ScriptedProvider.answer;
import static dev.tollgate.testing.ScriptedProvider.httpStatus;
import static dev.tollgate.testing.ScriptedProvider.rateLimited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.audit.AuditRecord;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Circuit breakers and Retry-After cooldowns through a whole gateway, time moved by hand. */
class CircuitBreakerGatewayTest {

  /** "a" in the first tier, "b" in the second: every request tries a first while a takes traffic. */
  private static GatewayHarness twoTiers(ConfigItem... more) {
    List<ConfigItem> items = new ArrayList<>(List.of(
        scriptedTarget("chat", "a").with("priority", 1).build(),
        scriptedTarget("chat", "b").with("priority", 2).build()));
    items.addAll(List.of(more));
    return new GatewayHarness(items);
  }

  /** Sends one request and returns the targets it called. */
  private static List<String> send(GatewayHarness harness, int expectedStatus) {
    int before = harness.provider().calls().size();
    GatewayResponse response = harness.chatWith("chat");
    assertEquals(expectedStatus, response.status(), response.bodyText());
    List<String> called = harness.provider().calledTargets();
    return called.subList(before, called.size());
  }

  private static List<Verdict> verdicts(GatewayHarness harness) {
    return harness.audit().records().getLast().verdicts();
  }

  /** Five failed requests on a (the default consecutive-failure threshold), each answered by b. */
  private static void openA(GatewayHarness harness) {
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of("a", "b"), send(harness, 200));
    }
    assertEquals(
        List.of(new Verdict("breaker", "a", "open", "5 consecutive failures")), verdicts(harness));
    assertEquals(1, harness.metrics().sum(MetricNames.BREAKER_OPENED));
  }

  @Test
  void aFailingTargetsBreakerOpensAndTrafficGoesToTheNextTierWithoutCallingIt() {
    GatewayHarness harness = twoTiers();
    harness.provider().on("a", httpStatus(500));

    openA(harness);

    for (int i = 0; i < 3; i++) {
      assertEquals(List.of("b"), send(harness, 200));
      assertEquals(List.of(new Verdict("breaker", "a", "skip", "open")), verdicts(harness));
      assertEquals(List.of(), harness.audit().records().getLast().attempts().stream()
          .filter(attempt -> attempt.target().equals("a")).toList());
    }
    assertEquals(3, harness.metrics().sum(MetricNames.BREAKER_SKIPPED));
  }

  @Test
  void afterTheCooldownOneProbeGoesThroughAndOnSuccessTheTargetTakesTrafficAgain() {
    GatewayHarness harness = twoTiers();
    harness.provider().on("a", httpStatus(500));
    openA(harness);
    harness.clock().advance(Duration.ofSeconds(29));
    assertEquals(List.of("b"), send(harness, 200));

    harness.provider().on("a", ScriptedProvider::answer);
    harness.clock().advance(Duration.ofSeconds(1));

    GatewayResponse probe = harness.chatWith("chat");
    assertEquals("a", probe.header(Gateway.TARGET));
    assertEquals(List.of(), verdicts(harness));
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of("a"), send(harness, 200), "closed again");
    }
  }

  @Test
  void aFailedProbeOpensTheBreakerForAnotherCooldown() {
    GatewayHarness harness = twoTiers();
    harness.provider().on("a", httpStatus(503));
    openA(harness);
    harness.clock().advance(Duration.ofSeconds(30));

    assertEquals(List.of("a", "b"), send(harness, 200), "the probe, then the fallback");
    assertEquals(List.of(new Verdict("breaker", "a", "open", "the half-open probe failed")), verdicts(harness));

    harness.clock().advance(Duration.ofSeconds(29));
    assertEquals(List.of("b"), send(harness, 200));
    assertEquals(2, harness.metrics().sum(MetricNames.BREAKER_OPENED));
  }

  @Test
  void aRateLimitWithRetryAfterTenIsNotCalledAgainForTenSeconds() {
    GatewayHarness harness = twoTiers();
    harness.provider().on("a", rateLimited(10));

    assertEquals(List.of("a", "b"), send(harness, 200));
    String until = harness.clock().instant().plusSeconds(10).toString();
    harness.provider().on("a", ScriptedProvider::answer);

    for (int second = 0; second < 10; second++) {
      assertEquals(List.of("b"), send(harness, 200), "at +" + second + " s");
      assertEquals(List.of(new Verdict("breaker", "a", "skip", "cooldown until " + until)), verdicts(harness));
      harness.clock().advance(Duration.ofMillis(999));
    }
    harness.clock().advance(Duration.ofMillis(10));

    assertEquals(List.of("a"), send(harness, 200), "10 s later");
  }

  @Test
  void whenEveryTargetIsPausedTheAnswerIs503WithRetryAfterAndNoUpstreamIsCalled() {
    GatewayHarness harness = new GatewayHarness(List.of(scriptedTarget("chat", "a").build()));
    harness.provider().on("a", rateLimited(10));
    GatewayResponse limited = harness.chatWith("chat");
    assertEquals(503, limited.status());
    assertEquals("upstream_rate_limited", errorCode(limited));
    harness.clock().advance(Duration.ofSeconds(4));

    GatewayResponse paused = harness.chatWith("chat");

    assertEquals(503, paused.status(), paused.bodyText());
    assertEquals("no_target_available", errorCode(paused));
    assertEquals("6", paused.header("retry-after"));
    assertEquals(1, harness.provider().calls().size(), "only the first request reached the upstream");
    assertTrue(GatewayHarness.errorMessage(paused).contains("try again in 6 s"), GatewayHarness.errorMessage(paused));
    AuditRecord record = harness.audit().records().getLast();
    assertEquals("breaker", record.verdicts().getFirst().stage());
  }

  @Test
  void aClientErrorDoesNotOpenTheBreaker() {
    GatewayHarness harness = twoTiers();
    harness.provider().on("a", httpStatus(400));

    for (int i = 0; i < 10; i++) {
      assertEquals(List.of("a"), send(harness, 400));
    }
    assertEquals(0, harness.metrics().sum(MetricNames.BREAKER_OPENED));
  }

  @Test
  void breakerFailuresZeroKeepsCallingAFailingTarget() {
    GatewayHarness harness = twoTiers(ConfigItems.settings().with("breakerFailures", 0).build());
    harness.provider().on("a", httpStatus(500));

    for (int i = 0; i < 10; i++) {
      assertEquals(List.of("a", "b"), send(harness, 200));
    }
    assertEquals(0, harness.metrics().sum(MetricNames.BREAKER_OPENED));
  }

  @Test
  void theThresholdsComeFromSettings() {
    GatewayHarness harness =
        twoTiers(ConfigItems.settings().with("breakerFailures", 2).with("breakerCooldownMs", 5000).build());
    harness.provider().on("a", httpStatus(500));

    assertEquals(List.of("a", "b"), send(harness, 200));
    assertEquals(List.of("a", "b"), send(harness, 200));
    assertEquals(List.of("b"), send(harness, 200));
    harness.clock().advance(Duration.ofSeconds(5));
    assertEquals(List.of("a", "b"), send(harness, 200), "the probe after 5 s");
  }

  @Test
  void aBreakerBelongsToOneAliasEvenWhenAnotherUsesTheSameTargetId() {
    GatewayHarness harness =
        new GatewayHarness(
            List.of(
                scriptedTarget("chat", "a").with("priority", 1).build(),
                scriptedTarget("chat", "b").with("priority", 2).build(),
                scriptedTarget("other", "a").build()));
    harness.provider().on("a", httpStatus(500));
    openA(harness);
    harness.provider().on("a", ScriptedProvider::answer);

    GatewayResponse other = harness.chatWith("other");

    assertEquals(200, other.status(), other.bodyText());
    assertEquals("a", other.header(Gateway.TARGET));
  }
}
