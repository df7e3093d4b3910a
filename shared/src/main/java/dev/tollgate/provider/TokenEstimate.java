package dev.tollgate.provider;

/**
 * A token count for upstreams that report none: about four characters a token (OpenAI's rule of
 * thumb), at least one for any text. An estimate for usage records, never for billing truth.
 */
public final class TokenEstimate {

  private TokenEstimate() {}

  public static long of(String text) {
    return text.isEmpty() ? 0 : (text.length() + 3) / 4;
  }
}
