package dev.tollgate.provider;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a provider credential lives, never the credential itself: {@code env:NAME} for an
 * environment variable, {@code secret:NAME} or {@code secret:NAME#jsonKey} for a Secrets Manager
 * secret (whole string, or one key of a JSON secret).
 */
public record CredentialRef(Kind kind, String name, String jsonKey) {

  public enum Kind {
    ENV,
    SECRET
  }

  public static final String FORMAT = "'env:VARIABLE' or 'secret:SECRET_NAME' or 'secret:SECRET_NAME#jsonKey'";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
  private static final Pattern JSON_KEY = Pattern.compile("[^#]{1,256}");

  /** Parses the stored form, or returns empty when it is not one of the accepted forms. */
  public static Optional<CredentialRef> parse(String text) {
    if (text.startsWith("env:") && ENV_NAME.matcher(text.substring(4)).matches()) {
      return Optional.of(new CredentialRef(Kind.ENV, text.substring(4), null));
    }
    if (!text.startsWith("secret:")) {
      return Optional.empty();
    }
    String rest = text.substring(7);
    int hash = rest.indexOf('#');
    String name = hash < 0 ? rest : rest.substring(0, hash);
    String key = hash < 0 ? null : rest.substring(hash + 1);
    if (!SECRET_NAME.matcher(name).matches() || (key != null && !JSON_KEY.matcher(key).matches())) {
      return Optional.empty();
    }
    return Optional.of(new CredentialRef(Kind.SECRET, name, key));
  }

  /** The stored form, safe to log: it names where the secret is, not what it is. */
  @Override
  public String toString() {
    return switch (kind) {
      case ENV -> "env:" + name;
      case SECRET -> "secret:" + name + (jsonKey == null ? "" : "#" + jsonKey);
    };
  }
}
