package dev.tollgate.routing;

import java.time.Instant;
import java.util.Map;

/**
 * Where gateway instances pool their target statistics and pauses: sums added atomically into
 * time buckets (no instance overwrites another's), pauses kept at the latest end any instance wrote.
 */
public interface TargetStatsStore {

  /** The view of the cluster: sums per target over the buckets read, and pauses still in force. */
  record ClusterView(Map<String, StatsDelta> sums, Map<String, Instant> pausedUntil) {

    public static final ClusterView EMPTY = new ClusterView(Map.of(), Map.of());

    public ClusterView {
      sums = Map.copyOf(sums);
      pausedUntil = Map.copyOf(pausedUntil);
    }
  }

  /** Adds {@code deltas} (by target key) to the bucket starting at {@code bucket}. */
  void add(Instant bucket, Map<String, StatsDelta> deltas);

  /** Pauses each target until the given moment, unless a later pause is already stored. */
  void pause(Map<String, Instant> untilByTarget);

  /** Sums of the buckets starting at {@code firstBucket} up to {@code lastBucket}, and pauses ending after {@code now}. */
  ClusterView read(Instant firstBucket, Instant lastBucket, Instant now);

  /** No sharing: each instance sees only itself. */
  TargetStatsStore NONE =
      new TargetStatsStore() {
        @Override
        public void add(Instant bucket, Map<String, StatsDelta> deltas) {}

        @Override
        public void pause(Map<String, Instant> untilByTarget) {}

        @Override
        public ClusterView read(Instant firstBucket, Instant lastBucket, Instant now) {
          return ClusterView.EMPTY;
        }
      };
}
