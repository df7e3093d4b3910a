package dev.tollgate.limit;

/**
 * What a counter has used in the window that counts at the moment it was read (for a sliding
 * window, the weighted estimate), and where that window begins and ends.
 */
public record CounterState(CounterKey counter, long used, java.time.Instant windowStart, java.time.Instant windowEnd) {

  /** What is left of {@code limit}, never negative (usage settled above its estimate can pass the limit). */
  public long remaining(long limit) {
    return Math.max(0, limit - used);
  }
}
