package dev.tollgate.moderation;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured filter ({@code filter#NAME}): what it looks for (deny patterns, built-in PII
 * types, custom patterns, as {@link Detector}s compiled when the config was validated), what it
 * does on a match, on which side of the call, and for which models and consumer groups.
 *
 * @param maxMatchChars the longest match a stream is held back for (see {@link #holdback()})
 */
public record FilterPolicy(
    String name,
    List<Detector> detectors,
    Action action,
    Side on,
    Set<String> models,
    Set<String> groups,
    int maxMatchChars) {

  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  public static final int DEFAULT_MAX_MATCH_CHARS = 256;
  public static final int MIN_MAX_MATCH_CHARS = 16;
  public static final int MAX_MAX_MATCH_CHARS = 4096;

  /** What a match does: replaced by a typed placeholder, or the whole answer (or request) stopped. */
  public enum Action {
    REDACT("redact"),
    BLOCK("block");

    private final String configName;

    Action(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /** Which text is filtered: the answer, the user's messages before they leave, or both. */
  public enum Side {
    RESPONSE("response"),
    REQUEST("request"),
    BOTH("both");

    private final String configName;

    Side(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    public boolean request() {
      return this != RESPONSE;
    }

    public boolean response() {
      return this != REQUEST;
    }
  }

  public FilterPolicy {
    detectors = List.copyOf(detectors);
    models = Set.copyOf(models);
    groups = Set.copyOf(groups);
  }

  /**
   * How many characters of a stream are held back: the longest match any of its detectors can
   * make (plus the look-ahead that confirms it), at most {@link #maxMatchChars}.
   */
  public int holdback() {
    int reach = detectors.stream().mapToInt(Detector::reach).max().orElse(0);
    return Math.min(maxMatchChars, reach);
  }

  /** Whether this filter applies to a request for model alias {@code alias} by a consumer of {@code group}. */
  public boolean appliesTo(String alias, String group) {
    return (models.isEmpty() || models.contains(alias)) && (groups.isEmpty() || groups.contains(group));
  }
}
