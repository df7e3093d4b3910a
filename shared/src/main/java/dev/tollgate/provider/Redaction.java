package dev.tollgate.provider;

import java.util.Optional;
import java.util.regex.Pattern;

/** Keeps credentials out of text that came back from an upstream before anyone sees it. */
public final class Redaction {

  private static final Pattern KEY_LIKE =
      Pattern.compile("(?i)\\b(sk|tg|key|api[_-]?key)[-_][A-Za-z0-9_\\-*.]{6,}");

  private Redaction() {}

  public static String redact(String text, Optional<Secret> secret) {
    String result = text;
    if (secret.isPresent() && secret.get().value().length() >= 4) {
      result = result.replace(secret.get().value(), "[REDACTED]");
    }
    return KEY_LIKE.matcher(result).replaceAll("[REDACTED]");
  }
}
