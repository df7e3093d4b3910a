package dev.tollgate.moderation;

/**
 * One text of a stream (a choice's content or refusal) passing through a {@link TextFilter}.
 * Each fragment is appended to the text not yet sent; everything but the last
 * {@link TextFilter#holdback()} characters is decided and sent, so a match split across chunks is
 * still whole when it is decided, and no more than the holdback is ever kept. A match of at most
 * the holdback is thus found exactly as in the whole text, wherever the chunks split it.
 */
final class HeldText {

  /** Characters sent earlier that are kept as context (boundaries, an AWS secret key's label). */
  static final int CONTEXT = PiiDetectors.AwsSecretKey.LOOKBACK + 2;

  private final TextFilter filter;
  private final FilterTally tally;
  private String context = "";
  private String pending = "";
  private boolean blocked;

  HeldText(TextFilter filter, FilterTally tally) {
    this.filter = filter;
    this.tally = tally;
  }

  /** Takes {@code fragment} in and returns what may be sent now; null once a blocking filter matched. */
  String accept(String fragment) {
    return release(fragment, false);
  }

  /** The held text, decided and redacted: the stream is over. Null when it blocks. */
  String flush() {
    return release("", true);
  }

  /** How many characters are held back now. */
  int held() {
    return pending.length();
  }

  boolean blocked() {
    return blocked;
  }

  private String release(String fragment, boolean end) {
    if (blocked) {
      return null;
    }
    String text = context + pending + fragment;
    int from = context.length();
    int settle = end ? text.length() : Math.max(from, text.length() - filter.holdback());
    if (settle > from && settle < text.length() && Character.isHighSurrogate(text.charAt(settle - 1))) {
      settle++; // never split a surrogate pair: send one more character rather than hold one more
    }
    TextFilter.Result result = filter.scan(text, from, settle, tally);
    if (result.blocked()) {
      blocked = true;
      pending = "";
      return null;
    }
    int releasedTo = result.releasedTo();
    context = text.substring(Math.max(0, releasedTo - CONTEXT), releasedTo);
    pending = text.substring(releasedTo);
    return result.text();
  }
}
