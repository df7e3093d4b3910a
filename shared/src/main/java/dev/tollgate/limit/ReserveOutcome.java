package dev.tollgate.limit;

import java.time.Duration;
import java.util.Map;

/** The answer to a reserve: everything was reserved, or nothing was and one draw is named. */
public sealed interface ReserveOutcome {

  /**
   * Every draw fitted and is now held. {@code usedAfter} has, for the counters whose count the
   * store learnt while reserving, the window's usage with this reservation in it (for the
   * {@code x-ratelimit-remaining-*} headers); a store that could not learn it leaves it out.
   */
  record Admitted(Reservation reservation, Map<CounterKey, Long> usedAfter) implements ReserveOutcome {

    public Admitted {
      usedAfter = Map.copyOf(usedAfter);
    }

    public Admitted(Reservation reservation) {
      this(reservation, Map.of());
    }
  }

  /**
   * {@code draw} did not fit, so nothing was reserved. {@code remaining} is what that counter had
   * left when checked; {@code retryAfter} is when the same draw could fit if nothing else is used.
   */
  record Rejected(Draw draw, long remaining, Duration retryAfter) implements ReserveOutcome {}
}
