package dev.tollgate.routing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** A {@link TargetStatsStore} in this process's memory: for tests that play several instances. */
public final class InMemoryTargetStatsStore implements TargetStatsStore {

  private final TreeMap<Instant, Map<String, StatsDelta>> buckets = new TreeMap<>();
  private final Map<String, Instant> pauses = new HashMap<>();

  @Override
  public synchronized void add(Instant bucket, Map<String, StatsDelta> deltas) {
    Map<String, StatsDelta> sums = buckets.computeIfAbsent(bucket, b -> new HashMap<>());
    deltas.forEach((key, delta) -> sums.merge(key, delta, StatsDelta::plus));
  }

  @Override
  public synchronized void pause(Map<String, Instant> untilByTarget) {
    untilByTarget.forEach((key, until) -> pauses.merge(key, until, (a, b) -> a.isAfter(b) ? a : b));
  }

  @Override
  public synchronized ClusterView read(Instant firstBucket, Instant lastBucket, Instant now) {
    Map<String, StatsDelta> sums = new HashMap<>();
    buckets.subMap(firstBucket, true, lastBucket, true)
        .values()
        .forEach(bucket -> bucket.forEach((key, delta) -> sums.merge(key, delta, StatsDelta::plus)));
    Map<String, Instant> paused = new HashMap<>();
    pauses.forEach((key, until) -> {
      if (until.isAfter(now)) {
        paused.put(key, until);
      }
    });
    return new ClusterView(sums, paused);
  }
}
