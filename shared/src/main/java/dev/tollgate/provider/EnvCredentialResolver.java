package dev.tollgate.provider;

import java.util.Map;

/** Resolves {@code env:NAME} references from the process environment. */
public final class EnvCredentialResolver implements CredentialResolver {

  private final Map<String, String> environment;

  public EnvCredentialResolver(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Secret resolve(CredentialRef ref) {
    if (ref.kind() != CredentialRef.Kind.ENV) {
      throw new CredentialUnavailableException(
          "credential " + ref + " needs Secrets Manager, which is not configured here");
    }
    String value = environment.get(ref.name());
    if (value == null || value.isBlank()) {
      throw new CredentialUnavailableException("credential " + ref + " is not set");
    }
    return new Secret(value);
  }
}
