package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.routing.BreakerSettings;
import dev.tollgate.routing.StatsDelta;
import dev.tollgate.routing.TargetStatsStore;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.LoopbackUpstream;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Target statistics and pauses shared through the counters table of DynamoDB Local, store and gateways. */
class DynamoDbTargetStatsStoreTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private static final Instant MINUTE = MutableClock.AHEAD.truncatedTo(ChronoUnit.MINUTES);

  private static DynamoDbTargetStatsStore store() {
    String table = dynamo.freshPrefix() + TableSchemas.COUNTERS;
    TableSchemas.create(dynamo.client(), table, true);
    return new DynamoDbTargetStatsStore(dynamo.client(), table);
  }

  @Test
  void sumsFromSeveralInstancesAddUpPerBucketAndTheViewSpansTheBucketsAsked() {
    DynamoDbTargetStatsStore store = store();
    StatsDelta one = new StatsDelta(10, 2, 1, 1, 400, 0, 0);
    StatsDelta two = new StatsDelta(5, 0, 0, 0, 100, 30, 3);
    store.add(MINUTE, Map.of("chat#a", one, "chat#b", two));
    store.add(MINUTE, Map.of("chat#a", two)); // another instance, same minute
    store.add(MINUTE.minus(Duration.ofMinutes(1)), Map.of("chat#a", one));
    store.add(MINUTE.minus(Duration.ofMinutes(9)), Map.of("chat#a", one)); // too old to be read

    TargetStatsStore.ClusterView view = store.read(MINUTE.minus(Duration.ofMinutes(4)), MINUTE, MINUTE);

    assertEquals(one.plus(two).plus(one), view.sums().get("chat#a"));
    assertEquals(two, view.sums().get("chat#b"));
    assertEquals(Map.of(), view.pausedUntil());
  }

  @Test
  void theLatestPauseWinsAndEndedPausesAreNotRead() {
    DynamoDbTargetStatsStore store = store();
    store.pause(Map.of("chat#a", MINUTE.plusSeconds(30), "chat#b", MINUTE.minusSeconds(1)));
    store.pause(Map.of("chat#a", MINUTE.plusSeconds(10))); // an earlier end does not shorten it

    TargetStatsStore.ClusterView view = store.read(MINUTE, MINUTE, MINUTE);

    assertEquals(Map.of("chat#a", MINUTE.plusSeconds(30)), view.pausedUntil());
  }

  private static List<ConfigItem> items(LoopbackUpstream a, LoopbackUpstream b, String strategy) {
    return List.of(
        ConfigItems.apiKey(),
        ConfigItems.route("chat").with("strategy", strategy).build(),
        ConfigItems.target("chat", "a").with("provider", "openai").with("model", "m").with("baseUrl", a.baseUrl())
            .with("credential", "env:KEY").build(),
        ConfigItems.target("chat", "b").with("provider", "openai").with("model", "m").with("baseUrl", b.baseUrl())
            .with("credential", "env:KEY").build());
  }

  private static int send(GatewayHarness gateway, int count) {
    for (int i = 0; i < count; i++) {
      GatewayResponse response = gateway.chatWith("chat");
      assertEquals(200, response.status(), response.bodyText());
    }
    return count;
  }

  @Test
  void aBreakerOpenedOnOneGatewayMakesTheOtherSkipTheTargetUntilItsCooldownEnds() {
    DynamoDbTargetStatsStore store = store();
    try (LoopbackUpstream a = LoopbackUpstream.start(5, 1, 1); LoopbackUpstream b = LoopbackUpstream.start(5, 0, 2)) {
      StaticConfigSource config = new StaticConfigSource("shared", items(a, b, "weighted"));
      MutableClock clockB = MutableClock.ahead(Duration.ZERO);
      GatewayHarness first = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, MutableClock.ahead(Duration.ZERO));
      GatewayHarness second = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clockB);

      send(first, 20); // a fails every call: five in a row open its breaker, the pause is written at once
      a.resetCalls();
      send(second, 20);
      assertEquals(0, a.calls(), "the second gateway skips a");

      clockB.advance(BreakerSettings.DEFAULT_COOLDOWN);
      a.failing(0, 500);
      send(second, 20);
      assertTrue(a.calls() > 0, "until the first gateway's cooldown is over");
    }
  }

  @Test
  void statisticsOneGatewayMergedSteerTheOtherBeforeItHasFiguresOfItsOwn() {
    DynamoDbTargetStatsStore store = store();
    try (LoopbackUpstream a = LoopbackUpstream.start(5, 0, 1); LoopbackUpstream b = LoopbackUpstream.start(50, 0, 2)) {
      StaticConfigSource config = new StaticConfigSource("shared", items(a, b, "latency"));
      MutableClock clockA = MutableClock.ahead(Duration.ZERO);
      GatewayHarness first = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, clockA);
      GatewayHarness second = GatewayHarness.withStatsStore(config, Map.of("KEY", "k"), store, MutableClock.ahead(Duration.ZERO));
      send(first, 30);
      clockA.advance(GatewayHarness.STATS_SYNC);
      send(first, 1); // merges its sums into the current minute's bucket

      a.resetCalls();
      send(second, 60); // its first request reads the cluster view

      assertTrue(a.calls() >= 51, "the second gateway follows the merged latency figures: " + a.calls() + " of 60");
    }
  }
}
