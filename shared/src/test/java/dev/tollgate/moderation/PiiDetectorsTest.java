package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What each built-in detector redacts, and the look-alikes it must leave alone. */
class PiiDetectorsTest {

  private static String redact(String text) {
    return PiiRedactor.ALL.redact(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "write to jane.doe+tag@mail.example.co.uk today | write to [REDACTED:email] today",
        "<a@b.io>, c_d@e-f.org. | <[REDACTED:email]>, [REDACTED:email].",
        "call +44 20 7946 0958 now | call [REDACTED:phone] now",
        "call +1 (415) 555-2671. | call [REDACTED:phone].",
        "call +491701234567 | call [REDACTED:phone]",
        "US (415) 555-2671 or 415-555-2671 or 415.555.2671 | US [REDACTED:phone] or [REDACTED:phone] or [REDACTED:phone]",
        "dial 1-415-555-2671 | dial [REDACTED:phone]",
        "dial 1 415 555 2671 or +1 415 555 2671 | dial [REDACTED:phone] or [REDACTED:phone]",
        "London 020 7946 0958, Paris 01 23 45 67 89 | London [REDACTED:phone], Paris [REDACTED:phone]",
        "card 4111 1111 1111 1111 exp | card [REDACTED:card] exp",
        "card 4111-1111-1111-1111. | card [REDACTED:card].",
        "card 4111111111111111 | card [REDACTED:card]",
        "amex 378282246310005, discover 6011111111111117 | amex [REDACTED:card], discover [REDACTED:card]",
        "pay DE89 3704 0044 0532 0130 00 now | pay [REDACTED:iban] now",
        "pay GB82WEST12345698765432. | pay [REDACTED:iban].",
        "pay FR14 2004 1010 0505 0001 3M02 606 | pay [REDACTED:iban]",
        "pay NO9386011117947 | pay [REDACTED:iban]",
        "key AKIAIOSFODNN7EXAMPLE here | key [REDACTED:awsAccessKey] here",
        "temp ASIAY34FZKBOKMUTVV7A | temp [REDACTED:awsAccessKey]",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key = [REDACTED:awsSecretKey]",
        "\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\" | \"SecretAccessKey\": \"[REDACTED:awsSecretKey]\"",
        "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | [REDACTED:awsAccessKey]:[REDACTED:awsSecretKey]",
      })
  void eachTypeIsReplacedByItsPlaceholder(String text, String redacted) {
    assertEquals(redacted, redact(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a 16-digit number failing Luhn: 4111 1111 1111 1112",
        "solid: 4111111111111112",
        "too long to be a card: 4111 1111 1111 1111 1111",
        "twenty digits 12345678901234567890",
        "an IBAN with a wrong check: DE89 3704 0044 0532 0130 01",
        "an IBAN one character short: GB82WEST1234569876543",
        "not a country: XX89370400440532013000",
        "dates 2024-01-15, 15.01.2024, 01/15/2024, 01-02-2024, 05-06-2024 10:30",
        "versions 1.2.3, v10.0.19045.2965, 2.15.1234",
        "times 12:30:45 and IPs 192.168.1.100, 10.100.200.3000",
        "plain numbers 4155552671 and order 12345 and pi 3.14159265358979",
        "an access key id too long AKIAIOSFODNN7EXAMPLEX",
        "forty base64 characters with no label: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "a git commit is not a secret 3f2a9c1b7e4d5a6f8091a2b3c4d5e6f708192a3b",
        "no at sign: jane.doe.example.com, @handle, a@b",
      })
  void lookAlikesAreLeftAlone(String text) {
    assertEquals(text, redact(text));
  }

  @Test
  void checksumsDecide() {
    assertEquals(true, Checksums.luhn("4111 1111 1111 1111"));
    assertEquals(false, Checksums.luhn("4111 1111 1111 1112"));
    assertEquals(true, Checksums.ibanMod97("GB82WEST12345698765432"));
    assertEquals(false, Checksums.ibanMod97("GB83WEST12345698765432"));
  }

  @Test
  void hostileInputFinishesInLinearTime() {
    String digits = "1 ".repeat(50_000) + "a".repeat(50_000) + "@".repeat(10_000) + "A1b/".repeat(20_000);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> redact(digits));
  }
}
