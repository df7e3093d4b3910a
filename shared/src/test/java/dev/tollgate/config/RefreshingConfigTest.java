package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.ApiException;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reloading on a clock: when the snapshot changes, and what happens when the source fails. */
class RefreshingConfigTest {

  private static final Duration INTERVAL = Duration.ofSeconds(15);

  private final MutableClock clock = MutableClock.startingAt("2026-03-01T12:00:00Z");
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final CountingSource source = new CountingSource(new StaticConfigSource("test", List.of(mockTarget("first"))));
  private final RefreshingConfig config =
      new RefreshingConfig(
          source,
          new ConfigValidator(new ProviderRegistry().register(new MockProvider(clock))),
          INTERVAL,
          clock,
          metrics,
          RefreshingConfig.IN_PLACE);

  private static ConfigItem mockTarget(String alias) {
    return ConfigItems.target(alias, "m").with("provider", "mock").build();
  }

  /** A config source that counts its loads and can be made to fail. */
  private static final class CountingSource implements ConfigSource {
    private final StaticConfigSource items;
    private int loads;
    private boolean failing;

    CountingSource(StaticConfigSource items) {
      this.items = items;
    }

    @Override
    public List<ConfigItem> load() {
      loads++;
      if (failing) {
        throw new IllegalStateException("table unreachable");
      }
      return items.load();
    }

    @Override
    public String describe() {
      return "counting source";
    }
  }

  @Test
  void theFirstRequestLoadsAndStampsTheSnapshot() {
    GatewayConfig snapshot = config.current();

    assertEquals(1, source.loads);
    assertTrue(snapshot.route("first").isPresent());
    assertEquals(clock.instant(), snapshot.loadedAt());
  }

  @Test
  void reloadsOnlyOnceTheIntervalHasPassed() {
    GatewayConfig first = config.current();
    clock.advance(INTERVAL.minusMillis(1));

    assertSame(first, config.current());
    assertSame(first, config.current());
    assertEquals(1, source.loads);

    clock.advance(Duration.ofMillis(1));

    assertNotSame(first, config.current());
    assertEquals(2, source.loads);
  }

  @Test
  void anEditBecomesVisibleAfterTheIntervalAndNotBefore() {
    config.current();
    source.items.replace(List.of(mockTarget("second")));
    clock.advance(INTERVAL.minusSeconds(1));

    assertTrue(config.current().route("second").isEmpty());

    clock.advance(Duration.ofSeconds(1));

    assertTrue(config.current().route("second").isPresent());
    assertTrue(config.current().route("first").isEmpty());
  }

  @Test
  void aFailingSourceKeepsTheLastGoodSnapshotAndRetriesAfterASecond() {
    GatewayConfig good = config.current();
    source.failing = true;
    clock.advance(INTERVAL);

    assertSame(good, config.current());
    assertEquals(2, source.loads);
    assertEquals(1, metrics.sum(MetricNames.CONFIG_LOAD_FAILED));

    clock.advance(Duration.ofMillis(999));
    assertSame(good, config.current());
    assertEquals(2, source.loads, "no retry within the second");

    clock.advance(Duration.ofMillis(1));
    assertSame(good, config.current());
    assertEquals(3, source.loads);

    source.failing = false;
    source.items.replace(List.of(mockTarget("recovered")));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(config.current().route("recovered").isPresent());
  }

  @Test
  void withoutAnySnapshotTheGatewayIsUnavailable() {
    source.failing = true;

    ApiException thrown = assertThrows(ApiException.class, config::current);

    assertEquals(503, thrown.error().status());
    assertEquals("config_unavailable", thrown.error().code());
    assertTrue(thrown.error().retryAfterSeconds() > 0);

    source.failing = false;
    assertTrue(config.current().route("first").isPresent(), "with nothing to serve, the next request tries again");
  }

  @Test
  void expireForcesAReloadAtOnce() {
    config.current();
    source.items.replace(List.of(mockTarget("after-restore")));

    config.expire();

    assertTrue(config.current().route("after-restore").isPresent());
    assertEquals(2, source.loads);
  }

  @Test
  void rejectedItemsAreCountedOnEveryLoad() {
    source.items.replace(
        List.of(
            mockTarget("ok"),
            ConfigItems.target("bad", "m").with("provider", "nope").build(),
            ConfigItems.settings().with("maxAttempts", 99).with("maxRequestBytes", 1).build()));

    GatewayConfig snapshot = config.current();

    assertEquals(2, metrics.sum(MetricNames.CONFIG_ITEMS_REJECTED), "items, not errors: settings has two");
    assertTrue(snapshot.route("ok").isPresent());

    clock.advance(INTERVAL);
    config.current();

    assertEquals(4, metrics.sum(MetricNames.CONFIG_ITEMS_REJECTED));
  }

  @Test
  void aDueReloadRunsInTheBackgroundWhileRequestsKeepTheSnapshot() {
    List<Runnable> started = new java.util.ArrayList<>();
    RefreshingConfig background =
        new RefreshingConfig(
            source,
            new ConfigValidator(new ProviderRegistry().register(new MockProvider(clock))),
            INTERVAL,
            clock,
            metrics,
            started::add);
    GatewayConfig first = background.current();
    assertEquals(1, source.loads, "the first load makes its request wait");
    source.items.replace(List.of(mockTarget("edited")));
    clock.advance(INTERVAL);

    assertSame(first, background.current(), "no request waits for a due reload");
    assertSame(first, background.current());
    assertEquals(1, started.size(), "one reload at a time");
    assertEquals(1, source.loads);

    started.getFirst().run();
    assertEquals(2, source.loads);
    assertTrue(background.current().route("edited").isPresent());

    background.expire();
    source.items.replace(List.of(mockTarget("after-restore")));
    assertTrue(background.current().route("after-restore").isPresent(), "after expire() the request waits for the reload");
    assertEquals(1, started.size());
  }
}
