package dev.tollgate.limit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scope part of a counter key: a policy's scope parts with the request's values, joined in
 * the policy's order, e.g. {@code consumer=alice|route=gpt-4o} or {@code header:x-tenant=acme}.
 * A global policy's scope is {@link #GLOBAL}. Values are percent-encoded where they hold
 * {@code % | =} or control characters, so {@link #parse} recovers them exactly; a request without
 * the header or metadata field a part names counts under the empty value (one shared counter, so
 * leaving the header out never escapes the limit). A value longer than 256 characters once encoded
 * is kept as {@code ~} and its SHA-256 in hex.
 */
public final class ScopeKey {

  /** The scope of a policy that keeps one counter. */
  public static final String GLOBAL = "*";
  /** Longer values are replaced by their hash. */
  static final int MAX_VALUE_LENGTH = 256;

  private ScopeKey() {}

  /** The request's values for a policy's scope parts. */
  public interface Values {
    /** The value of one part; empty when the request has none (a missing header, say). */
    Optional<String> of(LimitScope part);
  }

  /** The scope string for {@code parts} (a policy's scope) with the request's {@code values}. */
  public static String of(List<LimitScope> parts, Values values) {
    if (parts.isEmpty()) {
      return GLOBAL;
    }
    StringBuilder key = new StringBuilder();
    for (LimitScope part : parts) {
      if (!key.isEmpty()) {
        key.append('|');
      }
      key.append(part).append('=').append(bounded(values.of(part).orElse("")));
    }
    return key.toString();
  }

  /** The parts of a scope string by their config spelling ({@code consumer}, {@code header:x-tenant}); empty for GLOBAL. */
  public static Map<String, String> parse(String scope) {
    Map<String, String> parts = new LinkedHashMap<>();
    if (scope.equals(GLOBAL) || scope.isEmpty()) {
      return parts;
    }
    for (String part : scope.split("\\|", -1)) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("not a scope key: " + scope);
      }
      parts.put(part.substring(0, eq), decode(part.substring(eq + 1)));
    }
    return parts;
  }

  /** The encoded value, or for a value too long for a key (DynamoDB keys end at 2 KB) {@code ~} and its SHA-256. */
  static String bounded(String value) {
    String encoded = encode(value);
    if (encoded.length() <= MAX_VALUE_LENGTH) {
      return encoded;
    }
    try {
      return "~" + java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '%' || c == '|' || c == '=' || c < 0x20 || c == 0x7f) {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append((char) c);
      }
    }
    // Non-ASCII bytes were appended as chars 0x80..0xff: rebuild the UTF-8 text.
    return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  static String decode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
