package dev.tollgate.cache;

import java.time.Instant;

/**
 * One stored answer: a complete {@code chat.completion} as JSON text (or, for a semantic index
 * entry, the index's JSON), when it was stored and when it stops being served.
 */
public record CachedAnswer(String key, String body, Instant storedAt, Instant expiresAt) {

  /** Whether the entry may still be served at {@code now}: TTL deletion is lazy, this is not. */
  public boolean freshAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
