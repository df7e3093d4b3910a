package dev.tollgate.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;

/**
 * The request filter step, after the prompt guard: applies the filters configured {@code on:
 * request} (or {@code both}) to the text of the user's messages before anything leaves for a
 * provider. A redaction rewrites those messages; a block answers 400 {@code request_blocked},
 * naming the filter but never the text. System, assistant and tool messages pass unfiltered.
 */
public final class RequestFilter implements Policy {

  public static final String BLOCKED_CODE = "request_blocked";

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    TextFilter filter = ResponseFilter.applicable(exchange, true);
    if (filter.isEmpty()) {
      return chain.proceed(exchange);
    }
    ObjectNode body = exchange.chatRequest().body().deepCopy();
    FilterTally tally = new FilterTally();
    boolean blocked = false;
    for (JsonNode message : body.path("messages")) {
      if ("user".equals(message.path("role").asText()) && message instanceof ObjectNode user && !filterMessage(user, filter, tally)) {
        blocked = true;
        break;
      }
    }
    tally.verdicts("request").forEach(exchange::verdict);
    if (blocked) {
      return Reply.error(
          new ApiError(
              400,
              "The request was blocked by the filter '" + tally.blockedBy().orElse("") + "'.",
              ApiError.INVALID_REQUEST,
              "messages",
              BLOCKED_CODE,
              0));
    }
    if (!tally.isEmpty()) {
      exchange.chatRequest(new ChatRequest(body));
    }
    return chain.proceed(exchange);
  }

  /** Filters a message's text, a plain string or its text parts; false when a blocking filter matched. */
  private static boolean filterMessage(ObjectNode message, TextFilter filter, FilterTally tally) {
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      String filtered = filter.filterAll(content.asText(), tally);
      if (filtered == null) {
        return false;
      }
      message.put("content", filtered);
    } else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        if (part instanceof ObjectNode text && "text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
          String filtered = filter.filterAll(part.path("text").asText(), tally);
          if (filtered == null) {
            return false;
          }
          text.put("text", filtered);
        }
      }
    }
    return true;
  }
}
