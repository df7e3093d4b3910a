package dev.tollgate.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The provider implementations by type; also the catalog config validation reads. */
public final class ProviderRegistry implements ProviderCatalog {

  private final Map<String, Provider> providers = new LinkedHashMap<>();

  public ProviderRegistry register(Provider provider) {
    if (providers.putIfAbsent(provider.spec().type(), provider) != null) {
      throw new IllegalStateException("provider type registered twice: " + provider.spec().type());
    }
    return this;
  }

  public Optional<Provider> provider(String type) {
    return Optional.ofNullable(providers.get(type));
  }

  @Override
  public Optional<ProviderSpec> spec(String type) {
    return provider(type).map(Provider::spec);
  }

  @Override
  public Set<String> types() {
    return Collections.unmodifiableSet(providers.keySet());
  }
}
