package dev.tollgate.moderation;

import java.util.Locale;

/** The check digits that tell a card number or an IBAN from any other run of digits. */
final class Checksums {

  private Checksums() {}

  /** The Luhn (mod 10) check over the digits of {@code text}, separators ignored. */
  static boolean luhn(CharSequence text) {
    int sum = 0;
    boolean doubled = false;
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int digit = c - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  /**
   * The ISO 13616 check: the first four characters moved to the end, letters as 10..35, the
   * number mod 97 is 1. {@code iban} holds letters and digits only.
   */
  static boolean ibanMod97(String iban) {
    String moved = (iban.substring(4) + iban.substring(0, 4)).toUpperCase(Locale.ROOT);
    int remainder = 0;
    for (int i = 0; i < moved.length(); i++) {
      char c = moved.charAt(i);
      if (c >= '0' && c <= '9') {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return remainder == 1;
  }
}
