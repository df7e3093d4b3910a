package dev.tollgate.config;

import dev.tollgate.provider.CredentialRef;
import dev.tollgate.provider.ProviderCatalog;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.ProviderSpec.OptionRule;
import dev.tollgate.routing.Target;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads and checks one target item against the rules of its provider type. */
final class TargetReader {

  static final Pattern TARGET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern MODEL = Pattern.compile("[^\\p{Cntrl}\\s][^\\p{Cntrl}]{0,255}");
  private static final Pattern ANY = Pattern.compile("(?s).*");
  static final BigDecimal MAX_PRICE = new BigDecimal("100000");
  static final int MAX_WEIGHT = 1_000_000;
  static final long DEFAULT_TIMEOUT_MS = 30_000;
  private static final Set<String> COMMON_FIELDS =
      Set.of(
          "provider",
          "model",
          "baseUrl",
          "credential",
          "weight",
          "priority",
          "timeoutMs",
          "enabled",
          "priceInputPerMillion",
          "priceOutputPerMillion",
          "description");

  private final ProviderCatalog providers;

  TargetReader(ProviderCatalog providers) {
    this.providers = providers;
  }

  Optional<Target> read(String alias, String id, ItemReader reader) {
    if (!TARGET_ID.matcher(id).matches()) {
      reader.failText("sk", ItemKeys.TARGET_PREFIX + id,
          "'target#' followed by an id of 1 to 64 characters: letters, digits and . _ -");
    }
    String type = reader.requiredString("provider", ANY, "one of " + new TreeSet<>(providers.types()));
    Optional<ProviderSpec> spec = type == null ? Optional.empty() : providers.spec(type);
    if (type != null && spec.isEmpty()) {
      reader.failText("provider", type, "one of " + new TreeSet<>(providers.types()));
    }
    if (spec.isEmpty()) {
      return Optional.empty();
    }
    ProviderSpec rules = spec.get();
    Set<String> allowed = new HashSet<>(COMMON_FIELDS);
    allowed.addAll(rules.options().keySet());
    reader.rejectUnknown(allowed);

    String model = readModel(reader, rules);
    String baseUrl = readBaseUrl(reader, rules);
    Optional<CredentialRef> credential = readCredential(reader, rules);
    int weight = (int) reader.integer("weight", 1, 0, MAX_WEIGHT);
    int priority = (int) reader.integer("priority", 1, 0, 1000);
    long timeoutMs = reader.integer("timeoutMs", DEFAULT_TIMEOUT_MS, 100, 900_000);
    boolean enabled = reader.bool("enabled", true);
    BigDecimal priceIn = reader.decimal("priceInputPerMillion", BigDecimal.ZERO, MAX_PRICE);
    BigDecimal priceOut = reader.decimal("priceOutputPerMillion", BigDecimal.ZERO, MAX_PRICE);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    Map<String, String> options = readOptions(reader, rules);
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(
        new Target(
            id,
            alias,
            type,
            model,
            baseUrl,
            credential,
            weight,
            priority,
            Duration.ofMillis(timeoutMs),
            enabled,
            priceIn,
            priceOut,
            options));
  }

  private static String readModel(ItemReader reader, ProviderSpec rules) {
    String expected = "the upstream model name, 1 to 256 characters without control characters";
    if (rules.defaultModel() != null) {
      return reader.optionalString("model", MODEL, expected).orElse(rules.defaultModel());
    }
    return reader.requiredString("model", MODEL, expected);
  }

  private static String readBaseUrl(ItemReader reader, ProviderSpec rules) {
    String expected = "an absolute http:// or https:// URL, e.g. https://api.example.com/v1";
    Optional<String> given = reader.optionalString("baseUrl", ANY, expected);
    if (given.isEmpty()) {
      if (rules.baseUrlRequired() && !reader.has("baseUrl")) {
        reader.fail("baseUrl", null, expected + " (provider '" + rules.type() + "' has no default)");
      }
      return rules.defaultBaseUrl();
    }
    String url = given.get();
    try {
      URI uri = URI.create(url);
      boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        reader.failText("baseUrl", url, expected + ", without query or fragment");
        return null;
      }
    } catch (IllegalArgumentException e) {
      reader.failText("baseUrl", url, expected);
      return null;
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static Optional<CredentialRef> readCredential(ItemReader reader, ProviderSpec rules) {
    Optional<String> text = reader.optionalString("credential", ANY, CredentialRef.FORMAT);
    if (text.isEmpty()) {
      if (rules.credentialRequired() && !reader.has("credential")) {
        reader.fail("credential", null, CredentialRef.FORMAT + " (provider '" + rules.type() + "' needs an API key)");
      }
      return Optional.empty();
    }
    Optional<CredentialRef> ref = CredentialRef.parse(text.get());
    if (ref.isEmpty()) {
      // Not a reference, so quite possibly the key itself: never echo it into errors and logs.
      reader.failHidden("credential", CredentialRef.FORMAT);
    }
    return ref;
  }

  private static Map<String, String> readOptions(ItemReader reader, ProviderSpec rules) {
    Map<String, String> options = new HashMap<>();
    rules.options().forEach((name, rule) -> readOption(reader, name, rule).ifPresent(v -> options.put(name, v)));
    return options;
  }

  private static Optional<String> readOption(ItemReader reader, String name, OptionRule rule) {
    if (!reader.has(name)) {
      return Optional.empty();
    }
    if (rule.isInteger()) {
      return Optional.of(Long.toString(reader.integer(name, rule.min(), rule.min(), rule.max())));
    }
    return reader.optionalString(name, rule.pattern(), rule.expected());
  }
}
