package dev.tollgate.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock a test moves by hand, so time-dependent code is tested without sleeping. */
public final class MutableClock implements InstantSource {

  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** A clock at a fixed, recognisable moment. */
  public static MutableClock startingAt(String isoInstant) {
    return new MutableClock(Instant.parse(isoInstant));
  }

  /**
   * 10:00:00 UTC tomorrow: a moment aligned to the hour and day like the fixed ones, but never in
   * the wall clock's past. DynamoDB Local hides items whose TTL attribute has passed (in reads and
   * conditions), so counters and settlement markers written at a fixed date would vanish once that
   * date is a few days old.
   */
  public static final Instant AHEAD = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(34));

  /** A clock at {@link #AHEAD} plus {@code offset}. */
  public static MutableClock ahead(Duration offset) {
    return new MutableClock(AHEAD.plus(offset));
  }

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }
}
