package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.InMemoryMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A real {@link Gateway} over a config source, with the standard providers on a real HTTP client,
 * {@code env:} credentials from a map, in-memory metrics and a hand-moved clock.
 */
public final class GatewayHarness {

  private final Gateway gateway;
  private final InMemoryMetrics metrics;
  private final MutableClock clock;

  private GatewayHarness(Gateway gateway, InMemoryMetrics metrics, MutableClock clock) {
    this.gateway = gateway;
    this.metrics = metrics;
    this.clock = clock;
  }

  public static GatewayHarness start(ConfigSource source, Map<String, String> environment, Duration refreshInterval) {
    InMemoryMetrics metrics = new InMemoryMetrics();
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
    GatewayAssembly.Ports ports =
        new GatewayAssembly.Ports(
            source, new EnvCredentialResolver(environment), metrics, clock, refreshInterval, RandomSource.seeded(7));
    Gateway gateway = GatewayAssembly.build(ports, GatewayAssembly.standardProviders(new UpstreamHttp(), clock));
    return new GatewayHarness(gateway, metrics, clock);
  }

  /** A minimal valid chat request for {@code alias}. */
  public static ObjectNode chatBody(String alias) {
    ObjectNode body = Json.object().put("model", alias);
    body.putArray("messages").addObject().put("role", "user").put("content", "Say hello");
    return body;
  }

  public GatewayResponse chat(String alias) {
    return chat(chatBody(alias));
  }

  /** POSTs {@code body} to /v1/chat/completions with the test API key. */
  public GatewayResponse chat(ObjectNode body) {
    return gateway.handle(
        new GatewayRequest(
            "POST",
            "/v1/chat/completions",
            Map.of("authorization", "Bearer " + ConfigItems.API_KEY, "content-type", "application/json"),
            Json.bytes(body),
            UUID.randomUUID().toString()));
  }

  public InMemoryMetrics metrics() {
    return metrics;
  }

  public MutableClock clock() {
    return clock;
  }
}
