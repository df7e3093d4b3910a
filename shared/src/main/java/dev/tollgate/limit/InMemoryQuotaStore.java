package dev.tollgate.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link QuotaStore} in this process's memory, with the same semantics as the DynamoDB one: for
 * the per-instance ({@code local}) mode, where a limit holds per instance, and for tests. One lock
 * makes every reserve and settle atomic; buckets and settlement marks older than two windows
 * (marks: two days) are dropped as time moves on.
 */
public final class InMemoryQuotaStore implements QuotaStore {

  private static final Duration SETTLED_KEPT = Duration.ofDays(2);
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  private record Bucket(CounterKey counter, Instant start) {}

  private final Map<Bucket, Long> counts = new HashMap<>();
  private final Map<String, Instant> settledUntil = new HashMap<>();
  private Instant nextPrune = Instant.MIN;

  @Override
  public synchronized ReserveOutcome reserve(String requestId, List<Draw> draws, Instant now) {
    List<Draw> checked = QuotaStore.checked(draws);
    prune(now);
    List<Reservation.Hold> holds = new ArrayList<>();
    for (Draw draw : checked) {
      WindowUsage usage = usage(draw.counter(), now);
      if (!usage.fits(draw.limit(), draw.amount())) {
        return new ReserveOutcome.Rejected(
            draw, usage.remaining(draw.limit()), usage.retryAfter(draw.limit(), draw.amount()));
      }
      holds.add(new Reservation.Hold(draw.counter(), usage.bucketStart(), draw.amount()));
    }
    Map<CounterKey, Long> usedAfter = new HashMap<>();
    for (Reservation.Hold hold : holds) {
      counts.merge(new Bucket(hold.counter(), hold.bucketStart()), hold.amount(), Long::sum);
      usedAfter.put(hold.counter(), usage(hold.counter(), now).used());
    }
    return new ReserveOutcome.Admitted(new Reservation(requestId, holds), usedAfter);
  }

  @Override
  public synchronized void settle(Reservation reservation, Map<CounterKey, Long> actual, Instant now) {
    Map<Reservation.Hold, Long> corrections = reservation.corrections(actual);
    // Like the DynamoDB store: a settlement that changes nothing leaves no mark.
    if (corrections.isEmpty() || settledUntil.containsKey(reservation.requestId())) {
      return;
    }
    corrections.forEach((hold, delta) -> counts.merge(new Bucket(hold.counter(), hold.bucketStart()), delta, Long::sum));
    settledUntil.put(reservation.requestId(), now.plus(SETTLED_KEPT));
  }

  @Override
  public synchronized List<CounterState> read(List<CounterKey> keys, Instant now) {
    return keys.stream()
        .map(key -> new CounterState(key, usage(key, now).used(), key.window().start(now), key.window().end(now)))
        .toList();
  }

  private WindowUsage usage(CounterKey counter, Instant now) {
    Instant start = counter.window().bucketStart(now);
    long current = counts.getOrDefault(new Bucket(counter, start), 0L);
    long previous = counts.getOrDefault(new Bucket(counter, start.minus(counter.window().length())), 0L);
    return new WindowUsage(counter.window(), now, previous, current);
  }

  private void prune(Instant now) {
    if (now.isBefore(nextPrune)) {
      return;
    }
    nextPrune = now.plus(PRUNE_EVERY);
    // A bucket still matters while it is current or previous, and while a late settlement may come.
    counts.keySet().removeIf(b -> b.start().plus(b.counter().window().length().multipliedBy(2)).plus(SETTLED_KEPT).isBefore(now));
    settledUntil.values().removeIf(until -> until.isBefore(now));
  }
}
