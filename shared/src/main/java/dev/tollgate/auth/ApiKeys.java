package dev.tollgate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Makes API keys and the SHA-256 hashes they are stored as. A key itself is never stored. */
public final class ApiKeys {

  /** Every key Tollgate issues starts with this, so leaked keys are easy to scan for. */
  public static final String PREFIX = "tg-";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new key: the prefix and 32 random bytes, base64url. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lower-case hex SHA-256 of the key as presented. */
  public static String hash(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
