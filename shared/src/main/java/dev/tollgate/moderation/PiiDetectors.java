package dev.tollgate.moderation;

import com.google.re2j.Pattern;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in detectors. Each pattern proposes candidates and a confirmation decides, so a run of
 * digits is a card only if it passes Luhn and an IBAN only if its check digits hold. Numbers count
 * only as a whole: digits that continue (directly, or after one space, dash or dot) make a longer
 * number, which is not split to find a card or a phone inside it.
 */
final class PiiDetectors {

  private static final Map<PiiType, Detector> DETECTORS = new EnumMap<>(PiiType.class);

  static {
    DETECTORS.put(PiiType.EMAIL, new Email());
    DETECTORS.put(PiiType.PHONE, new Phone());
    DETECTORS.put(PiiType.CARD, new Card());
    DETECTORS.put(PiiType.IBAN, new Iban());
    DETECTORS.put(PiiType.AWS_ACCESS_KEY, new AwsAccessKey());
    DETECTORS.put(PiiType.AWS_SECRET_KEY, new AwsSecretKey());
  }

  private PiiDetectors() {}

  static Detector of(PiiType type) {
    return DETECTORS.get(type);
  }

  /** local@domain.tld: RFC 5321 caps an address at 254 characters and its local part at 64. */
  static final class Email extends Detector {
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";

    Email() {
      super(Pattern.compile("[A-Za-z0-9._%+-]+@" + LABEL + "(?:\\." + LABEL + ")*\\.[A-Za-z]{2,63}"), "email", 254 + 2);
    }

    @Override
    boolean mayMatch(CharSequence text, int from, int to) {
      return indexOf(text, '@', from, to) >= 0;
    }

    @Override
    int confirm(CharSequence text, int start, int end, int from) {
      int at = indexOf(text, '@', start, end);
      if (end - start > 254 || at - start > 64) {
        return -1;
      }
      // The match that starts one character earlier is the same address, longer.
      return start > from && isLocalChar(text.charAt(start - 1)) ? -1 : end;
    }

    private static boolean isLocalChar(char c) {
      return isAlnum(c) || "._%+-".indexOf(c) >= 0;
    }
  }

  /**
   * A phone number in one of three shapes: international ({@code +} and a country code, then
   * groups of digits separated by single spaces, dots or dashes, an area code maybe in
   * parentheses; 8 to 15 digits, E.164's maximum); North American ({@code (415) 555-2671},
   * {@code 415-555-2671}, {@code 415.555.2671}, {@code 415 555 2671}, optionally after {@code 1-} or {@code 1 });
   * national with a trunk {@code 0} ({@code 020 7946 0958}, {@code 01 23 45 67 89}; 9 to 12 digits,
   * one kind of separator throughout). Plain digit runs without {@code +} or separators are not
   * phones (they are as often order numbers), nor are dates, times, versions or IP addresses.
   */
  static final class Phone extends Detector {
    Phone() {
      super(
          Pattern.compile(
              "\\+[1-9][0-9]{0,2}(?:[ .-]?(?:\\([0-9]{1,4}\\)|[0-9]{1,5})){2,6}"
                  + "|(?:1[ .-]?)?(?:\\([0-9]{3}\\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}"
                  + "|0[0-9]{1,4}(?:[ /-][0-9]{2,8}){1,4}"),
          "phone",
          46 + 2);
    }

    @Override
    boolean mayMatch(CharSequence text, int from, int to) {
      return hasDigit(text, from, to);
    }

    @Override
    int confirm(CharSequence text, int start, int end, int from) {
      int digits = countDigits(text, start, end);
      boolean international = text.charAt(start) == '+';
      if (international ? digits < 8 || digits > 15 : digits < 9 || digits > 12) {
        return -1;
      }
      if (!isDigit(text.charAt(end - 1)) || !separatedBefore(text, start, "+_", " .-/") || !separatedAfter(text, end, ".-/:")) {
        return -1;
      }
      return text.charAt(start) == '0' && !oneSeparatorKind(text, start, end) ? -1 : end;
    }

    /** {@code 05-06-2024 10} is a date and a time, not a phone. */
    private static boolean oneSeparatorKind(CharSequence text, int start, int end) {
      char kind = 0;
      for (int i = start; i < end; i++) {
        char c = text.charAt(i);
        if (!isDigit(c)) {
          if (kind != 0 && c != kind) {
            return false;
          }
          kind = c;
        }
      }
      return true;
    }
  }

  /** 13 to 19 digits, single spaces or dashes allowed between them, passing the Luhn check. */
  static final class Card extends Detector {
    Card() {
      super(Pattern.compile("[0-9](?:[ -]?[0-9]){12,18}"), "card", 37 + 2);
    }

    @Override
    boolean mayMatch(CharSequence text, int from, int to) {
      return hasDigit(text, from, to);
    }

    @Override
    int confirm(CharSequence text, int start, int end, int from) {
      boolean whole = separatedBefore(text, start, "+_", " -.") && separatedAfter(text, end, " -.");
      return whole && Checksums.luhn(text.subSequence(start, end)) ? end : -1;
    }
  }

