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

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }
}
