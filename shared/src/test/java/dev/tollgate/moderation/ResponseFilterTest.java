package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.Settings;
import dev.tollgate.moderation.FilterPolicy.Action;
import dev.tollgate.moderation.FilterPolicy.Side;
import dev.tollgate.pipeline.AnswerCapture;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.prompt.PromptPolicies;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The response filter in its place: after the answer capture, before failover; verdicts for what it did. */
class ResponseFilterTest {

  private static final FilterPolicy EMAILS =
      new FilterPolicy("emails", List.of(PiiType.EMAIL.detector()), Action.REDACT, Side.RESPONSE, Set.of(), Set.of(), 256);

  private static Exchange exchange(FilterPolicy... filters) {
    GatewayConfig config =
        new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), List.of(), Map.of(), Instant.EPOCH, PromptPolicies.NONE, List.of(filters), List.of());
    Exchange exchange =
        new Exchange(new GatewayRequest("POST", "/v1/chat/completions", Map.of(), new byte[0], "req-1"), 0, config);
    exchange.consumer(new Consumer("alice", "free", Set.of("*"), true));
    exchange.chatRequest(new ChatRequest((ObjectNode) Json.parse("{\"model\":\"chat\",\"messages\":[]}")));
    return exchange;
  }

  private static Reply run(Exchange exchange, Reply upstream) {
    return new Pipeline(List.of(new AnswerCapture(), new ResponseFilter(), (e, chain) -> upstream)).run(exchange);
  }

  private static ObjectNode completion(String content) {
    ObjectNode completion = Json.object().put("id", "chatcmpl-1").put("object", "chat.completion");
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
    ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", content);
    message.putArray("tool_calls").addObject().put("id", "call_1").putObject("function").put("name", "f").put("arguments", "{}");
    return completion;
  }

  private static JsonNode message(Reply reply) {
    return assertInstanceOf(Reply.Completion.class, reply).completion().path("choices").path(0);
  }

  @Test
  void aWholeAnswerIsRedactedBeforeTheCaptureSeesIt() {
    Exchange exchange = exchange(EMAILS);
    ObjectNode upstream = completion("Write to jane@example.com.");

    JsonNode choice = message(run(exchange, new Reply.Completion(upstream, false, false)));

    assertEquals("Write to [REDACTED:email].", choice.path("message").path("content").asText());
    assertEquals("tool_calls", choice.path("finish_reason").asText(), "a redaction keeps the answer's shape");
    assertEquals("Write to jane@example.com.", upstream.path("choices").path(0).path("message").path("content").asText(),
        "the upstream's tree is not changed in place");
    assertTrue(exchange.answerText().startsWith("Write to [REDACTED:email]."), exchange.answerText());
    assertEquals(List.of(new Verdict("filter", "emails", "redact", "response: email x1")), exchange.verdicts());
  }

  @Test
  void aBlockedWholeAnswerCarriesNoTextAndEndsWithContentFilter() {
    FilterPolicy block =
        new FilterPolicy("cards", List.of(PiiType.CARD.detector()), Action.BLOCK, Side.BOTH, Set.of(), Set.of(), 256);
    Exchange exchange = exchange(block);

    JsonNode choice = message(run(exchange, new Reply.Completion(completion("Card 4111 1111 1111 1111, ok?"), false, false)));

    assertEquals("", choice.path("message").path("content").asText());
    assertFalse(choice.path("message").has("tool_calls"));
    assertEquals("content_filter", choice.path("finish_reason").asText());
    assertEquals("", exchange.answerText());
    assertEquals(List.of(new Verdict("filter", "cards", "block", "response: card")), exchange.verdicts());
  }

  @Test
  void aStreamIsFilteredAndItsVerdictRecordedWhenItEnds() throws UpstreamFailure {
    Exchange exchange = exchange(EMAILS);
    ChunkHeader header = new ChunkHeader("chatcmpl-1", 1, "m");
    List<ObjectNode> chunks =
        List.of(
            header.chunk(0, Json.object().put("content", "a@exa"), null),
            header.chunk(0, Json.object().put("content", "mple.com and b@example.org"), null),
            header.chunk(0, Json.object(), "stop"));

    Reply reply = run(exchange, new Reply.Stream(new BufferedChunkStream(chunks, Usage.NONE), false));
    ChunkStream stream = assertInstanceOf(Reply.Stream.class, reply).chunks();
    while (stream.next().isPresent()) {}
    stream.close();

    assertEquals("[REDACTED:email] and [REDACTED:email]", exchange.answerText());
    assertEquals(List.of(new Verdict("filter", "emails", "redact", "response: email x2")), exchange.verdicts());
  }

  @Test
  void filtersForOtherModelsGroupsOrTheRequestSideLeaveTheAnswerAlone() {
    FilterPolicy otherModel =
        new FilterPolicy("m", List.of(PiiType.EMAIL.detector()), Action.BLOCK, Side.RESPONSE, Set.of("other"), Set.of(), 256);
    FilterPolicy otherGroup =
        new FilterPolicy("g", List.of(PiiType.EMAIL.detector()), Action.BLOCK, Side.RESPONSE, Set.of(), Set.of("paid"), 256);
    FilterPolicy requestOnly =
        new FilterPolicy("r", List.of(PiiType.EMAIL.detector()), Action.BLOCK, Side.REQUEST, Set.of("chat"), Set.of("free"), 256);
    Exchange exchange = exchange(otherModel, otherGroup, requestOnly);
    ObjectNode upstream = completion("jane@example.com");

    Reply reply = run(exchange, new Reply.Completion(upstream, false, false));

    assertEquals(upstream, assertInstanceOf(Reply.Completion.class, reply).completion());
    assertEquals(List.of(), exchange.verdicts());
  }

  @Test
  void errorsPassThrough() {
    Reply error = Reply.error(dev.tollgate.api.ApiError.internal("req-1"));

    assertEquals(error, run(exchange(EMAILS), error));
  }
}
