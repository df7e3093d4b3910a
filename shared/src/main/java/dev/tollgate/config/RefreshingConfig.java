package dev.tollgate.config;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.ApiException;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the validated config in memory and reloads it from its source when it is older than the
 * refresh interval, so an edit in the table takes effect within that interval without a
 * redeploy. A due reload runs on the {@code reloader} while requests go on with the snapshot
 * they have, so no request waits for a table scan; only the first load, and the one after
 * {@link #expire()}, make their request wait. A failed reload keeps the last good snapshot;
 * rejected items are logged whenever the set of errors changes and counted on every load.
 */
public final class RefreshingConfig {

  private static final Logger LOG = LoggerFactory.getLogger(RefreshingConfig.class);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

  /** Runs each due reload on its own virtual thread: the default. */
  public static final Executor IN_BACKGROUND = reload -> Thread.ofVirtual().name("config-reload").start(reload);

  /** Runs a due reload in the request that found it due: for tests that step a clock. */
  public static final Executor IN_PLACE = Runnable::run;

  private final ConfigSource source;
  private final ConfigValidator validator;
  private final Duration interval;
  private final InstantSource clock;
  private final Metrics metrics;
  private final Executor reloader;
  private final ReentrantLock loading = new ReentrantLock();
  private final AtomicBoolean reloadStarted = new AtomicBoolean();
  private volatile GatewayConfig current;
  private volatile Instant nextLoad = Instant.MIN;
  private volatile boolean expired;
  private List<ConfigError> lastErrors; // null until the first load

  public RefreshingConfig(
      ConfigSource source,
      ConfigValidator validator,
      Duration interval,
      InstantSource clock,
      Metrics metrics) {
    this(source, validator, interval, clock, metrics, IN_BACKGROUND);
  }

  /** As above, with due reloads run by {@code reloader} (a direct executor makes them synchronous). */
  public RefreshingConfig(
      ConfigSource source,
      ConfigValidator validator,
      Duration interval,
      InstantSource clock,
      Metrics metrics,
      Executor reloader) {
    this.source = source;
    this.validator = validator;
    this.interval = interval;
    this.clock = clock;
    this.metrics = metrics;
    this.reloader = reloader;
  }


  /** The snapshot to serve this request with; starts a reload when one is due. */
  public GatewayConfig current() {
    GatewayConfig snapshot = current;
    if (snapshot != null && clock.instant().isBefore(nextLoad)) {
      return snapshot;
    }
    if (snapshot != null && !expired) {
      if (reloadStarted.compareAndSet(false, true)) {
        reloader.execute(this::reloadIfDue);
      }
      return current; // the new one already, when the reloader ran it in place
    }
    loading.lock();
    try {
      if (current == null || !clock.instant().isBefore(nextLoad)) {
        reload();
      }
    } finally {
      loading.unlock();
    }
    if (current == null) {
      throw new ApiException(ApiError.configUnavailable());
    }
    return current;
  }

  /** Makes the next {@link #current()} reload before it answers, e.g. after a SnapStart restore. */
  public void expire() {
    expired = true;
    nextLoad = Instant.MIN;
  }

  private void reloadIfDue() {
    loading.lock();
    try {
      if (!clock.instant().isBefore(nextLoad)) {
        reload();
      }
    } finally {
      loading.unlock();
      reloadStarted.set(false);
    }
  }

  private void reload() {
    Instant now = clock.instant();
    try {
      List<ConfigItem> items = source.load();
      ValidatedConfig validated = validator.validate(items, now);
      report(validated);
      current = validated.config();
      nextLoad = now.plus(interval);
      expired = false;
    } catch (RuntimeException e) {
      metrics.increment(MetricNames.CONFIG_LOAD_FAILED);
      LOG.error("Could not load config from {}; keeping the previous snapshot: {}", source.describe(), e.toString());
      nextLoad = now.plus(RETRY_AFTER_FAILURE);
    }
  }

  private void report(ValidatedConfig validated) {
    metrics.count(MetricNames.CONFIG_ITEMS_REJECTED, validated.rejectedItems());
    if (validated.errors().equals(lastErrors)) {
      return;
    }
    lastErrors = validated.errors();
    for (ConfigError error : validated.errors()) {
      LOG.warn("Config item rejected and skipped ({}): {}", source.describe(), error.message());
    }
    LOG.info(
        "Loaded config from {}: {} items, {} routes, {} keys, {} rejected",
        source.describe(),
        validated.itemCount(),
        validated.config().routes().size(),
        validated.config().consumersByKeyHash().size(),
        validated.errors().size());
  }
}
