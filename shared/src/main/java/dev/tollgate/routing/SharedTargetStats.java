package dev.tollgate.routing;

import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's {@link TargetStats} joined with the cluster's through a {@link TargetStatsStore}.
 * At most once per {@code interval}, a request that notices the sync is due hands it to the
 * executor (a background thread in production): the sums gathered since the last sync are added to
 * the current minute's bucket, new pauses (open breakers, {@code Retry-After}) are written, and the
 * last {@link #HORIZON} of buckets is read back and cached. Requests only ever read the cache; a
 * store failure is counted and logged once, and the sums are kept for the next sync.
 */
public final class SharedTargetStats {

  /** How often an instance merges into and reads from the store by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** How far back the cluster view reaches: this many one-minute buckets, the current one included. */
  public static final int HORIZON_BUCKETS = 5;
  public static final Duration HORIZON = Duration.ofMinutes(HORIZON_BUCKETS);

  private static final Logger LOG = Logger.getLogger(SharedTargetStats.class.getName());

  private final TargetStats local = new TargetStats();
  private final TargetStatsStore store;
  private final InstantSource clock;
  private final Duration interval;
  private final Executor executor;
  private final Metrics metrics;
  private final ConcurrentMap<String, Instant> newPauses = new ConcurrentHashMap<>();
  private final AtomicBoolean syncing = new AtomicBoolean();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private volatile Instant nextSync = Instant.MIN;
  private volatile TargetStatsStore.ClusterView view = TargetStatsStore.ClusterView.EMPTY;

  public SharedTargetStats(
      TargetStatsStore store, InstantSource clock, Duration interval, Executor executor, Metrics metrics) {
    this.store = store;
    this.clock = clock;
    this.interval = interval;
    this.executor = executor;
    this.metrics = metrics;
  }

  /** Statistics kept in this instance alone (no store). */
  public static SharedTargetStats local(InstantSource clock, Metrics metrics) {
    return new SharedTargetStats(TargetStatsStore.NONE, clock, DEFAULT_INTERVAL, Runnable::run, metrics);
  }

  // Recording never starts a sync: these run as a request ends, and in Lambda a thread started then
  // is frozen with the environment. Syncs start at the beginning of a request (FailoverPolicy), so
  // they overlap its upstream call.
  public void succeeded(String key, long latencyNanos, long ttftNanos) {
    local.succeeded(key, latencyNanos, ttftNanos);
  }

  public void failed(String key, dev.tollgate.provider.FailureKind kind) {
    local.failed(key, kind);
  }

  /** A target this instance paused (breaker opened, {@code Retry-After}): other instances skip it too after the next sync. */
  public void paused(String key, Instant until) {
    newPauses.merge(key, until, (a, b) -> a.isAfter(b) ? a : b);
    nextSync = Instant.MIN; // pauses are rare and urgent: the next request syncs
  }

  /** This instance's figures blended with the cluster's (see {@link TargetHealth#blend}). */
  public TargetHealth health(String key) {
    StatsDelta cluster = view.sums().get(key);
    return TargetHealth.blend(local.health(key), cluster == null ? TargetHealth.NONE : cluster.health());
  }

  /** This instance's own figures. */
  public TargetHealth localHealth(String key) {
    return local.health(key);
  }

  /** When another instance (or this one) paused {@code key} until a moment still ahead, that moment. */
  public Optional<Instant> sharedPause(String key) {
    Instant until = view.pausedUntil().get(key);
    return until != null && until.isAfter(clock.instant()) ? Optional.of(until) : Optional.empty();
  }

  /** Starts a sync when one is due and none is running; never waits for it. */
  public void syncIfDue() {
    if (store == TargetStatsStore.NONE || clock.instant().isBefore(nextSync) || !syncing.compareAndSet(false, true)) {
      return;
    }
    nextSync = clock.instant().plus(interval);
    try {
      executor.execute(this::sync);
    } catch (RuntimeException rejected) {
      syncing.set(false);
    }
  }

  /** One merge and read, now (for the executor; tests call it to force a sync). */
  public void sync() {
    Map<String, StatsDelta> deltas = local.drain();
    try {
      Instant now = clock.instant();
      Instant bucket = now.truncatedTo(ChronoUnit.MINUTES);
      if (!deltas.isEmpty()) {
        store.add(bucket, deltas);
      }
      deltas = Map.of();
      flushPauses();
      view = store.read(bucket.minus(HORIZON).plus(Duration.ofMinutes(1)), bucket, now);
    } catch (RuntimeException e) {
      local.restore(deltas);
      metrics.increment(MetricNames.STATS_STORE_FAILURES);
      if (failureLogged.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "target statistics store failed; routing uses this instance's figures: " + e);
      }
    } finally {
      syncing.set(false);
    }
  }

  private void flushPauses() {
    if (newPauses.isEmpty()) {
      return;
    }
    Map<String, Instant> taken = Map.copyOf(newPauses);
    taken.forEach(newPauses::remove);
    try {
      store.pause(taken);
    } catch (RuntimeException e) {
      taken.forEach((key, until) -> newPauses.merge(key, until, (a, b) -> a.isAfter(b) ? a : b));
      throw e;
    }
  }
}
