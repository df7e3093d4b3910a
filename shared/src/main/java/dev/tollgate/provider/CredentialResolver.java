package dev.tollgate.provider;

/** Resolves a {@link CredentialRef} to the credential it points at. */
public interface CredentialResolver {

  /**
   * Returns the credential, or throws {@link CredentialUnavailableException} with a message that
   * names the reference (never a value).
   */
  Secret resolve(CredentialRef ref);
}
