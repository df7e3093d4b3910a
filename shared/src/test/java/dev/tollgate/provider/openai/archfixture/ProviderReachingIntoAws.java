package dev.tollgate.provider.openai.archfixture;

import dev.tollgate.aws.SecretsManagerCredentialResolver;
import java.time.Duration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Test-only: a provider class breaking both dependency rules on purpose, so {@code
 * ArchitectureTest} can show its rules catch it. Nothing uses it.
 */
public final class ProviderReachingIntoAws {

  private ProviderReachingIntoAws() {}

  static SecretsManagerCredentialResolver resolver(SecretsManagerClient client) {
    return new SecretsManagerCredentialResolver(client, Duration.ofMinutes(1), "tollgate/");
  }
}
