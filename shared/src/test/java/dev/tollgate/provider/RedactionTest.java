package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Upstream text is scrubbed of the credential used and of anything that looks like a key. */
class RedactionTest {

  @Test
  void theCredentialInUseIsReplacedWhereverItAppears() {
    String key = "0123456789abcdef0123456789abcdef"; // Azure-style: no recognisable prefix
    String text = "key " + key + " is not valid for deployment x (" + key + ")";

    String redacted = Redaction.redact(text, Optional.of(new Secret(key)));

    assertEquals("key [REDACTED] is not valid for deployment x ([REDACTED])", redacted);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk-proj-Zx81mQ0pLw5rT7yU2vB9",
        "sk-abcdef123456",
        "tg-kQ2_Lr7xHn0vWp4-zY",
        "key-1234567890",
        "api_key-abcdefgh",
        "api-key_abcdefgh",
        "SK-ABCDEFGHIJ",
        "sk-****************wxyz"
      })
  void keyLikeStringsAreReplacedEvenWithoutASecret(String keyLike) {
    String redacted = Redaction.redact("Incorrect API key provided: " + keyLike + " (see docs)", Optional.empty());

    assertEquals("Incorrect API key provided: [REDACTED] (see docs)", redacted);
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    String text = "The model `gpt-4o-mini` does not support 'temperature' above 2; task-force sketch ok.";

    assertEquals(text, Redaction.redact(text, Optional.empty()));
  }

  @Test
  void aVeryShortCredentialIsNotSearchedFor() {
    // Replacing a 3-character value would shred ordinary words and hint at the value.
    assertEquals("abc is fine", Redaction.redact("abc is fine", Optional.of(new Secret("abc"))));
  }

  @Test
  void aSecretNeverPrintsItsValue() {
    assertFalse(new Secret("sk-very-secret-value").toString().contains("secret-value"));
  }
}
