package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.provider.FailureKind;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-instance averages, the sums handed to the store, and the blend with the cluster's view. */
class TargetStatsTest {

  private static final long MS = 1_000_000;

  @Test
  void latencyIsAnEwmaOfSuccessfulCallsAndRatesAreEwmasOfEachCall() {
    TargetStats stats = new TargetStats();
    stats.succeeded("chat#a", 100 * MS, -1);
    stats.succeeded("chat#a", 200 * MS, 40 * MS);
    stats.failed("chat#a", FailureKind.RATE_LIMITED);
    stats.failed("chat#a", FailureKind.REQUEST_REJECTED); // the request's fault: not counted

    TargetHealth health = stats.health("chat#a");

    assertEquals(3, health.calls());
    assertEquals(100 + 0.2 * (200 - 100), health.latencyMs(), 1e-9);
    assertEquals(40, health.ttftMs(), 1e-9);
    // one failure in three calls: the EWMA (0.1) over the weight three samples carry, 1 - 0.9^3
    double weight = 1 - Math.pow(0.9, 3);
    assertEquals(0.1 / weight, health.errorRate(), 1e-9);
    assertEquals(0.1 / weight, health.rate429(), 1e-9);
    assertEquals(0, health.timeoutRate(), 1e-9);
  }

  @Test
  void aTargetFailingThreeOfItsFirstFiveCallsReadsUnhealthyNotNearlyClean() {
    TargetStats stats = new TargetStats();
    stats.failed("chat#a", FailureKind.SERVER_ERROR);
    stats.failed("chat#a", FailureKind.SERVER_ERROR);
    stats.succeeded("chat#a", 10 * MS, -1);
    stats.failed("chat#a", FailureKind.SERVER_ERROR);
    stats.succeeded("chat#a", 10 * MS, -1);

    assertTrue(stats.health("chat#a").errorRate() > 0.5, "error rate " + stats.health("chat#a").errorRate());
  }

  @Test
  void drainTakesTheSumsOnceAndRestorePutsThemBack() {
    TargetStats stats = new TargetStats();
    stats.succeeded("chat#a", 100 * MS, 30 * MS);
    stats.failed("chat#a", FailureKind.TIMED_OUT);

    Map<String, StatsDelta> drained = stats.drain();

    assertEquals(Map.of("chat#a", new StatsDelta(2, 1, 0, 1, 100, 30, 1)), drained);
    assertEquals(Map.of(), stats.drain());
    stats.restore(drained);
    assertEquals(drained, stats.drain());
  }

  @Test
  void aBlendWeighsEachSideByItsCallsUpToTwenty() {
    TargetHealth local = new TargetHealth(5, 100, Double.NaN, 0, 0, 0);
    TargetHealth cluster = new TargetHealth(500, 200, 50, 0.5, 0, 0);

    TargetHealth blended = TargetHealth.blend(local, cluster);

    assertEquals((100 * 5 + 200 * 20) / 25.0, blended.latencyMs(), 1e-9);
    assertEquals(50, blended.ttftMs(), 1e-9, "a side without the figure leaves it to the other");
    assertEquals(0.5 * 20 / 25, blended.errorRate(), 1e-9);
    assertEquals(500, blended.calls());
  }

  @Test
  void aFailingStoreNeverFailsTheCallerAndTheSumsWaitForTheNextSync() {
    InMemoryMetrics metrics = new InMemoryMetrics();
    MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
    InMemoryTargetStatsStore healthy = new InMemoryTargetStatsStore();
    boolean[] down = {true};
    TargetStatsStore flaky =
        new TargetStatsStore() {
          @Override
          public void add(Instant bucket, Map<String, StatsDelta> deltas) {
            if (down[0]) {
              throw new IllegalStateException("store down");
            }
            healthy.add(bucket, deltas);
          }

          @Override
          public void pause(Map<String, Instant> untilByTarget) {
            healthy.pause(untilByTarget);
          }

          @Override
          public ClusterView read(Instant firstBucket, Instant lastBucket, Instant now) {
            return healthy.read(firstBucket, lastBucket, now);
          }
        };
    SharedTargetStats stats = new SharedTargetStats(flaky, clock, Duration.ofSeconds(5), Runnable::run, metrics);

    stats.succeeded("chat#a", 10 * MS, -1);
    stats.syncIfDue(); // the next request syncs at once (nothing synced yet): the store fails
    assertEquals(1, metrics.sum(MetricNames.STATS_STORE_FAILURES));
    down[0] = false;
    stats.succeeded("chat#a", 30 * MS, -1); // not due yet
    clock.advance(Duration.ofSeconds(5));
    stats.syncIfDue();

    Instant minute = Instant.parse("2026-01-02T03:04:00Z");
    assertEquals(new StatsDelta(2, 0, 0, 0, 40, 0, 0), healthy.read(minute, minute, minute).sums().get("chat#a"));
    assertTrue(stats.health("chat#a").calls() >= 2);
  }

  @Test
  void aPauseIsWrittenAtTheNextRequestAndReadBackAsShared() {
    InMemoryTargetStatsStore store = new InMemoryTargetStatsStore();
    MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
    SharedTargetStats one = new SharedTargetStats(store, clock, Duration.ofSeconds(5), Runnable::run, new InMemoryMetrics());
    SharedTargetStats two = new SharedTargetStats(store, clock, Duration.ofSeconds(5), Runnable::run, new InMemoryMetrics());
    Instant until = clock.instant().plusSeconds(30);

    one.paused("chat#a", until);
    one.syncIfDue(); // the pausing instance's next request writes it
    two.syncIfDue();

    assertEquals(until, two.sharedPause("chat#a").orElseThrow());
    clock.advance(Duration.ofSeconds(30));
    assertTrue(two.sharedPause("chat#a").isEmpty());
  }
}
