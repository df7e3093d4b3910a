package dev.tollgate.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of one target's breaker (see {@link CircuitBreakers}); every method holds the lock,
 * each is a few field updates.
 */
final class TargetBreaker {

  enum State { CLOSED, OPEN, HALF_OPEN }

  /** The error-rate window is counted in this many buckets, so it slides by a tenth of its length. */
  private static final int BUCKETS = 10;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private Instant openUntil = Instant.MIN;
  /** When the half-open probe went out; null while no probe is out. */
  private Instant probeSince;
  private Instant cooldownUntil = Instant.MIN;

  private long bucketMillis;
  private final long[] bucketIndex = new long[BUCKETS];
  private final int[] bucketCalls = new int[BUCKETS];
  private final int[] bucketFailures = new int[BUCKETS];

  synchronized Optional<CircuitBreakers.Block> blocked(Instant now, BreakerSettings settings) {
    if (now.isBefore(cooldownUntil)) {
      return Optional.of(new CircuitBreakers.Block("cooldown until " + cooldownUntil, cooldownUntil));
    }
    if (!settings.enabled()) {
      return Optional.empty();
    }
    if (state == State.OPEN && now.isBefore(openUntil)) {
      return Optional.of(new CircuitBreakers.Block("open", openUntil));
    }
    if (state == State.HALF_OPEN && probeOut(now, settings)) {
      return Optional.of(new CircuitBreakers.Block("half-open, probe in flight", now.plusSeconds(1)));
    }
    return Optional.empty();
  }

  synchronized boolean tryAcquire(Instant now, BreakerSettings settings) {
    if (blocked(now, settings).isPresent()) {
      return false;
    }
    if (!settings.enabled()) {
      return true;
    }
    if (state == State.OPEN) { // the cool-down is over
      state = State.HALF_OPEN;
    }
    if (state == State.HALF_OPEN) {
      probeSince = now;
    }
    return true;
  }

  synchronized void succeeded(Instant now, BreakerSettings settings) {
    if (state == State.HALF_OPEN) {
      close();
    } else if (state == State.CLOSED) {
      consecutiveFailures = 0;
      record(now, settings, false);
    } // OPEN: a call that went out before it opened proves little

  }

  /** @return why the breaker opened, when this failure opened it */
  synchronized Optional<String> failed(Instant now, BreakerSettings settings) {
    if (!settings.enabled() || state == State.OPEN) { // OPEN: a late answer of a call sent before it opened
      return Optional.empty();
    }
    if (state == State.HALF_OPEN) {
      return Optional.of(open(now, settings, "the half-open probe failed"));
    }
    consecutiveFailures++;
    record(now, settings, true);
    if (consecutiveFailures >= settings.failures()) {
      return Optional.of(open(now, settings, consecutiveFailures + " consecutive failures"));
    }
    int calls = calls(now, settings, false);
    int failures = calls(now, settings, true);
    if (calls >= settings.minCalls() && failures >= settings.errorRate() * calls) {
      return Optional.of(
          open(now, settings, failures + " of " + calls + " calls failed within " + settings.window().toSeconds() + " s"));
    }
    return Optional.empty();
  }

  synchronized void released() {
    probeSince = null;
  }

  synchronized void coolDownUntil(Instant until) {
    if (until.isAfter(cooldownUntil)) {
      cooldownUntil = until;
    }
  }

  /** A probe that never reported (its request died) stops blocking after one cool-down. */
  private boolean probeOut(Instant now, BreakerSettings settings) {
    return probeSince != null && now.isBefore(probeSince.plus(settings.cooldown()));
  }

  private String open(Instant now, BreakerSettings settings, String reason) {
    state = State.OPEN;
    openUntil = now.plus(settings.cooldown());
    probeSince = null;
    return reason;
  }

  private void close() {
    state = State.CLOSED;
    probeSince = null;
    consecutiveFailures = 0;
    java.util.Arrays.fill(bucketIndex, Long.MIN_VALUE);
  }

  private void record(Instant now, BreakerSettings settings, boolean failure) {
    long index = bucket(now, settings);
    int slot = (int) Math.floorMod(index, (long) BUCKETS);
    if (bucketIndex[slot] != index) {
      bucketIndex[slot] = index;
      bucketCalls[slot] = 0;
      bucketFailures[slot] = 0;
    }
    bucketCalls[slot]++;
    if (failure) {
      bucketFailures[slot]++;
    }
  }

  private int calls(Instant now, BreakerSettings settings, boolean failuresOnly) {
    long index = bucket(now, settings);
    int total = 0;
    for (int slot = 0; slot < BUCKETS; slot++) {
      if (bucketIndex[slot] > index - BUCKETS && bucketIndex[slot] <= index) {
        total += failuresOnly ? bucketFailures[slot] : bucketCalls[slot];
      }
    }
    return total;
  }

  /** The bucket {@code now} falls in; a changed window length starts the counts over. */
  private long bucket(Instant now, BreakerSettings settings) {
    long millis = Math.max(1, settings.window().toMillis() / BUCKETS);
    if (millis != bucketMillis) {
      bucketMillis = millis;
      java.util.Arrays.fill(bucketIndex, Long.MIN_VALUE);
    }
    return Math.floorDiv(now.toEpochMilli(), millis);
  }
}
