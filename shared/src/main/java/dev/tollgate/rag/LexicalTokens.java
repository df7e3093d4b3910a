package dev.tollgate.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Words for lexical (BM25) scoring: lower-cased runs of letters and digits, where a run joined by
 * {@code - _ . / :} (an error code like {@code ERR-4012}, a part number like {@code X9-200}, a
 * version like {@code v2.1}) counts as one token and its parts count too, so a query for the code
 * finds it whole while a query for a part still matches. Common English words are dropped.
 */
public final class LexicalTokens {

  private static final String JOINERS = "-_./:";
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "how",
          "i", "if", "in", "into", "is", "it", "its", "my", "of", "on", "or", "our", "so", "that", "the",
          "their", "then", "there", "these", "this", "to", "was", "we", "what", "when", "where", "which",
          "who", "why", "will", "with", "you", "your");

  private LexicalTokens() {}

  public static List<String> of(String text) {
    List<String> tokens = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    int i = 0;
    int length = lower.length();
    while (i < length) {
      if (!Character.isLetterOrDigit(lower.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int partStart = i;
      boolean joined = false;
      List<String> parts = new ArrayList<>(2);
      while (true) {
        while (i < length && Character.isLetterOrDigit(lower.charAt(i))) {
          i++;
        }
        // A joiner between two letter-or-digit runs continues the token (ERR-4012, v2.1, x9_200).
        if (i + 1 < length && JOINERS.indexOf(lower.charAt(i)) >= 0 && Character.isLetterOrDigit(lower.charAt(i + 1))) {
          parts.add(lower.substring(partStart, i));
          joined = true;
          i++;
          partStart = i;
        } else {
          break;
        }
      }
      if (joined) {
        parts.add(lower.substring(partStart, i));
        tokens.add(lower.substring(start, i));
        parts.forEach(part -> add(tokens, part));
      } else {
        add(tokens, lower.substring(start, i));
      }
    }
    return tokens;
  }

  private static void add(List<String> tokens, String token) {
    if (!token.isEmpty() && !STOP_WORDS.contains(token)) {
      tokens.add(token);
    }
  }
}
