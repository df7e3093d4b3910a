package dev.tollgate.testing;

import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.UpstreamHttp;
import java.time.Instant;

/** The provider catalog production validates config against; nothing here calls a network. */
public final class StandardProviders {

  private static final ProviderRegistry REGISTRY =
      GatewayAssembly.standardProviders(new UpstreamHttp(), new MutableClock(Instant.EPOCH));

  private StandardProviders() {}

  public static ProviderRegistry registry() {
    return REGISTRY;
  }
}
