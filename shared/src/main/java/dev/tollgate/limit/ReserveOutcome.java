package dev.tollgate.limit;

import java.time.Duration;

/** The answer to a reserve: everything was reserved, or nothing was and one draw is named. */
public sealed interface ReserveOutcome {

  /** Every draw fitted and is now held. */
  record Admitted(Reservation reservation) implements ReserveOutcome {}

  /**
   * {@code draw} did not fit, so nothing was reserved. {@code remaining} is what that counter had
   * left when checked; {@code retryAfter} is when the same draw could fit if nothing else is used.
   */
  record Rejected(Draw draw, long remaining, Duration retryAfter) implements ReserveOutcome {}
}
