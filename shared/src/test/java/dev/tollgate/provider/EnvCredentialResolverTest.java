package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvCredentialResolverTest {

  private final EnvCredentialResolver resolver =
      new EnvCredentialResolver(Map.of("OPENAI_API_KEY", "sk-live-value-123", "BLANK_KEY", "  "));

  private static CredentialRef ref(String text) {
    return CredentialRef.parse(text).orElseThrow();
  }

  @Test
  void resolvesASetVariable() {
    assertEquals(new Secret("sk-live-value-123"), resolver.resolve(ref("env:OPENAI_API_KEY")));
  }

  @Test
  void anUnsetOrBlankVariableIsNamedInTheError() {
    for (String name : new String[] {"MISSING_KEY", "BLANK_KEY"}) {
      CredentialUnavailableException thrown =
          assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("env:" + name)));

      assertEquals("credential env:" + name + " is not set", thrown.getMessage());
    }
  }

  @Test
  void aSecretsManagerReferenceNeedsAnotherResolver() {
    CredentialUnavailableException thrown =
        assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("secret:OPENAI_API_KEY")));

    assertTrue(thrown.getMessage().contains("secret:OPENAI_API_KEY"), thrown.getMessage());
    assertFalse(thrown.getMessage().contains("sk-live-value-123"));
  }

  @Test
  void theDispatcherSendsEachKindToItsResolver() {
    CredentialResolver secrets = r -> new Secret("from-secrets:" + r.name());
    DispatchingCredentialResolver dispatching = new DispatchingCredentialResolver(resolver, secrets);

    assertEquals(new Secret("sk-live-value-123"), dispatching.resolve(ref("env:OPENAI_API_KEY")));
    assertEquals(new Secret("from-secrets:tollgate/openai"), dispatching.resolve(ref("secret:tollgate/openai")));
  }
}
