package dev.tollgate.cache;

import java.util.Optional;

/**
 * Where cached answers live: DynamoDB shared by every instance, or memory in tests and priming.
 * Both calls may throw {@link CacheStoreException}; the cache policy treats it as a miss or a
 * skipped write, never as an error for the client.
 */
public interface CacheStore {

  /** No store: every lookup misses and writes are dropped (the cache is effectively off). */
  CacheStore NONE =
      new CacheStore() {
        @Override
        public Optional<CachedAnswer> get(String key) {
          return Optional.empty();
        }

        @Override
        public void put(CachedAnswer answer) {}
      };

  /** The entry under {@code key}, expired or not (the caller checks freshness). */
  Optional<CachedAnswer> get(String key);

  /** Stores (or replaces) the entry under its key. */
  void put(CachedAnswer answer);
}
