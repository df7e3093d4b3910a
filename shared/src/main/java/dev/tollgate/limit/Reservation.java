package dev.tollgate.limit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a request holds after an admitted reserve: per counter, the bucket it was charged to and
 * how much. Settlement corrects exactly those buckets, even after the window has moved on.
 */
public record Reservation(String requestId, List<Hold> holds) {

  /** An amount held in one counter's bucket. */
  public record Hold(CounterKey counter, Instant bucketStart, long amount) {}

  public Reservation {
    Objects.requireNonNull(requestId, "requestId");
    holds = List.copyOf(holds);
  }

  /**
   * The non-zero corrections that settling to {@code actual} makes, per hold: actual minus
   * reserved. A counter missing from {@code actual} keeps its reserved amount.
   */
  public Map<Hold, Long> corrections(Map<CounterKey, Long> actual) {
    Set<CounterKey> held = holds.stream().map(Hold::counter).collect(Collectors.toSet());
    actual.forEach(
        (counter, amount) -> {
          if (!held.contains(counter)) {
            throw new IllegalArgumentException("request " + requestId + " holds nothing in " + counter);
          }
          if (amount == null || amount < 0 || amount > Draw.MAX) {
            throw new IllegalArgumentException("actual usage must be 0 to " + Draw.MAX + ": " + counter + " = " + amount);
          }
        });
    Map<Hold, Long> corrections = new LinkedHashMap<>();
    for (Hold hold : holds) {
      long delta = actual.getOrDefault(hold.counter(), hold.amount()) - hold.amount();
      if (delta != 0) {
        corrections.put(hold, delta);
      }
    }
    return corrections;
  }

  /** Settling everything to zero: what {@link QuotaStore#release} does. */
  public Map<CounterKey, Long> nothingUsed() {
    return holds.stream().collect(Collectors.toMap(Hold::counter, hold -> 0L));
  }
}
