package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.config.ConfigItem;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the cluster counters cannot be reached: fail closed or open as each policy says; local mode never asks them. */
class QuotaStoreFailureTest {

  /** A cluster store that is down: every call fails, and is counted. */
  static final class DownStore implements QuotaStore {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ReserveOutcome reserve(String requestId, List<Draw> draws, Instant now) {
      calls.incrementAndGet();
      throw new QuotaStoreException("DynamoDB unreachable", null);
    }

    @Override
    public void settle(Reservation reservation, Map<CounterKey, Long> actual, Instant now) {
      calls.incrementAndGet();
      throw new QuotaStoreException("DynamoDB unreachable", null);
    }

    @Override
    public List<CounterState> read(List<CounterKey> keys, Instant now) {
      calls.incrementAndGet();
      throw new QuotaStoreException("DynamoDB unreachable", null);
    }
  }

  static final String SMALL = "{\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final DownStore down = new DownStore();

  private GatewayHarness gateway(ConfigItem... limits) {
    List<ConfigItem> items = new java.util.ArrayList<>(List.of(ConfigItems.scriptedTarget("chat", "a").build()));
    items.addAll(List.of(limits));
    return GatewayHarness.withQuotaStore(items, down, QuotaGatewayTest.START);
  }

  private static ConfigItem policy(String name, String onStoreFailure, String mode) {
    return QuotaGatewayTest.tokensPerMinute(name, 1_000).with("onStoreFailure", onStoreFailure).with("mode", mode).build();
  }

  @Test
  void failClosedRefusesWith503AndCallsNoUpstream() {
    GatewayHarness gateway = gateway(policy("closed", "failClosed", "cluster"));

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(503, response.status());
    assertEquals("limit_store_unavailable", GatewayHarness.errorCode(response));
    assertTrue(GatewayHarness.errorMessage(response).contains("'closed'"));
    assertEquals("1", response.header("retry-after"));
    assertTrue(gateway.provider().calls().isEmpty());
    assertEquals(1.0, gateway.metrics().sum(MetricNames.LIMIT_STORE_FAIL_CLOSED));
    assertEquals(
        List.of("unavailable"), gateway.audit().records().getFirst().verdicts().stream().map(v -> v.action()).toList());
  }

  @Test
  void failOpenLetsTheRequestThroughUncountedWithAMetric() {
    GatewayHarness gateway = gateway(policy("open", "failOpen", "cluster"));

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(1, gateway.provider().calls().size());
    assertEquals(1.0, gateway.metrics().sum(MetricNames.LIMIT_STORE_FAIL_OPEN));
    assertEquals(1, down.calls.get(), "one failed reserve; nothing held, so nothing to settle");
    var verdicts = gateway.audit().records().getFirst().verdicts();
    assertEquals(List.of("failOpen"), verdicts.stream().map(v -> v.action()).toList(), "the audit record says it went uncounted");
    assertEquals("open", verdicts.getFirst().policy());
  }

  @Test
  void oneFailClosedPolicyAmongFailOpenOnesRefusesAndGivesBackTheLocalReservation() {
    GatewayHarness gateway =
        gateway(policy("open", "failOpen", "cluster"), policy("closed", "failClosed", "cluster"),
            QuotaGatewayTest.tokensPerMinute("local", 20).with("mode", "local").build());

    assertEquals(503, gateway.chat(SMALL).status());
    // About 13 tokens each: had the first request kept its local share, the second would not fit in 20.
    GatewayResponse second = gateway.chat(SMALL);
    assertEquals(503, second.status(), second.bodyText());
    assertEquals(2.0, gateway.metrics().sum(MetricNames.LIMIT_STORE_FAIL_CLOSED));
  }

  @Test
  void localModeNeverCallsTheClusterStore() {
    GatewayHarness gateway = gateway(QuotaGatewayTest.tokensPerMinute("local", 30).with("mode", "local").build());
    gateway.provider().on("a", QuotaGatewayTest.using(10, 10));

    assertEquals(200, gateway.chat(SMALL).status());
    GatewayResponse second = gateway.chat(SMALL);

    assertEquals(429, second.status(), "20 settled + this request's estimate is over 30 in this instance's memory");
    assertEquals(0, down.calls.get());
  }
}
