package dev.tollgate.cache;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** This process's memory as the cache store: for tests, priming and a single dev instance. */
public final class InMemoryCacheStore implements CacheStore {

  private final Map<String, CachedAnswer> entries = new ConcurrentHashMap<>();

  @Override
  public Optional<CachedAnswer> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public void put(CachedAnswer answer) {
    entries.put(answer.key(), answer);
  }

  /** How many entries are stored (index entries included). */
  public int size() {
    return entries.size();
  }
}
