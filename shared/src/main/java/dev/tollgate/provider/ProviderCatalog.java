package dev.tollgate.provider;

import java.util.Optional;
import java.util.Set;

/** The provider types the gateway knows, for config validation. */
public interface ProviderCatalog {

  Optional<ProviderSpec> spec(String type);

  Set<String> types();
}
