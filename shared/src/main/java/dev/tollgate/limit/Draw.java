package dev.tollgate.limit;

import java.util.Objects;

/** What one request wants from one counter: {@code amount} more, as long as it stays within {@code limit}. */
public record Draw(CounterKey counter, long limit, long amount) {

  /** The largest limit or amount (10^15): far beyond any real budget, and sums of a few never overflow. */
  public static final long MAX = 1_000_000_000_000_000L;

  public Draw {
    Objects.requireNonNull(counter, "counter");
    if (limit < 0 || amount < 0 || limit > MAX || amount > MAX) {
      throw new IllegalArgumentException("limit and amount must be 0 to " + MAX + ": " + limit + ", " + amount);
    }
  }
}
