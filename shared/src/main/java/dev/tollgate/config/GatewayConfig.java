package dev.tollgate.config;

import dev.tollgate.auth.Consumer;
import dev.tollgate.routing.Route;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A validated, immutable snapshot of everything the gateway is configured with. */
public record GatewayConfig(
    Settings settings,
    Map<String, Route> routes,
    Map<String, Consumer> consumersByKeyHash,
    Instant loadedAt) {

  public GatewayConfig {
    routes = Map.copyOf(routes);
    consumersByKeyHash = Map.copyOf(consumersByKeyHash);
  }

  public Optional<Route> route(String alias) {
    return Optional.ofNullable(routes.get(alias));
  }

  public Optional<Consumer> consumerByKeyHash(String sha256Hex) {
    return Optional.ofNullable(consumersByKeyHash.get(sha256Hex));
  }

  /** The routing effective for an alias: its own attempt limit, or the gateway's. */
  public int maxAttempts(Route route) {
    return route.maxAttempts() > 0 ? route.maxAttempts() : settings.maxAttempts();
  }
}
