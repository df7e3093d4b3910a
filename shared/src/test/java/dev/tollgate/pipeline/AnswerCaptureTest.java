package dev.tollgate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.Settings;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerCaptureTest {

  private final Exchange exchange =
      new Exchange(
          new GatewayRequest("POST", "/v1/chat/completions", Map.of(), new byte[0], "req-1"),
          System.nanoTime(),
          new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), Instant.EPOCH));

  private Reply run(Reply upstream) {
    return new Pipeline(List.of(new AnswerCapture(), (e, chain) -> upstream)).run(exchange);
  }

  private static ObjectNode chunk(String text) {
    ObjectNode chunk = Json.object();
    chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
    return chunk;
  }

  @Test
  void aCompletionsTextIsKeptWithItsToolCalls() {
    ObjectNode completion = Json.object();
    ObjectNode message = completion.putArray("choices").addObject().putObject("message").put("content", "Paris.");
    message.putArray("tool_calls").addObject().putObject("function").put("name", "lookup").put("arguments", "{\"q\":1}");

    run(new Reply.Completion(completion, false, false));

    assertEquals("Paris.lookup{\"q\":1}", exchange.answerText());
  }

  @Test
  void aStreamsTextGrowsAsTheClientReadsIt() throws UpstreamFailure {
    Reply reply = run(new Reply.Stream(new BufferedChunkStream(List.of(chunk("Hel"), chunk("lo")), Usage.NONE), false));
    ChunkStream chunks = assertInstanceOf(Reply.Stream.class, reply).chunks();

    chunks.next();
    assertEquals("Hel", exchange.answerText());
    chunks.next();
    chunks.next();
    assertEquals("Hello", exchange.answerText());
  }

  @Test
  void textPastTheCapIsDropped() throws UpstreamFailure {
    String big = "x".repeat(AnswerCapture.MAX_CHARS - 1);
    Reply reply = run(new Reply.Stream(new BufferedChunkStream(List.of(chunk(big), chunk("yz"), chunk("more")), Usage.NONE), false));
    ChunkStream chunks = ((Reply.Stream) reply).chunks();
    while (chunks.next().isPresent()) {}

    assertEquals(big + "y", exchange.answerText());
  }

  @Test
  void errorsCarryNoText() {
    run(Reply.error(dev.tollgate.api.ApiError.internal("req-1")));

    assertEquals("", exchange.answerText());
  }

  @Test
  void finalHooksRunAfterCompletionHooksOnce() {
    StringBuilder order = new StringBuilder();
    exchange.afterComplete(() -> order.append("audit;"));
    exchange.whenComplete(() -> order.append("settle;"));

    exchange.complete("ok");
    exchange.complete("ok");

    assertEquals("settle;audit;", order.toString());
  }
}
