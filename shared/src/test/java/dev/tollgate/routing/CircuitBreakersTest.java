package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.provider.FailureKind;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The breaker's states and transitions, and upstream Retry-After cooldowns, on a hand-moved clock. */
class CircuitBreakersTest {

  private static final String T = "t";
  /** 3 consecutive failures, or 50 % of at least 10 calls in 10 s; open for 30 s. */
  private static final BreakerSettings S =
      new BreakerSettings(3, 0.5, 10, Duration.ofSeconds(10), Duration.ofSeconds(30));

  private final MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final CircuitBreakers breakers = new CircuitBreakers(clock, metrics);

  private Optional<String> fail() {
    assertTrue(breakers.tryAcquire(T, S));
    return breakers.failed(T, FailureKind.SERVER_ERROR, 0, S);
  }

  private void succeed() {
    assertTrue(breakers.tryAcquire(T, S));
    breakers.succeeded(T, S);
  }

  private void open() {
    fail();
    fail();
    assertEquals(Optional.of("3 consecutive failures"), fail());
  }

  @Test
  void anUnknownTargetIsClosed() {
    assertEquals(Optional.empty(), breakers.blocked(T, S));
    assertTrue(breakers.tryAcquire(T, S));
  }

  @Test
  void opensAfterTheConsecutiveFailuresAndStaysOpenForTheCooldown() {
    fail();
    fail();
    assertEquals(Optional.empty(), breakers.blocked(T, S), "two failures are not enough");

    assertEquals(Optional.of("3 consecutive failures"), fail());

    CircuitBreakers.Block block = breakers.blocked(T, S).orElseThrow();
    assertEquals("open", block.detail());
    assertEquals(clock.instant().plusSeconds(30), block.until());
    assertFalse(breakers.tryAcquire(T, S));
    assertEquals(1, metrics.sum(MetricNames.BREAKER_OPENED));
    clock.advance(Duration.ofSeconds(29));
    assertFalse(breakers.tryAcquire(T, S), "still open one second before the cooldown ends");
  }

  @Test
  void aSuccessInBetweenStartsTheConsecutiveCountOver() {
    fail();
    fail();
    succeed();
    fail();
    fail();
    assertEquals(Optional.empty(), breakers.blocked(T, S));
  }

  @Test
  void afterTheCooldownExactlyOneProbeGoesThroughAndItsSuccessCloses() {
    open();
    clock.advance(Duration.ofSeconds(30));

    assertEquals(Optional.empty(), breakers.blocked(T, S), "half-open: the probe slot is free");
    assertTrue(breakers.tryAcquire(T, S), "the probe");
    assertEquals("half-open, probe in flight", breakers.blocked(T, S).orElseThrow().detail());
    assertFalse(breakers.tryAcquire(T, S), "a second request while the probe is out");

    breakers.succeeded(T, S);

    assertEquals(Optional.empty(), breakers.blocked(T, S));
    assertTrue(breakers.tryAcquire(T, S));
    assertTrue(breakers.tryAcquire(T, S), "closed: any number of calls");
  }

  @Test
  void aFailedProbeReopensForAnotherCooldown() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertTrue(breakers.tryAcquire(T, S));

    assertEquals(Optional.of("the half-open probe failed"), breakers.failed(T, FailureKind.TIMED_OUT, 0, S));

