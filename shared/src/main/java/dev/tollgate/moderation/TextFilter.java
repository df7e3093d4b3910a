package dev.tollgate.moderation;

import dev.tollgate.moderation.Detector.Span;
import dev.tollgate.moderation.FilterPolicy.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters that apply to one request, scanning as one: every detector runs, a match of a
 * blocking filter blocks, and the redacting filters' matches are replaced left to right (of
 * overlapping matches the one that starts first wins, then the longer). Built per request from
 * detectors compiled with the config; holds no text itself, see {@link HeldText} for streams.
 */
public final class TextFilter {

  private final List<FilterPolicy> policies;
  private final int holdback;

  public TextFilter(List<FilterPolicy> policies) {
    this.policies = List.copyOf(policies);
    this.holdback = policies.stream().mapToInt(FilterPolicy::holdback).max().orElse(0);
  }

  public boolean isEmpty() {
    return policies.isEmpty();
  }

  /** The most characters of a stream's text this filter holds back at any time. */
  public int holdback() {
    return holdback;
  }

  /** What a scan let through, or the filter that blocked. */
  record Result(String text, int releasedTo, boolean blocked) {}

  /** The whole of {@code text}, redacted; null when a blocking filter matched. */
  public String filterAll(String text, FilterTally tally) {
    Result result = scan(text, 0, text.length(), tally);
    return result.blocked() ? null : result.text();
  }

  /**
   * Decides every match that starts in {@code [from, settle)} of {@code text} (what lies before
   * {@code from} is context, already sent; what lies past {@code settle} is only look-ahead) and
   * returns the redacted text from {@code from} up to {@code settle}, or past it to the end of a
   * match that straddles it.
   */
  Result scan(CharSequence text, int from, int settle, FilterTally tally) {
    Map<Detector, List<Span>> found = new IdentityHashMap<>();
    Span block = null;
    FilterPolicy blocker = null;
    List<Span> redactable = new ArrayList<>();
    for (FilterPolicy policy : policies) {
      for (Detector detector : policy.detectors()) {
        List<Span> spans = found.computeIfAbsent(detector, d -> {
          List<Span> out = new ArrayList<>();
          d.find(text, from, settle, out);
          return out;
        });
        if (policy.action() == Action.BLOCK) {
          if (!spans.isEmpty() && (block == null || spans.getFirst().start() < block.start())) {
            block = spans.getFirst();
            blocker = policy;
          }
        } else {
          redactable.addAll(spans);
        }
      }
    }
    if (block != null) {
      tally.blocked(blocker, block.detector().label());
      return new Result("", from, true);
    }
    redactable.sort(Comparator.comparingInt(Span::start).thenComparing(Comparator.comparingInt(Span::end).reversed()));
    StringBuilder out = new StringBuilder();
    int position = from;
    for (Span span : redactable) {
      if (span.start() < position) {
        continue; // overlaps a match already taken (or is the same match found by another filter)
      }
      out.append(text, position, span.start()).append(span.detector().placeholder());
      position = span.end();
      countFor(span.detector(), tally);
    }
    int releasedTo = Math.max(position, settle);
    out.append(text, position, releasedTo);
    return new Result(out.toString(), releasedTo, false);
  }

  private void countFor(Detector detector, FilterTally tally) {
    for (FilterPolicy policy : policies) {
      if (policy.action() == Action.REDACT && policy.detectors().contains(detector)) {
        tally.redacted(policy, detector.label());
      }
    }
  }
}
