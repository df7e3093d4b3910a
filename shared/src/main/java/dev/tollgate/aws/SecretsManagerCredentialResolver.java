package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.CredentialRef;
import dev.tollgate.provider.CredentialResolver;
import dev.tollgate.provider.CredentialUnavailableException;
import dev.tollgate.provider.Secret;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.lambda.powertools.parameters.cache.CacheManager;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * Resolves {@code secret:NAME[#key]} through Powertools' secrets provider, which caches each
 * secret for {@code maxAge}. Only secrets under {@code allowedPrefix} are read: the function's
 * IAM policy allows no others, and saying so here gives a clearer error than AccessDenied.
 */
public final class SecretsManagerCredentialResolver implements CredentialResolver {

  private final SecretsProvider secrets;
  private final String allowedPrefix;

  public SecretsManagerCredentialResolver(SecretsManagerClient client, Duration maxAge, String allowedPrefix) {
    CacheManager cache = new CacheManager();
    cache.setDefaultExpirationTime(maxAge);
    this.secrets = SecretsProvider.builder().withClient(client).withCacheManager(cache).build();
    this.allowedPrefix = allowedPrefix;
  }

  @Override
  public Secret resolve(CredentialRef ref) {
    if (ref.kind() != CredentialRef.Kind.SECRET) {
      throw new CredentialUnavailableException("credential " + ref + " is not a Secrets Manager reference");
    }
    if (!ref.name().startsWith(allowedPrefix)) {
      throw new CredentialUnavailableException(
          "credential " + ref + " is outside the secret prefix '" + allowedPrefix + "' this gateway may read");
    }
    String value = read(ref);
    if (ref.jsonKey() == null) {
      return nonBlank(ref, value);
    }
    JsonNode field;
    try {
      field = Json.parse(value).get(ref.jsonKey());
    } catch (IllegalArgumentException notJson) {
      throw new CredentialUnavailableException("credential " + ref + ": the secret is not a JSON object");
    }
    if (field == null || !field.isTextual()) {
      throw new CredentialUnavailableException("credential " + ref + ": the secret has no string key '" + ref.jsonKey() + "'");
    }
    return nonBlank(ref, field.asText());
  }

  private String read(CredentialRef ref) {
    try {
      return secrets.get(ref.name());
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "error" : e.awsErrorDetails().errorCode();
      throw new CredentialUnavailableException("credential " + ref + " could not be read (" + code + ")");
    } catch (SdkException e) {
      throw new CredentialUnavailableException("credential " + ref + " could not be read (Secrets Manager unreachable)");
    }
  }

  private static Secret nonBlank(CredentialRef ref, String value) {
    if (value == null || value.isBlank()) {
      throw new CredentialUnavailableException("credential " + ref + " is empty");
    }
    return new Secret(value.trim());
  }
}
