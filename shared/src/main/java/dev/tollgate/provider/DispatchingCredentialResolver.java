package dev.tollgate.provider;

/** Sends {@code env:} references to one resolver and {@code secret:} references to another. */
public final class DispatchingCredentialResolver implements CredentialResolver {

  private final CredentialResolver environment;
  private final CredentialResolver secrets;

  public DispatchingCredentialResolver(CredentialResolver environment, CredentialResolver secrets) {
    this.environment = environment;
    this.secrets = secrets;
  }

  @Override
  public Secret resolve(CredentialRef ref) {
    return switch (ref.kind()) {
      case ENV -> environment.resolve(ref);
      case SECRET -> secrets.resolve(ref);
    };
  }
}
