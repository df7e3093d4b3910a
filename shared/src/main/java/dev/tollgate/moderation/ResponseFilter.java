package dev.tollgate.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import java.util.List;

/**
 * The response filter step, between the answer capture and failover: applies the filters
 * configured {@code on: response} (or {@code both}) for the request's model and consumer group to
 * the answer, whole or streamed. A redaction replaces each match with its placeholder; a block
 * ends the answer with {@code finish_reason: "content_filter"} (a whole answer then carries no
 * text at all). Every filter that acted leaves a verdict.
 */
public final class ResponseFilter implements Policy {

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    TextFilter filter = applicable(exchange, false);
    if (filter.isEmpty()) {
      return chain.proceed(exchange);
    }
    Reply reply = chain.proceed(exchange);
    return switch (reply) {
      case Reply.Stream s ->
          new Reply.Stream(
              new FilteredChunkStream(s.chunks(), filter, tally -> tally.verdicts("response").forEach(exchange::verdict)),
              s.includeUsage());
      case Reply.Completion c -> {
        FilterTally tally = new FilterTally();
        ObjectNode filtered = filterCompletion(c.completion(), filter, tally);
        tally.verdicts("response").forEach(exchange::verdict);
        yield new Reply.Completion(filtered, c.stream(), c.includeUsage());
      }
      default -> reply;
    };
  }

  /**
   * {@code completion} as this caller's response filters leave it, with their verdicts recorded:
   * for an answer that did not come through this step now (a cached one, stored under another
   * caller's filters or before today's filters).
   */
  public static ObjectNode filterForCaller(Exchange exchange, ObjectNode completion) {
    TextFilter filter = applicable(exchange, false);
    if (filter.isEmpty()) {
      return completion;
    }
    FilterTally tally = new FilterTally();
    ObjectNode filtered = filterCompletion(completion, filter, tally);
    tally.verdicts("response").forEach(exchange::verdict);
    return filtered;
  }

  /** The filters for {@code exchange}'s model and group on the given side, as one. */
  static TextFilter applicable(Exchange exchange, boolean requestSide) {
    List<FilterPolicy> all = exchange.config().filters();
    if (all.isEmpty()) {
      return new TextFilter(List.of());
    }
    String alias = exchange.requestedModel();
    String group = exchange.consumer().map(consumer -> consumer.group()).orElse("");
    return new TextFilter(
        all.stream()
            .filter(p -> requestSide ? p.on().request() : p.on().response())
            .filter(p -> p.appliesTo(alias, group))
            .toList());
  }

  /** A copy of {@code completion} with every choice's text filtered; on a block, every choice emptied. */
  static ObjectNode filterCompletion(ObjectNode completion, TextFilter filter, FilterTally tally) {
    ObjectNode copy = completion.deepCopy();
    for (JsonNode choice : copy.path("choices")) {
      if (!(choice.path("message") instanceof ObjectNode message)) {
        continue;
      }
      for (String field : FilteredChunkStream.FIELDS) {
        JsonNode text = message.get(field);
        if (text != null && text.isTextual()) {
          String filtered = filter.filterAll(text.asText(), tally);
          if (filtered == null) {
            return blocked(copy);
          }
          message.put(field, filtered);
        }
      }
    }
    return copy;
  }

  private static ObjectNode blocked(ObjectNode completion) {
    for (JsonNode choice : completion.path("choices")) {
      if (choice instanceof ObjectNode node) {
        ObjectNode message = node.path("message") instanceof ObjectNode m ? m : node.putObject("message");
        message.put("content", "");
        message.remove(List.of("refusal", "tool_calls", "function_call"));
        node.put("finish_reason", "content_filter");
      }
    }
    return completion;
  }
}
