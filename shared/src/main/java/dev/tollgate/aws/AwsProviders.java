package dev.tollgate.aws;

import dev.tollgate.provider.ProviderRegistry;
import java.time.InstantSource;
import software.amazon.awssdk.regions.Region;

/** Registers the provider types that run on the AWS SDK, so callers need not name SDK types. */
public final class AwsProviders {

  private AwsProviders() {}

  /**
   * @param defaultRegion the region a {@code bedrock} or {@code bedrock-titan-embed} target without a {@code region} option uses
   */
  public static ProviderRegistry register(ProviderRegistry registry, String defaultRegion, InstantSource clock) {
    return registry
        .register(new BedrockConverseProvider(Region.of(defaultRegion), clock))
        .register(new BedrockTitanEmbeddingProvider(Region.of(defaultRegion)));
  }
}
