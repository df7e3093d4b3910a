package dev.tollgate.moderation;

import java.time.Duration;
import java.time.Instant;

/** Where the moderation function keeps its results: audit records, flag counters, API keys. */
public interface ModerationStore {

  /**
   * Writes {@code outcome} as the {@code moderation} attribute of request {@code requestId}'s
   * audit record; false when that record does not exist (yet), and nothing was written.
   */
  boolean recordOutcome(String requestId, ModerationOutcome outcome);

  /**
   * Counts one flagged answer of {@code consumer} in the window starting at {@code windowStart}
   * (at most once per {@code requestId}, so a retried message is not counted twice) and returns
   * the window's count.
   */
  long countFlag(String consumer, Instant windowStart, Duration window, String requestId);

  /** Sets {@code enabled = false} on every API key of {@code consumer}; returns how many changed. */
  int disableConsumer(String consumer);
}
