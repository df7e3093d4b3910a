package dev.tollgate.moderation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The moderation store in memory, for priming and tests: every audit record exists. */
public final class InMemoryModerationStore implements ModerationStore {

  private final Map<String, ModerationOutcome> outcomes = new HashMap<>();
  private final Map<String, Set<String>> flags = new HashMap<>();
  private final Set<String> disabled = new HashSet<>();

  @Override
  public synchronized boolean recordOutcome(String requestId, ModerationOutcome outcome) {
    outcomes.put(requestId, outcome);
    return true;
  }

  @Override
  public synchronized long countFlag(String consumer, Instant windowStart, Duration window, String requestId) {
    Set<String> requests = flags.computeIfAbsent(consumer + "#" + windowStart.getEpochSecond(), k -> new HashSet<>());
    requests.add(requestId);
    return requests.size();
  }

  @Override
  public synchronized int disableConsumer(String consumer) {
    return disabled.add(consumer) ? 1 : 0;
  }

  public synchronized Map<String, ModerationOutcome> outcomes() {
    return Map.copyOf(outcomes);
  }

  public synchronized Set<String> disabledConsumers() {
    return Set.copyOf(disabled);
  }
}
