package dev.tollgate.routing;

import dev.tollgate.provider.CredentialRef;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One upstream that can serve a model alias: which provider format, which upstream model, where,
 * with which credential, and how it ranks against its siblings.
 *
 * @param options provider-specific settings (for example Azure's {@code apiVersion}), validated
 *     against the provider's spec
 */
public record Target(
    String id,
    String alias,
    String provider,
    String model,
    String baseUrl,
    Optional<CredentialRef> credential,
    int weight,
    int priority,
    Duration timeout,
    boolean enabled,
    BigDecimal priceInputPerMillion,
    BigDecimal priceOutputPerMillion,
    Map<String, String> options) {

  public Target {
    options = Map.copyOf(options);
  }

  /** A target takes traffic when it is enabled and has weight. */
  public boolean selectable() {
    return enabled && weight > 0;
  }

  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
