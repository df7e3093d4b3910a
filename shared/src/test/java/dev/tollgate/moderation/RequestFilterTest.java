package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.google.re2j.Pattern;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.Settings;
import dev.tollgate.moderation.FilterPolicy.Action;
import dev.tollgate.moderation.FilterPolicy.Side;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.prompt.PromptPolicies;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request filter: the validated request is replaced by a redacted copy, or refused; verdicts either way. */
class RequestFilterTest {

  private static final String BODY =
      "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"mail a@example.com or b@example.com\"},"
          + "{\"role\":\"assistant\",\"content\":\"c@example.com\"}]}";

  private static Exchange exchange(FilterPolicy filter) {
    GatewayConfig config =
        new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), List.of(), Map.of(), Instant.EPOCH, PromptPolicies.NONE, List.of(filter), List.of());
    Exchange exchange =
        new Exchange(new GatewayRequest("POST", "/v1/chat/completions", Map.of(), new byte[0], "req-1"), 0, config);
    exchange.consumer(new Consumer("alice", "free", Set.of("*"), true));
    exchange.chatRequest(new ChatRequest((ObjectNode) Json.parse(BODY)));
    return exchange;
  }

  private static Reply run(Exchange exchange) {
    return new Pipeline(List.of(new RequestFilter(), (e, chain) -> Reply.json(Json.object()))).run(exchange);
  }

  @Test
  void userMessagesAreRedactedInACopyAndTheVerdictCountsThem() {
    Exchange exchange =
        exchange(new FilterPolicy("pii", List.of(PiiType.EMAIL.detector()), Action.REDACT, Side.REQUEST, Set.of(), Set.of(), 256));
    ChatRequest original = exchange.chatRequest();

    assertInstanceOf(Reply.Json.class, run(exchange));

    assertNotSame(original, exchange.chatRequest());
    assertEquals("mail a@example.com or b@example.com", original.body().path("messages").get(0).path("content").asText());
    assertEquals("mail [REDACTED:email] or [REDACTED:email]", exchange.chatRequest().body().path("messages").get(0).path("content").asText());
    assertEquals("c@example.com", exchange.chatRequest().body().path("messages").get(1).path("content").asText());
    assertEquals(List.of(new Verdict("filter", "pii", "redact", "request: email x2")), exchange.verdicts());
  }

  @Test
  void aBlockAnswers400AndRecordsWhichPatternMatched() {
    Detector deny = new Detector(Pattern.compile("b@"), "deny[3]", "[REDACTED:deny]", Detector.UNBOUNDED);
    Exchange exchange = exchange(new FilterPolicy("strict", List.of(deny), Action.BLOCK, Side.BOTH, Set.of("chat"), Set.of(), 256));

    Reply.Error error = assertInstanceOf(Reply.Error.class, run(exchange));

    assertEquals(400, error.error().status());
    assertEquals("request_blocked", error.error().code());
    assertEquals("The request was blocked by the filter 'strict'.", error.error().message());
    assertEquals(List.of(new Verdict("filter", "strict", "block", "request: deny[3]")), exchange.verdicts());
  }

  @Test
  void aResponseOnlyFilterLeavesTheRequestAlone() {
    Exchange exchange =
        exchange(new FilterPolicy("pii", List.of(PiiType.EMAIL.detector()), Action.BLOCK, Side.RESPONSE, Set.of(), Set.of(), 256));
    ChatRequest original = exchange.chatRequest();

    assertInstanceOf(Reply.Json.class, run(exchange));

    assertEquals(original, exchange.chatRequest());
    assertEquals(List.of(), exchange.verdicts());
  }
}
