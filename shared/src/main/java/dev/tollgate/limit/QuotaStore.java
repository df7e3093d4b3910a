package dev.tollgate.limit;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exact counters for token and request limits, used as reserve-then-settle: reserve an estimate
 * before the upstream call, settle to the real usage after it (or release on failure).
 * Implementations throw {@link QuotaStoreException} when they cannot answer.
 */
public interface QuotaStore {

  /**
   * Most draws one reserve takes; a settlement writes one item per draw plus its marker, and one
   * DynamoDB transaction holds at most 100 writes.
   */
  int MAX_DRAWS = 99;

  /** Reserves every draw or none, atomically; the draws name distinct counters. */
  ReserveOutcome reserve(String requestId, List<Draw> draws, Instant now);

  /**
   * Moves each counter from its reserved amount to {@code actual} (missing counters keep their
   * reservation). Idempotent per request id: once a settlement has changed the counters, a repeat
   * of it changes nothing.
   */
  void settle(Reservation reservation, Map<CounterKey, Long> actual, Instant now);

  /** Gives back everything the reservation holds: settles it to zero. */
  default void release(Reservation reservation, Instant now) {
    settle(reservation, reservation.nothingUsed(), now);
  }

  /** The usage of each counter in the window that counts at {@code now}, in the order asked. */
  List<CounterState> read(List<CounterKey> keys, Instant now);

  /** Checks the draws a reserve is given; adapters call it first. */
  static List<Draw> checked(List<Draw> draws) {
    if (draws.isEmpty() || draws.size() > MAX_DRAWS) {
      throw new IllegalArgumentException("a reserve takes 1 to " + MAX_DRAWS + " draws, got " + draws.size());
    }
    Set<CounterKey> seen = new HashSet<>();
    for (Draw draw : draws) {
      if (!seen.add(draw.counter())) {
        throw new IllegalArgumentException("two draws on one counter: " + draw.counter());
      }
    }
    return List.copyOf(draws);
  }
}
