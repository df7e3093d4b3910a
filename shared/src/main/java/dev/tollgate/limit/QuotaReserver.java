package dev.tollgate.limit;

import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves one attempt's draws across the two stores, all or none: the per-instance ({@code local})
 * draws first, in memory, so a local refusal costs no DynamoDB write, then the {@code cluster}
 * draws in one atomic reserve; if those are refused the local ones are given back. When the
 * cluster store cannot answer, fail-closed policies refuse the request and fail-open ones let it
 * through uncounted, each counted in a metric.
 */
final class QuotaReserver {

  private static final Logger LOG = LoggerFactory.getLogger(QuotaReserver.class);

  private final QuotaStore cluster;
  private final QuotaStore local;
  private final Metrics metrics;

  QuotaReserver(QuotaStore cluster, QuotaStore local, Metrics metrics) {
    this.cluster = cluster;
    this.local = local;
    this.metrics = metrics;
  }

  /** What one attempt holds: a reservation in each store it drew on (null where it drew on none). */
  record Held(Reservation local, Reservation cluster, Map<CounterKey, Long> usedAfter) {

    /** Whether {@code counter} is held in either store. */
    boolean holds(CounterKey counter) {
      return holdsIn(local, counter) || holdsIn(cluster, counter);
    }

    private static boolean holdsIn(Reservation reservation, CounterKey counter) {
      return reservation != null && reservation.holds().stream().anyMatch(hold -> hold.counter().equals(counter));
    }
  }

  /** The answer to a reserve. */
  sealed interface Result {}

  record Admitted(Held held) implements Result {}

  record Refused(PlannedDraw draw, ReserveOutcome.Rejected rejection) implements Result {}

  record Unavailable(LimitPolicy policy) implements Result {}

  Result reserve(String reservationId, List<PlannedDraw> draws, Instant now) {
    Map<CounterKey, Long> usedAfter = new HashMap<>();
    List<PlannedDraw> localDraws = part(draws, d -> d.policy().mode() == LimitPolicy.Mode.LOCAL);
    List<PlannedDraw> clusterDraws = part(draws, d -> d.policy().mode() == LimitPolicy.Mode.CLUSTER);
    Reservation localHeld = null;
    if (!localDraws.isEmpty()) {
      ReserveOutcome outcome = local.reserve(reservationId, drawsOf(localDraws), now);
      if (outcome instanceof ReserveOutcome.Rejected rejected) {
        return refused(localDraws, rejected);
      }
      ReserveOutcome.Admitted admitted = (ReserveOutcome.Admitted) outcome;
      localHeld = admitted.reservation();
      usedAfter.putAll(admitted.usedAfter());
    }
    if (clusterDraws.isEmpty()) {
      return new Admitted(new Held(localHeld, null, usedAfter));
    }
    ReserveOutcome outcome;
    try {
      outcome = cluster.reserve(reservationId, drawsOf(clusterDraws), now);
    } catch (QuotaStoreException e) {
      return storeDown(clusterDraws, localHeld, usedAfter, now, e);
    }
    if (outcome instanceof ReserveOutcome.Rejected rejected) {
      giveBack(local, localHeld, now);
      return refused(clusterDraws, rejected);
    }
    ReserveOutcome.Admitted admitted = (ReserveOutcome.Admitted) outcome;
    usedAfter.putAll(admitted.usedAfter());
    return new Admitted(new Held(localHeld, admitted.reservation(), usedAfter));
  }

  /** Moves each store's reservation to the actual amounts; a store that fails keeps the estimate. */
  void settle(Held held, Map<CounterKey, Long> actual, Instant now) {
    settleIn(local, held.local(), actual, now);
    settleIn(cluster, held.cluster(), actual, now);
  }

  /** Gives back everything the attempt holds. */
  void release(Held held, Instant now) {
    giveBack(local, held.local(), now);
    giveBack(cluster, held.cluster(), now);
  }

  /** The current usage of counters whose reserve did not report it (best effort: empty on failure). */
  Map<CounterKey, Long> read(List<PlannedDraw> draws, Instant now) {
    Map<CounterKey, Long> used = new HashMap<>();
    try {
      readFrom(local, part(draws, d -> d.policy().mode() == LimitPolicy.Mode.LOCAL), now, used);
      readFrom(cluster, part(draws, d -> d.policy().mode() == LimitPolicy.Mode.CLUSTER), now, used);
    } catch (QuotaStoreException e) {
      LOG.warn("Reading limit counters for rate-limit headers failed: {}", e.getMessage());
    }
    return used;
  }

  private static void readFrom(QuotaStore store, List<PlannedDraw> draws, Instant now, Map<CounterKey, Long> used) {
    if (!draws.isEmpty()) {
      store.read(draws.stream().map(d -> d.draw().counter()).toList(), now)
          .forEach(state -> used.put(state.counter(), state.used()));
    }
  }

  private Result storeDown(
      List<PlannedDraw> clusterDraws, Reservation localHeld, Map<CounterKey, Long> usedAfter, Instant now, QuotaStoreException e) {
    Optional<PlannedDraw> closed =
        clusterDraws.stream().filter(d -> d.policy().onStoreFailure() == LimitPolicy.StoreFailure.FAIL_CLOSED).findFirst();
    if (closed.isPresent()) {
      LOG.warn("Limit counters unreachable; policy '{}' fails closed: {}", closed.get().policy().name(), e.getMessage());
      metrics.increment(MetricNames.LIMIT_STORE_FAIL_CLOSED);
      giveBack(local, localHeld, now);
      return new Unavailable(closed.get().policy());
    }
    LOG.warn("Limit counters unreachable; {} fail-open policies let the request through uncounted: {}",
        clusterDraws.size(), e.getMessage());
    metrics.increment(MetricNames.LIMIT_STORE_FAIL_OPEN);
    return new Admitted(new Held(localHeld, null, usedAfter));
  }

  private void settleIn(QuotaStore store, Reservation reservation, Map<CounterKey, Long> actual, Instant now) {
    if (reservation == null) {
      return;
    }
    Map<CounterKey, Long> mine = new HashMap<>();
    reservation.holds().forEach(hold -> mine.put(hold.counter(), actual.getOrDefault(hold.counter(), hold.amount())));
    try {
      store.settle(reservation, mine, now);
    } catch (QuotaStoreException e) {
      // The counters keep the estimate: the error is on the side of counting too much.
      LOG.warn("Settling limit reservation {} failed; its estimate stays counted: {}", reservation.requestId(), e.getMessage());
      metrics.increment(MetricNames.LIMIT_SETTLE_FAILED);
    }
  }

  private void giveBack(QuotaStore store, Reservation reservation, Instant now) {
    if (reservation != null) {
      settleIn(store, reservation, reservation.nothingUsed(), now);
    }
  }

  private static Refused refused(List<PlannedDraw> draws, ReserveOutcome.Rejected rejected) {
    PlannedDraw draw =
        draws.stream().filter(d -> d.draw().counter().equals(rejected.draw().counter())).findFirst().orElseThrow();
    return new Refused(draw, rejected);
  }

  private static List<PlannedDraw> part(List<PlannedDraw> draws, Predicate<PlannedDraw> which) {
    return draws.stream().filter(which).toList();
  }

  private static List<Draw> drawsOf(List<PlannedDraw> draws) {
    return draws.stream().map(PlannedDraw::draw).toList();
  }
}
