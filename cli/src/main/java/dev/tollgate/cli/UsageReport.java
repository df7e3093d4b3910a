package dev.tollgate.cli;

import dev.tollgate.aws.DynamoDbCounterReader.CounterItem;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.LimitScope;
import dev.tollgate.limit.ScopeKey;
import dev.tollgate.limit.Window;
import dev.tollgate.limit.WindowUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns counter items into the rows of {@code tollgate usage}: for each counter of a valid cluster
 * policy, the usage of the window that counts at {@code now}, computed as the gateway computes it
 * ({@link WindowUsage}). Items of policies that no longer exist, of a window or scope the policy
 * no longer has, and of buckets that no longer count are left out.
 */
final class UsageReport {

  private UsageReport() {}

  static List<UsageRow> rows(List<LimitPolicy> policies, KeyGroups keys, List<CounterItem> items, UsageFilter filter, Instant now) {
    Map<String, LimitPolicy> byName = new HashMap<>();
    // Local-mode policies count in each instance's memory; any counter item of theirs is stale.
    policies.stream().filter(p -> p.mode() == LimitPolicy.Mode.CLUSTER).forEach(p -> byName.put(p.name(), p));
    Map<String, List<CounterItem>> bucketsByPk = new HashMap<>();
    items.forEach(item -> bucketsByPk.computeIfAbsent(item.pk(), pk -> new ArrayList<>()).add(item));
    List<UsageRow> rows = new ArrayList<>();
    bucketsByPk.forEach(
        (pk, buckets) -> {
          CounterItem any = buckets.getFirst();
          LimitPolicy policy = byName.get(any.policy());
          if (policy != null) {
            row(policy, any.scope(), pk, buckets, now)
                .filter(row -> filter.admits(policy, row.scope(), keys))
                .ifPresent(rows::add);
          }
        });
    rows.sort(Comparator.comparing((UsageRow row) -> row.policy().name()).thenComparing(UsageRow::scopeText));
    return rows;
  }

  private static Optional<UsageRow> row(
      LimitPolicy policy, String scopeKey, String pk, List<CounterItem> buckets, Instant now) {
    Map<String, String> scope;
    try {
      scope = ScopeKey.parse(scopeKey);
    } catch (IllegalArgumentException notAScope) {
      return Optional.empty();
    }
    List<String> parts = policy.scope().stream().map(LimitScope::toString).toList();
    if (!parts.equals(List.copyOf(scope.keySet()))) {
      return Optional.empty(); // written under an earlier scope of the policy
    }
    Window window = policy.window();
    Instant start = window.bucketStart(now);
    Optional<CounterItem> current = bucket(buckets, window, start);
    Optional<CounterItem> previous =
        window.kind() == Window.Kind.SLIDING ? bucket(buckets, window, start.minus(window.length())) : Optional.empty();
    long currentUsed = current.map(CounterItem::used).orElse(0L);
    long previousUsed = previous.map(CounterItem::used).orElse(0L);
    if (currentUsed <= 0 && previousUsed <= 0) {
      return Optional.empty();
    }
    WindowUsage usage = new WindowUsage(window, now, previousUsed, currentUsed);
    String sk = current.map(CounterItem::sk).orElse(null);
    String previousSk = previousUsed > 0 ? previous.get().sk() : null;
    return Optional.of(new UsageRow(policy, scope, usage, pk, sk, previousSk));
  }

  /** The item of the bucket starting at {@code start}; the label tells a policy's old window lengths apart. */
  private static Optional<CounterItem> bucket(List<CounterItem> buckets, Window window, Instant start) {
    return buckets.stream()
        .filter(item -> item.windowLabel().equals(window.label()) && item.bucketStart().equals(start))
        .findFirst();
  }
}
