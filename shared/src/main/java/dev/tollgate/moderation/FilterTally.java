package dev.tollgate.moderation;

import dev.tollgate.pipeline.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the filters of one request did, by policy and kind, for the verdicts; never the text. */
public final class FilterTally {

  private final Map<FilterPolicy, Map<String, Integer>> redacted = new LinkedHashMap<>();
  private FilterPolicy blockedBy;
  private String blockedOn;

  synchronized void redacted(FilterPolicy policy, String label) {
    redacted.computeIfAbsent(policy, p -> new LinkedHashMap<>()).merge(label, 1, Integer::sum);
  }

  synchronized void blocked(FilterPolicy policy, String label) {
    if (blockedBy == null) {
      blockedBy = policy;
      blockedOn = label;
    }
  }

  /** The filter that blocked, if one did. */
  public synchronized java.util.Optional<String> blockedBy() {
    return java.util.Optional.ofNullable(blockedBy).map(FilterPolicy::name);
  }

  public synchronized boolean isEmpty() {
    return redacted.isEmpty() && blockedBy == null;
  }

  /**
   * One verdict per policy that acted, stage {@code filter}; the detail names the side and the
   * kinds found with their counts, e.g. {@code response: email x2, card x1}.
   */
  public synchronized List<Verdict> verdicts(String side) {
    List<Verdict> verdicts = new ArrayList<>();
    redacted.forEach((policy, counts) -> {
      StringBuilder detail = new StringBuilder(side).append(": ");
      counts.forEach((label, count) -> detail.append(label).append(" x").append(count).append(", "));
      detail.setLength(detail.length() - 2);
      verdicts.add(new Verdict("filter", policy.name(), "redact", detail.toString()));
    });
    if (blockedBy != null) {
      verdicts.add(new Verdict("filter", blockedBy.name(), "block", side + ": " + blockedOn));
    }
    return verdicts;
  }
}
