package dev.tollgate.rag;

/**
 * How documents are cut: chunks of about {@code targetChars} characters, each starting with about
 * {@code overlap} (a fraction) of the previous chunk of the same section, so a sentence cut at a
 * boundary is still whole in one of the two.
 */
public record ChunkerOptions(int targetChars, double overlap) {

  public static final int DEFAULT_TARGET_CHARS = 800;
  public static final double DEFAULT_OVERLAP = 0.15;
  public static final ChunkerOptions DEFAULTS = new ChunkerOptions(DEFAULT_TARGET_CHARS, DEFAULT_OVERLAP);

  public ChunkerOptions {
    if (targetChars < 50) {
      throw new IllegalArgumentException("targetChars must be at least 50, was " + targetChars);
    }
    if (overlap < 0 || overlap >= 0.5) {
      throw new IllegalArgumentException("overlap must be from 0 to below 0.5, was " + overlap);
    }
  }

  int overlapChars() {
    return (int) Math.round(targetChars * overlap);
  }
}
