package dev.tollgate.moderation;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * Finds one kind of sensitive text with a linear-time (RE2J) pattern; a subclass may confirm each
 * candidate (a checksum, its surroundings). Built once per config snapshot, shared by requests.
 */
public class Detector {

  /** A reach for patterns whose matches have no length bound: the filter's {@code maxMatchChars} decides. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private final Pattern pattern;
  private final String label;
  private final String placeholder;
  private final int reach;

  /**
   * @param label names the kind in verdicts and placeholders ({@code email}, {@code custom:NAME}); never the text
   * @param reach how many characters from a match's start must be seen to decide it: its longest
   *     length plus the look-ahead its confirmation needs, or {@link #UNBOUNDED}
   */
  public Detector(Pattern pattern, String label, int reach) {
    this(pattern, label, "[REDACTED:" + label + "]", reach);
  }

  /** A detector whose placeholder says less than its label (a deny pattern's index stays in the verdict). */
  public Detector(Pattern pattern, String label, String placeholder, int reach) {
    this.pattern = pattern;
    this.label = label;
    this.placeholder = placeholder;
    this.reach = reach;
  }

  public final String label() {
    return label;
  }

  /** What a redacted match becomes, e.g. {@code [REDACTED:email]}. */
  public final String placeholder() {
    return placeholder;
  }

  public final int reach() {
    return reach;
  }

  public final Pattern pattern() {
    return pattern;
  }

  /**
   * Adds a span for every confirmed match that starts in {@code [from, before)}; the text before
   * {@code from} is context only (what came before, for boundary checks). A match is tried at
   * every start, so the result does not depend on where scanning began.
   */
  final void find(CharSequence text, int from, int before, List<Span> out) {
    // A match that starts before `before` ends, confirmation included, within its reach: a
    // stream's held text is not searched past it, nor at all when a cheap test rules a match out.
    int limit = reach == UNBOUNDED ? text.length() : (int) Math.min(text.length(), (long) before + reach);
    if (from >= before || !mayMatch(text, from, limit)) {
      return;
    }
    Matcher matcher = pattern.matcher(limit == text.length() ? text : text.subSequence(0, limit));
    int position = from;
    while (position < before && matcher.find(position)) {
      int start = matcher.start();
      if (start >= before) {
        return;
      }
      int end = matcher.end();
      if (end > start) {
        int confirmed = confirm(text, start, end, from);
        if (confirmed > start) {
          out.add(new Span(start, confirmed, this));
        }
      }
      position = start + 1;
    }
  }

  /** False when {@code text[from, to)} cannot hold a match (no digit, no {@code @}, ...), so the pattern need not run. */
  boolean mayMatch(CharSequence text, int from, int to) {
    return true;
  }

  /**
   * The end of the match to redact, or -1 when the candidate {@code [start, end)} is not one.
   * {@code from} is where this scan began (characters before it were released earlier).
   */
  int confirm(CharSequence text, int start, int end, int from) {
    return end;
  }

  /** A match: {@code [start, end)} of the scanned text, found by {@code detector}. */
  record Span(int start, int end, Detector detector) {}
}
