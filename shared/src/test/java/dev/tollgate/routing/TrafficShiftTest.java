package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.audit.AuditRecord;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.LoopbackUpstream;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic-shift test: real OpenAI-wire upstreams on loopback with their own latency
 * and failure rate behind a real gateway; after a warm-up, each strategy moves traffic as it
 * promises (shares asserted with tolerances, seeded randomness), breakers open and recover, and
 * pauses and statistics reach a second instance through a shared store.
 */
class TrafficShiftTest {

  private final List<LoopbackUpstream> upstreams = new ArrayList<>();

  @AfterEach
  void stopUpstreams() {
    upstreams.forEach(LoopbackUpstream::close);
  }

  private LoopbackUpstream upstream(long delayMs, double failureRate, long seed) {
    LoopbackUpstream upstream = LoopbackUpstream.start(delayMs, failureRate, seed);
    upstreams.add(upstream);
    return upstream;
  }

  private static ConfigItem target(String id, LoopbackUpstream upstream, int weight, String priceIn, String priceOut) {
    ConfigItems.Builder builder =
        ConfigItems.target("chat", id)
            .with("provider", "openai")
            .with("model", "m-" + id)
            .with("baseUrl", upstream.baseUrl())
            .with("credential", "env:KEY")
            .with("weight", weight)
            .with("timeoutMs", 5000);
    if (priceIn != null) {
      builder = builder.with("priceInputPerMillion", new java.math.BigDecimal(priceIn))
          .with("priceOutputPerMillion", new java.math.BigDecimal(priceOut));
    }
    return builder.build();
  }

  private static StaticConfigSource source(String strategy, ConfigItem... targets) {
    List<ConfigItem> items = new ArrayList<>(List.of(targets));
    items.add(ConfigItems.apiKey());
    if (strategy != null) {
      items.add(ConfigItems.route("chat").with("strategy", strategy).build());
    }
    return new StaticConfigSource("traffic shift", items);
  }

  private static GatewayHarness gateway(StaticConfigSource source) {
    return GatewayHarness.withStatsStore(source, Map.of("KEY", "sk-test"), TargetStatsStore.NONE,
        MutableClock.startingAt("2026-01-02T03:04:05Z"));
  }

  /** Sends {@code count} requests, each answered 200, and returns the share of first attempts per target. */
  private static Map<String, Double> firstPicks(GatewayHarness gateway, int count) {
    int before = gateway.audit().records().size();
    for (int i = 0; i < count; i++) {
      GatewayResponse response = gateway.chatWith("chat");
      assertEquals(200, response.status(), response.bodyText());
    }
    List<AuditRecord> records = gateway.audit().records();
    Map<String, Double> shares = new HashMap<>();
    for (AuditRecord record : records.subList(before, records.size())) {
      shares.merge(record.attempts().getFirst().target(), 1.0 / count, Double::sum);
    }
    return shares;
  }

  @Test
  void latencyMovesTrafficToTheFastTargetAndStillProbesTheSlowOne() {
    GatewayHarness gateway = gateway(source("latency", target("fast", upstream(5, 0, 1), 1, null, null),
        target("slow", upstream(60, 0, 2), 1, null, null)));
    firstPicks(gateway, 20); // warm-up: by weight until both have 5 calls

    Map<String, Double> shares = firstPicks(gateway, 200);

    assertTrue(shares.getOrDefault("fast", 0.0) >= 0.85, shares.toString());
    assertTrue(shares.getOrDefault("slow", 0.0) > 0, "the probe share keeps the slow target's figures fresh: " + shares);
    Verdict verdict = gateway.audit().records().getLast().verdicts().getFirst();
    assertEquals("strategy", verdict.stage());
    assertTrue(verdict.policy().startsWith("chat/"), verdict.toString());
    assertEquals("latency", verdict.action());
  }

  @Test
  void costMovesTrafficToTheCheapTarget() {
    GatewayHarness gateway = gateway(source("cost", target("cheap", upstream(5, 0, 1), 1, "0.15", "0.6"),
        target("dear", upstream(5, 0, 2), 1, "5", "15")));

    Map<String, Double> shares = firstPicks(gateway, 200);

    assertTrue(shares.getOrDefault("cheap", 0.0) >= 0.85, shares.toString());
  }

  @Test
  void balancedGivesAFailingTargetClearlyLessThanItsStaticShare() {
    GatewayHarness gateway = gateway(source("balanced", target("steady", upstream(10, 0, 1), 1, null, null),
        target("flaky", upstream(10, 0.2, 2), 1, null, null)));
    firstPicks(gateway, 20);

    Map<String, Double> shares = firstPicks(gateway, 200);

    assertTrue(shares.getOrDefault("flaky", 0.0) < 0.45, "static share 0.5: " + shares);
  }

  @Test
  void weightedKeepsTheStaticSharesAndAddsNoVerdict() {
    GatewayHarness gateway = gateway(source(null, target("a", upstream(5, 0, 1), 3, null, null),
        target("b", upstream(5, 0, 2), 1, "0.01", "0.01")));

    Map<String, Double> shares = firstPicks(gateway, 200);

    assertEquals(0.75, shares.getOrDefault("a", 0.0), 0.08, shares.toString());
    assertEquals(List.of(), gateway.audit().records().getLast().verdicts());
  }

