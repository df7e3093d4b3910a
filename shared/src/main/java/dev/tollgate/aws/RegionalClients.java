package dev.tollgate.aws;

import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.routing.Target;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.regions.Region;

/**
 * One SDK client per region and endpoint, built on first use and kept: a Bedrock target picks its
 * region with the {@code region} option (default: the process's) and may override the endpoint
 * with {@code baseUrl}.
 */
final class RegionalClients<C> {

  /** The {@code region} option every Bedrock target type accepts. */
  static final Map<String, ProviderSpec.OptionRule> REGION_OPTION =
      Map.of("region", ProviderSpec.OptionRule.text("[a-z]{2}(-[a-z]+)+-\\d{1,2}", "an AWS region such as us-east-1"));

  private record Key(Region region, Optional<URI> endpoint) {}

  private final Region defaultRegion;
  private final BiFunction<Region, Optional<URI>, C> factory;
  private final Map<Key, C> clients = new ConcurrentHashMap<>();

  RegionalClients(Region defaultRegion, BiFunction<Region, Optional<URI>, C> factory) {
    this.defaultRegion = defaultRegion;
    this.factory = factory;
  }

  /** The client for {@code target}'s region and endpoint. */
  C forTarget(Target target) {
    String region = target.option("region", null);
    Key key =
        new Key(region == null ? defaultRegion : Region.of(region), Optional.ofNullable(target.baseUrl()).map(URI::create));
    return clients.computeIfAbsent(key, k -> factory.apply(k.region(), k.endpoint()));
  }
}
