package dev.tollgate.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words for lexical (BM25) scoring: lower-cased runs of letters and digits, where a run joined by
 * {@code - _ . / :} (an error code like {@code ERR-4012}, a part number like {@code X9-200}, a
 * version like {@code v2.1}) counts as one token and its parts count too, so a query for the code
 * finds it whole while a query for a part still matches. Common English words are dropped.
 */
public final class LexicalTokens {

  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:[-_./:][\\p{L}\\p{N}]+)*");
  private static final Pattern JOINER = Pattern.compile("[-_./:]");
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "how",
          "i", "if", "in", "into", "is", "it", "its", "my", "of", "on", "or", "our", "so", "that", "the",
          "their", "then", "there", "these", "this", "to", "was", "we", "what", "when", "where", "which",
          "who", "why", "will", "with", "you", "your");

  private LexicalTokens() {}

  public static List<String> of(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
    while (matcher.find()) {
      String token = matcher.group();
      if (JOINER.matcher(token).find()) {
        tokens.add(token);
        for (String part : JOINER.split(token)) {
          add(tokens, part);
        }
      } else {
        add(tokens, token);
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