  @Test
  void aFailingFavouritesBreakerOpensTrafficMovesAndItRecoversAfterTheCooldown() {
    LoopbackUpstream fast = upstream(5, 0, 1);
    GatewayHarness gateway = gateway(source("latency", target("fast", fast, 1, null, null),
        target("slow", upstream(40, 0, 2), 1, null, null)));
    firstPicks(gateway, 20);
    fast.failing(1, 500);

    firstPicks(gateway, 40); // every failure falls over to slow; five in a row open fast's breaker
    fast.resetCalls();
    Map<String, Double> open = firstPicks(gateway, 20);

    assertEquals(0, fast.calls(), "an open breaker is skipped");
    assertEquals(1.0, open.get("slow"), 1e-9);
    fast.failing(0, 500);
    gateway.clock().advance(BreakerSettings.DEFAULT_COOLDOWN);
    firstPicks(gateway, 40); // the probe closes the breaker; the error rate decays
    Map<String, Double> recovered = firstPicks(gateway, 100);
    assertTrue(recovered.getOrDefault("fast", 0.0) >= 0.85, recovered.toString());
  }

  @Test
  void retryAfterPausesTheTargetForThatLong() {
    LoopbackUpstream limited = upstream(5, 0, 1).rateLimiting(1, 10);
    LoopbackUpstream other = upstream(5, 0, 2);
    GatewayHarness gateway = gateway(source("cost", target("cheap", limited, 1, "0.1", "0.1"),
        target("dear", other, 1, "9", "9")));

    gateway.chatWith("chat");
    assertEquals(1, limited.calls());
    limited.failing(0, 500);
    firstPicks(gateway, 30);
    gateway.clock().advance(Duration.ofSeconds(9));
    firstPicks(gateway, 10);
    assertEquals(1, limited.calls(), "paused for the 10 s the upstream asked for");

    gateway.clock().advance(Duration.ofSeconds(1));
    Map<String, Double> after = firstPicks(gateway, 40);
    assertTrue(after.getOrDefault("cheap", 0.0) >= 0.8, after.toString());
  }

  @Test
  void aBreakerOpenedOnOneInstanceMakesTheOtherSkipTheTarget() {
    TargetStatsStore store = new InMemoryTargetStatsStore();
    LoopbackUpstream broken = upstream(5, 1, 1);
    StaticConfigSource config = source(null, target("a", broken, 1, null, null), target("b", upstream(5, 0, 2), 1, null, null));
    MutableClock clockA = MutableClock.startingAt("2026-01-02T03:04:05Z");
    MutableClock clockB = MutableClock.startingAt("2026-01-02T03:04:05Z");
    GatewayHarness a = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clockA);
    GatewayHarness b = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clockB);
    firstPicks(a, 20); // a's failures open its breaker, and the pause is written at once

    broken.resetCalls();
    firstPicks(b, 40);

    assertEquals(0, broken.calls(), "b learned of the open breaker from the store");
    Verdict skip = b.audit().records().getLast().verdicts().getFirst();
    assertEquals("breaker", skip.stage());
    assertTrue(skip.detail().startsWith("shared pause until"), skip.toString());
    clockB.advance(BreakerSettings.DEFAULT_COOLDOWN);
    firstPicks(b, 20);
    assertTrue(broken.calls() > 0, "the shared pause ends with the cooldown");
  }

  @Test
  void aStreamIsCountedWhenItEndsWithItsTimeToFirstByte() {
    InMemoryTargetStatsStore store = new InMemoryTargetStatsStore();
    StaticConfigSource config = source("latency", target("a", upstream(30, 0, 1), 1, null, null));
    MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
    GatewayHarness gateway = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clock);
    com.fasterxml.jackson.databind.node.ObjectNode body = GatewayHarness.chatJson("chat").put("stream", true);
    for (int i = 0; i < 3; i++) {
      GatewayResponse response = gateway.chat(dev.tollgate.api.Json.text(body));
      assertEquals(200, response.status());
      response.buffered(); // the client reads the stream to its end
    }
    clock.advance(GatewayHarness.STATS_SYNC);
    gateway.chatWith("chat"); // merges

    StatsDelta sums = store.read(Instant.parse("2026-01-02T03:04:00Z"), Instant.parse("2026-01-02T03:04:00Z"),
        clock.instant()).sums().get("chat#a");
    assertEquals(3, sums.ttftCount(), sums.toString());
    assertTrue(sums.latencyMsSum() >= 3 * 60, "total time covers both 30 ms gaps: " + sums);
    assertTrue(sums.ttftMsSum() < sums.latencyMsSum() - 3 * 30, "the first byte comes before the last: " + sums);
  }

  @Test
  void statisticsMergedByOneInstanceSteerTheOther() {
    TargetStatsStore store = new InMemoryTargetStatsStore();
    StaticConfigSource config = source("latency", target("fast", upstream(5, 0, 1), 1, null, null),
        target("slow", upstream(60, 0, 2), 1, null, null));
    MutableClock clockA = MutableClock.startingAt("2026-01-02T03:04:05Z");
    MutableClock clockB = MutableClock.startingAt("2026-01-02T03:04:05Z");
    GatewayHarness a = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clockA);
    GatewayHarness b = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clockB);
    firstPicks(a, 30);
    clockA.advance(GatewayHarness.STATS_SYNC);
    firstPicks(a, 1); // a's next request merges its sums

    Map<String, Double> shares = firstPicks(b, 100); // b's first request reads the cluster view

    assertTrue(shares.getOrDefault("fast", 0.0) >= 0.85, "b never warmed up itself: " + shares);
  }
}
