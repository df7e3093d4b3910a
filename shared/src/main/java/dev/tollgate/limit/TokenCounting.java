package dev.tollgate.limit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Locale;

/**
 * How a model's prompt tokens are counted: which tiktoken encoding, and by how much the count is
 * raised for models whose tokenizer is not public in Java.
 *
 * <p>OpenAI's models are counted exactly as tiktoken does: {@code o200k_base} for gpt-4o,
 * gpt-4.1, gpt-4.5, gpt-5 and the o-series; {@code cl100k_base} for gpt-3.5, gpt-4 and the
 * embedding models. Claude, Gemini, Bedrock's vendors and the other open-weight families are an
 * approximation: their {@code cl100k_base} count plus 20 %. {@code cl100k_base}'s smaller
 * vocabulary already counts more tokens than {@code o200k_base} on most text, and the 20 % covers
 * tokenizers known to split finer than OpenAI's (Anthropic's does). An estimate that is too high
 * only holds budget back until settlement returns it; one that is too low lets a burst overspend.
 * Any other model name counts as {@code o200k_base}, OpenAI's current encoding.
 */
enum TokenCounting {
  O200K_BASE(100),
  CL100K_BASE(100),
  APPROXIMATE(120);

  private static final List<String> O200K_PREFIXES =
      List.of("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss", "o1", "o3", "o4");
  private static final List<String> CL100K_PREFIXES =
      List.of("gpt-4", "gpt-3.5", "gpt-35", "text-embedding-");
  private static final List<String> APPROXIMATE_MARKS =
      List.of(
          "claude", "anthropic.", "gemini", "gemma", "amazon.", "titan", "nova", "meta.", "llama",
          "mistral", "mixtral", "cohere.", "command", "ai21.", "deepseek", "qwen");
  // Bedrock cross-region inference profiles put a geography before the vendor: us.anthropic...
  private static final List<String> REGION_PREFIXES = List.of("us.", "eu.", "apac.", "jp.", "global.");

  private final int percent;

  TokenCounting(int percent) {
    this.percent = percent;
  }

  /** The counting for an upstream model name, e.g. {@code gpt-4o-mini} or {@code us.anthropic.claude-sonnet-4}. */
  static TokenCounting forModel(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    name = name.substring(name.lastIndexOf('/') + 1); // "openai/gpt-4o" style names
    for (String region : REGION_PREFIXES) {
      if (name.startsWith(region)) {
        name = name.substring(region.length());
        break;
      }
    }
    // gpt-4o and gpt-4.1 also start with gpt-4: the o200k prefixes are checked first.
    for (String prefix : O200K_PREFIXES) {
      if (name.startsWith(prefix)) {
        return O200K_BASE;
      }
    }
    for (String prefix : CL100K_PREFIXES) {
      if (name.startsWith(prefix)) {
        return CL100K_BASE;
      }
    }
    for (String mark : APPROXIMATE_MARKS) {
      if (name.contains(mark)) {
        return APPROXIMATE;
      }
    }
    return O200K_BASE;
  }

  /** Tokens of {@code text} in this counting's encoding, special-token text counted as ordinary text. */
  int tokens(String text) {
    return text.isEmpty() ? 0 : encoding().countTokensOrdinary(text);
  }

  /** Raises a raw encoding count by this counting's margin, rounding up. */
  long scale(long rawTokens) {
    return (rawTokens * percent + 99) / 100;
  }

  private Encoding encoding() {
    return this == O200K_BASE ? O200k.ENCODING : Cl100k.ENCODING;
  }

  // Holder classes: an encoding's vocabulary (1.7 MB for cl100k, 3.6 MB for o200k) is read on the
  // first count that needs it, once per JVM, and never during a function's init.
  private static final class O200k {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private static final class Cl100k {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }
}
