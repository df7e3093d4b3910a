package dev.tollgate.limit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.MessageText;
import dev.tollgate.pipeline.Exchange;
import java.util.EnumMap;
import java.util.Map;

/**
 * One request's prompt tokens, counted once per tokenizer however many targets it is tried on,
 * and the tokens of answer text for upstreams that report no usage. Counting happens only when a
 * policy that counts tokens or cost applies, never for request-count limits alone.
 */
final class PromptEstimates {

  private static final TokenEstimator ESTIMATOR = new TokenEstimator(1); // allowances are the policies' own

  private final Exchange exchange;
  private final Map<TokenCounting, Long> promptByCounting = new EnumMap<>(TokenCounting.class);

  PromptEstimates(Exchange exchange) {
    this.exchange = exchange;
  }

  /** The prompt tokens the request will cost on {@code upstreamModel}. */
  long promptTokens(String upstreamModel) {
    return promptByCounting.computeIfAbsent(TokenCounting.forModel(upstreamModel), counting -> count(upstreamModel));
  }

  private long count(String upstreamModel) {
    return isChat()
        ? ESTIMATOR.promptTokens(exchange.chatRequest(), upstreamModel)
        : ESTIMATOR.inputTokens(exchange.embeddingsRequest(), upstreamModel);
  }

  /** Whether the request is a chat completion (with an answer to allow for), not embeddings. */
  boolean isChat() {
    return !exchange.isEmbeddings();
  }

  /** The {@code max_completion_tokens} or {@code max_tokens} the client set, or -1. */
  long clientMaxTokens() {
    return isChat() ? exchange.chatRequest().maxCompletionTokens() : -1;
  }

  /** The tokens of {@code text} as {@code upstreamModel} would count them (for answers without usage). */
  static long textTokens(String text, String upstreamModel) {
    TokenCounting counting = TokenCounting.forModel(upstreamModel);
    return counting.scale(counting.tokens(text));
  }

  /** The text of every choice of a whole chat completion: content, refusals and tool-call arguments. */
  static String answerText(JsonNode completion) {
    StringBuilder text = new StringBuilder();
    for (JsonNode choice : completion.path("choices")) {
      JsonNode message = choice.path("message");
      text.append(MessageText.of(message.get("content")));
      text.append(message.path("refusal").asText(""));
      for (JsonNode call : message.path("tool_calls")) {
        text.append(call.path("function").path("name").asText("")).append(call.path("function").path("arguments").asText(""));
      }
    }
    return text.toString();
  }
}