    assertEquals(clock.instant().plusSeconds(30), breakers.blocked(T, S).orElseThrow().until());
    assertEquals(2, metrics.sum(MetricNames.BREAKER_OPENED));
  }

  @Test
  void aProbeThatWasNeverMadeGivesItsSlotBack() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertTrue(breakers.tryAcquire(T, S));

    breakers.released(T);

    assertTrue(breakers.tryAcquire(T, S), "the next request may probe");
  }

  @Test
  void aProbeThatNeverReportsStopsBlockingAfterACooldown() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertTrue(breakers.tryAcquire(T, S));
    clock.advance(Duration.ofSeconds(30));

    assertTrue(breakers.tryAcquire(T, S));
  }

  @Test
  void aRejectedRequestIsNotTheTargetsFault() {
    for (int i = 0; i < 10; i++) {
      assertTrue(breakers.tryAcquire(T, S));
      assertEquals(Optional.empty(), breakers.failed(T, FailureKind.REQUEST_REJECTED, 0, S));
    }
    assertEquals(Optional.empty(), breakers.blocked(T, S));
  }

  @Test
  void aRejectedProbeGivesItsSlotBackAndLeavesTheBreakerHalfOpen() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertTrue(breakers.tryAcquire(T, S));

    breakers.failed(T, FailureKind.REQUEST_REJECTED, 0, S);

    assertTrue(breakers.tryAcquire(T, S), "another probe");
    assertFalse(breakers.tryAcquire(T, S), "still one at a time");
  }

  @Test
  void opensWhenTheErrorRateReachesTheThresholdOverEnoughCalls() {
    for (int i = 0; i < 4; i++) { // alternating: never 3 in a row
      succeed();
      fail();
    }
    succeed();
    assertEquals(Optional.empty(), breakers.blocked(T, S), "4 of 9: under the minimum of calls");

    assertEquals(Optional.of("5 of 10 calls failed within 10 s"), fail());

    assertEquals("open", breakers.blocked(T, S).orElseThrow().detail());
  }

  @Test
  void callsOutsideTheWindowDoNotCount() {
    for (int i = 0; i < 4; i++) {
      succeed();
      fail();
    }
    clock.advance(Duration.ofSeconds(11));
    succeed();
    fail();
    assertEquals(Optional.empty(), breakers.blocked(T, S), "only 2 calls within the window");
  }

  @Test
  void aLateAnswerOfACallSentBeforeItOpenedChangesNothing() {
    open();
    Instant until = breakers.blocked(T, S).orElseThrow().until();
    clock.advance(Duration.ofSeconds(5));

    assertEquals(Optional.empty(), breakers.failed(T, FailureKind.SERVER_ERROR, 0, S));
    breakers.succeeded(T, S);

    assertEquals(until, breakers.blocked(T, S).orElseThrow().until());
  }

  @Test
  void breakerFailuresZeroTurnsTheBreakerOff() {
    for (int i = 0; i < 50; i++) {
      assertTrue(breakers.tryAcquire(T, BreakerSettings.OFF));
      assertEquals(Optional.empty(), breakers.failed(T, FailureKind.SERVER_ERROR, 0, BreakerSettings.OFF));
    }
    assertEquals(Optional.empty(), breakers.blocked(T, BreakerSettings.OFF));
    assertEquals(0, metrics.sum(MetricNames.BREAKER_OPENED));
  }

  @Test
  void aRateLimitWithRetryAfterPausesTheTargetUntilThenWhateverTheCounts() {
    assertTrue(breakers.tryAcquire(T, S));
    assertEquals(Optional.empty(), breakers.failed(T, FailureKind.RATE_LIMITED, 10, S), "one failure opens nothing");

    CircuitBreakers.Block block = breakers.blocked(T, S).orElseThrow();
    Instant until = clock.instant().plusSeconds(10);
    assertEquals(until, block.until());
    assertEquals("cooldown until " + until, block.detail());
    assertFalse(breakers.tryAcquire(T, S));
    clock.advance(Duration.ofSeconds(9));
    assertFalse(breakers.tryAcquire(T, S));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(breakers.tryAcquire(T, S));
  }

  @Test
  void retryAfterIsHonouredEvenWithTheBreakerOff() {
    breakers.failed(T, FailureKind.RATE_LIMITED, 10, BreakerSettings.OFF);

    assertTrue(breakers.blocked(T, BreakerSettings.OFF).isPresent());
  }

  @Test
  void retryAfterIsCappedAtFiveMinutes() {
    breakers.failed(T, FailureKind.RATE_LIMITED, 86_400, S);

    assertEquals(clock.instant().plus(CircuitBreakers.MAX_RETRY_AFTER), breakers.blocked(T, S).orElseThrow().until());
    assertEquals(Duration.ofMinutes(5), CircuitBreakers.retryAfter(301));
    assertEquals(Duration.ofSeconds(299), CircuitBreakers.retryAfter(299));
  }

  @Test
  void aShorterRetryAfterDoesNotShortenAPause() {
    breakers.failed(T, FailureKind.RATE_LIMITED, 60, S);
    breakers.failed(T, FailureKind.RATE_LIMITED, 5, S);

    assertEquals(clock.instant().plusSeconds(60), breakers.blocked(T, S).orElseThrow().until());
  }

  @Test
  void onlyRateLimitsPause() {
    breakers.failed(T, FailureKind.SERVER_ERROR, 10, S);

    assertEquals(Optional.empty(), breakers.blocked(T, S));
  }

  @Test
  void breakersAreKeptPerTarget() {
    open();

    assertTrue(breakers.blocked(T, S).isPresent());
    assertEquals(Optional.empty(), breakers.blocked("other", S));
  }

  @Test
  void concurrentRequestsOnAHalfOpenBreakerGetExactlyOneProbe() throws Exception {
    open();
    clock.advance(Duration.ofSeconds(30));
    java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();

    dev.tollgate.testing.Race.run(32, caller -> {
      if (breakers.tryAcquire(T, S)) {
        probes.incrementAndGet();
      }
    });

    assertEquals(1, probes.get());
  }

  @Test
  void concurrentFailuresOpenTheBreakerOnce() throws Exception {
    dev.tollgate.testing.Race.run(32, caller -> breakers.failed(T, FailureKind.NETWORK_ERROR, 0, S));

    assertEquals(1, metrics.sum(MetricNames.BREAKER_OPENED));
    assertTrue(breakers.blocked(T, S).isPresent());
  }
}
