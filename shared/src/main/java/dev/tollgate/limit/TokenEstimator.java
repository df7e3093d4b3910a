package dev.tollgate.limit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.api.MessageText;

/**
 * Estimates what a request will consume before the upstream call, so a budget can be reserved:
 * its prompt tokens counted with the model's tokenizer (see {@link TokenCounting}) and its
 * completion allowance.
 *
 * <p>Chat prompts follow OpenAI's cookbook ("How to count tokens with tiktoken"): 3 tokens per
 * message for its framing, the tokens of its role, content and name, 1 more for a name, and 3 for
 * priming the reply. On top of what the cookbook covers, tool definitions count as the tokens of
 * their JSON (OpenAI renders them more compactly, so this errs high), a tool call as the tokens
 * of its function name and arguments, and an image part as a flat {@value #IMAGE_LOW_DETAIL}
 * tokens at {@code detail: low}, else {@value #IMAGE_DEFAULT} (OpenAI's high-detail price of a
 * 1024×1024 image: 85 + 4 tiles × 170); the image's real size is unknown without fetching it.
 * Audio and file parts are not counted.
 */
public final class TokenEstimator {

  static final int TOKENS_PER_MESSAGE = 3;
  static final int TOKENS_PER_NAME = 1;
  static final int REPLY_PRIMING = 3;
  static final int IMAGE_LOW_DETAIL = 85;
  static final int IMAGE_DEFAULT = 765;

  private final long defaultCompletionCap;

  /**
   * @param defaultCompletionCap the completion allowance of a request that sets no
   *     {@code max_completion_tokens} or {@code max_tokens} (a policy's default cap)
   */
  public TokenEstimator(long defaultCompletionCap) {
    if (defaultCompletionCap < 1) {
      throw new IllegalArgumentException("the default completion cap must be at least 1: " + defaultCompletionCap);
    }
    this.defaultCompletionCap = defaultCompletionCap;
  }

  /** Reads both encodings' vocabularies now (for a SnapStart snapshot) instead of on the first count. */
  public static void loadEncodings() {
    for (TokenCounting counting : TokenCounting.values()) {
      counting.tokens("warm up");
    }
  }

  /** Prompt tokens of a chat request, counted for the model the client named. */
  public long promptTokens(ChatRequest request) {
    return promptTokens(request, request.model());
  }

  /** Prompt tokens of a validated chat request, counted for {@code upstreamModel}'s tokenizer. */
  public long promptTokens(ChatRequest request, String upstreamModel) {
    TokenCounting counting = TokenCounting.forModel(upstreamModel);
    long raw = REPLY_PRIMING;
    for (JsonNode message : request.body().path("messages")) {
      raw += messageTokens(message, counting);
    }
    raw += jsonTokens(request.body().get("tools"), counting);
    raw += jsonTokens(request.body().get("functions"), counting); // the deprecated form of tools
    return counting.scale(raw);
  }

  /** The completion tokens a chat request may use: what the client set, else the default cap. */
  public long completionAllowance(ChatRequest request) {
    long requested = request.maxCompletionTokens();
    return requested > 0 ? requested : defaultCompletionCap;
  }

  /** Prompt tokens plus completion allowance: the most a chat request should cost in tokens. */
  public long totalTokens(ChatRequest request, String upstreamModel) {
    return promptTokens(request, upstreamModel) + completionAllowance(request);
  }

  /**
   * Lowers a completion allowance to the tokens a budget has left for it, so the request can still
   * run with a shorter answer; the caller rewrites {@code max_tokens} to the result. Never below 1:
   * a budget with nothing left is refused by the reservation, not by a zero allowance.
   */
  public static long clampAllowance(long allowance, long tokensLeft) {
    return Math.max(1, Math.min(allowance, tokensLeft));
  }

  /** Input tokens of an embeddings request, counted for the model the client named. */
  public long inputTokens(EmbeddingsRequest request) {
    return inputTokens(request, request.model());
  }

  /** Input tokens of a validated embeddings request; token-id input counts its ids. */
  public long inputTokens(EmbeddingsRequest request, String upstreamModel) {
    if (request.tokenInput()) {
      return tokenIds(request.body().path("input"));
    }
    TokenCounting counting = TokenCounting.forModel(upstreamModel);
    long raw = 0;
    for (String text : request.texts()) {
      raw += counting.tokens(text);
    }
    return counting.scale(raw);
  }

  private static long messageTokens(JsonNode message, TokenCounting counting) {
    long tokens = TOKENS_PER_MESSAGE + counting.tokens(message.path("role").asText());
    JsonNode content = message.get("content");
    tokens += counting.tokens(MessageText.of(content));
    if (content != null && content.isArray()) {
      tokens += imageTokens(content);
    }
    JsonNode name = message.get("name");
    if (name != null && name.isTextual()) {
      tokens += counting.tokens(name.asText()) + TOKENS_PER_NAME;
    }
    JsonNode refusal = message.get("refusal");
    if (refusal != null && refusal.isTextual()) {
      tokens += counting.tokens(refusal.asText());
    }
    for (JsonNode call : message.path("tool_calls")) {
      tokens += functionTokens(call.path("function"), counting);
    }
    tokens += functionTokens(message.path("function_call"), counting);
    return tokens;
  }

  private static long imageTokens(JsonNode parts) {
    long tokens = 0;
    for (JsonNode part : parts) {
      if ("image_url".equals(part.path("type").asText())) {
        boolean low = "low".equals(part.path("image_url").path("detail").asText());
        tokens += low ? IMAGE_LOW_DETAIL : IMAGE_DEFAULT;
      }
    }
    return tokens;
  }

  private static long functionTokens(JsonNode function, TokenCounting counting) {
    return counting.tokens(function.path("name").asText()) + counting.tokens(function.path("arguments").asText());
  }

  private static long jsonTokens(JsonNode json, TokenCounting counting) {
    return json == null || json.isNull() ? 0 : counting.tokens(json.toString());
  }

  private static long tokenIds(JsonNode input) {
    long ids = 0;
    for (JsonNode item : input) {
      ids += item.isArray() ? item.size() : 1; // a flat array of ids, or an array of such arrays
    }
    return ids;
  }
}