  /**
   * An IBAN (ISO 13616): country code, two check digits, then exactly the country's length of
   * letters and digits, written solid or in groups of four separated by single spaces; the mod-97
   * check must hold. Countries outside {@link IbanLengths} do not issue IBANs.
   */
  static final class Iban extends Detector {
    Iban() {
      super(Pattern.compile("[A-Za-z]{2}[0-9]{2}"), "iban", 34 + 8 + 2);
    }

    @Override
    boolean mayMatch(CharSequence text, int from, int to) {
      return hasDigit(text, from, to);
    }

    @Override
    int confirm(CharSequence text, int start, int end, int from) {
      if (start > 0 && isAlnum(text.charAt(start - 1))) {
        return -1;
      }
      Integer length = IbanLengths.of(text.subSequence(start, start + 2).toString().toUpperCase(Locale.ROOT));
      if (length == null) {
        return -1;
      }
      StringBuilder iban = new StringBuilder(length);
      int i = start;
      while (iban.length() < length && i < text.length()) {
        char c = text.charAt(i);
        if (isAlnum(c)) {
          iban.append(c);
          i++;
        } else if (c == ' ' && iban.length() % 4 == 0 && i + 1 < text.length() && isAlnum(text.charAt(i + 1))) {
          i++;
        } else {
          return -1;
        }
      }
      boolean complete = iban.length() == length && (i >= text.length() || !isAlnum(text.charAt(i)));
      return complete && Checksums.ibanMod97(iban.toString()) ? i : -1;
    }
  }

  /** An AWS access key id: {@code AKIA} (long-term) or {@code ASIA} (temporary) and 16 more capitals or digits. */
  static final class AwsAccessKey extends Detector {
    AwsAccessKey() {
      super(Pattern.compile("(?:AKIA|ASIA)[A-Z0-9]{16}"), "awsAccessKey", 20 + 2);
    }

    @Override
    boolean mayMatch(CharSequence text, int from, int to) {
      String window = text.subSequence(from, to).toString();
      return window.contains("AKIA") || window.contains("ASIA");
    }

    @Override
    int confirm(CharSequence text, int start, int end, int from) {
      boolean alone = (start == 0 || !isAlnum(text.charAt(start - 1))) && (end >= text.length() || !isAlnum(text.charAt(end)));
      return alone ? end : -1;
    }
  }

  /**
   * An AWS secret access key: exactly 40 characters of {@code A-Z a-z 0-9 / +} with at least one
   * capital, one small letter and one digit, not part of a longer base64 run, and named by its
   * context: within the {@value #LOOKBACK} characters before it, the word {@code secret} (any case:
   * {@code aws_secret_access_key}, {@code SecretAccessKey}) or an access key id. Forty such
   * characters alone are far more often a hash or a token than a key, so they are left alone.
   */
  static final class AwsSecretKey extends Detector {
    static final int LOOKBACK = 64;
    private static final Pattern CONTEXT = Pattern.compile("(?i)secret|(?:AKIA|ASIA)[A-Z0-9]{16}");

    AwsSecretKey() {
      super(Pattern.compile("[A-Za-z0-9/+]{40}"), "awsSecretKey", 40 + 2);
    }

    @Override
    boolean mayMatch(CharSequence text, int from, int to) {
      return hasDigit(text, from, to);
    }

    @Override
    int confirm(CharSequence text, int start, int end, int from) {
      boolean alone = (start == 0 || !isBase64(text.charAt(start - 1))) && (end >= text.length() || !isBase64(text.charAt(end)));
      if (!alone || !mixed(text, start, end)) {
        return -1;
      }
      CharSequence before = text.subSequence(Math.max(0, start - LOOKBACK), start);
      return CONTEXT.matcher(before).find() ? end : -1;
    }

    private static boolean mixed(CharSequence text, int start, int end) {
      boolean upper = false;
      boolean lower = false;
      boolean digit = false;
      for (int i = start; i < end; i++) {
        char c = text.charAt(i);
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
        digit |= isDigit(c);
      }
      return upper && lower && digit;
    }

    private static boolean isBase64(char c) {
      return isAlnum(c) || c == '/' || c == '+' || c == '=';
    }
  }

  /** Nothing number-like right before: no letter or digit, none of {@code also}, no separator that follows a digit. */
  static boolean separatedBefore(CharSequence text, int start, String also, String separators) {
    if (start == 0) {
      return true;
    }
    char before = text.charAt(start - 1);
    if (isAlnum(before) || also.indexOf(before) >= 0) {
      return false;
    }
    return !(separators.indexOf(before) >= 0 && start >= 2 && isDigit(text.charAt(start - 2)));
  }

  /** Nothing number-like right after: no letter or digit, no separator followed by a digit. */
  static boolean separatedAfter(CharSequence text, int end, String separators) {
    if (end >= text.length()) {
      return true;
    }
    char after = text.charAt(end);
    if (isAlnum(after) || after == '_') {
      return false;
    }
    return !(separators.indexOf(after) >= 0 && end + 1 < text.length() && isDigit(text.charAt(end + 1)));
  }

  static int countDigits(CharSequence text, int start, int end) {
    int digits = 0;
    for (int i = start; i < end; i++) {
      if (isDigit(text.charAt(i))) {
        digits++;
      }
    }
    return digits;
  }

  static boolean hasDigit(CharSequence text, int start, int end) {
    for (int i = start; i < end; i++) {
      if (isDigit(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(CharSequence text, char c, int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlnum(char c) {
    return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
