package dev.tollgate.provider;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What configuration a provider type needs: whether a base URL, a model and a credential are
 * required, and which provider-specific options a target may set.
 *
 * @param defaultBaseUrl the vendor's public endpoint; null when there is none
 * @param baseUrlRequired true when a target must name its own base URL
 * @param defaultModel the upstream model used when a target names none; null when required
 */
public record ProviderSpec(
    String type,
    String defaultBaseUrl,
    boolean baseUrlRequired,
    String defaultModel,
    boolean credentialRequired,
    Map<String, OptionRule> options) {

  public ProviderSpec {
    options = Map.copyOf(options);
  }

  /** A provider-specific target option: an integer in a range, or a string matching a pattern. */
  public record OptionRule(Pattern pattern, long min, long max, String expected) {

    public static OptionRule integer(long min, long max) {
      return new OptionRule(null, min, max, "an integer from " + min + " to " + max);
    }

    public static OptionRule text(String regex, String expected) {
      return new OptionRule(Pattern.compile(regex), 0, 0, expected);
    }

    public boolean isInteger() {
      return pattern == null;
    }
  }
}
