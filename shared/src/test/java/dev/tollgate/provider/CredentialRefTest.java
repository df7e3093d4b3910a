package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialRefTest {

  @Test
  void parsesAnEnvironmentVariable() {
    assertEquals(
        Optional.of(new CredentialRef(CredentialRef.Kind.ENV, "OPENAI_API_KEY", null)), CredentialRef.parse("env:OPENAI_API_KEY"));
  }

  @Test
  void parsesAWholeSecret() {
    assertEquals(
        Optional.of(new CredentialRef(CredentialRef.Kind.SECRET, "tollgate/openai", null)), CredentialRef.parse("secret:tollgate/openai"));
  }

  @Test
  void parsesOneKeyOfAJsonSecret() {
    assertEquals(
        Optional.of(new CredentialRef(CredentialRef.Kind.SECRET, "prod/providers", "azure east")),
        CredentialRef.parse("secret:prod/providers#azure east"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "OPENAI_API_KEY",
        "sk-proj-abcdef123456",
        "env:",
        "env:9LIVES",
        "env:HAS-DASH",
        "env:has space",
        "ENV:OPENAI_API_KEY",
        "secret:",
        "secret:#key",
        "secret:name#",
        "secret:a#b#c",
        "secret:bad name",
        "vault:secret/openai"
      })
  void refusesAnythingElse(String text) {
    assertTrue(CredentialRef.parse(text).isEmpty(), text);
  }

  @Test
  void anEnvNameHasAtMost128Characters() {
    assertTrue(CredentialRef.parse("env:" + "A".repeat(128)).isPresent());
    assertTrue(CredentialRef.parse("env:" + "A".repeat(129)).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"env:OPENAI_API_KEY", "secret:tollgate/openai", "secret:prod/providers#east"})
  void printsAsItsStoredForm(String text) {
    assertEquals(text, CredentialRef.parse(text).orElseThrow().toString());
  }
}
